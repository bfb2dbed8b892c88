// Public face of the alerts stage. PLACEHOLDER: replaced by the real engine.
import type { Alert, Clock, LogEntry } from '../types.ts';
import type { RuleConfig } from './config.ts';

/** A rule with its live state, as `GET /api/rules` shows it. */
export interface RuleStatus {
  name: string;
  type: string;
  config: RuleConfig;
  /** Keys whose alert is currently firing. */
  firing: string[];
  /** Matches counted so far (all time). */
  matches: number;
  lastFiredAt: number | null;
}

export interface AlertEngine {
  /** Counts new entries (never backfill) and returns the alerts that fired or resolved because of them. */
  evaluate(entries: readonly LogEntry[]): Alert[];
  /** Time-driven transitions (resolve, absence, repeat); the pipeline calls it about once a second. */
  tick(): Alert[];
  /** Recent alerts, oldest first. */
  recent(limit: number): Alert[];
  readonly totalAlerts: number;
  readonly activeRules: number;
  rules(): RuleStatus[];
}

export interface AlertEngineOptions {
  rules: RuleConfig[];
  clock: Clock;
  /** Directory where alert state (cooldowns, recent alerts) persists across restarts. */
  stateDir?: string;
}

export function createAlertEngine(options: AlertEngineOptions): AlertEngine {
  return {
    evaluate: () => [],
    tick: () => [],
    recent: () => [],
    totalAlerts: 0,
    activeRules: options.rules.length,
    rules: () => [],
  };
}
