// Types of the alerts stage: the engine's interface and what it reports. Beside the stage, not in its
// barrel, so that engine.ts can implement AlertEngine without importing index.ts (which imports it).
import type { AnomalyEvent } from '../analyze/types.ts';
import type { Logger } from '../logger.ts';
import type { Alert, Clock, LogEntry } from '../types.ts';
import type { RuleConfig } from './config.ts';
import type { SilenceInput, SilenceJson } from './silences.ts';

/** A rule with its live state, as `GET /api/rules` shows it. */
export interface RuleStatus {
  name: string;
  type: string;
  config: RuleConfig;
  /** Keys whose alert is currently firing (at most 100 listed; see firingCount). */
  firing: string[];
  firingCount: number;
  /** Matches counted so far (all time, since the rule was loaded). */
  matches: number;
  lastFiredAt: number | null;
  /** Keys tracked now, and keys forgotten because there were more than maxKeys. */
  keys: number;
  evictedKeys: number;
}

/** What changed on a reload. */
export interface ReloadSummary {
  /** Unchanged rules: windows and lifecycle kept as they were. */
  kept: string[];
  /** Changed rules: windows restart; firing keys and cooldowns carry over when type and key field are the same. */
  changed: string[];
  added: string[];
  removed: string[];
}

/** Counters for `/metrics`. */
export interface AlertMetrics {
  rules: number;
  /** Firing alerts emitted (first and repeats), silenced ones included. */
  firedTotal: number;
  resolvedTotal: number;
  silencedTotal: number;
  /** Alerts currently firing, over all rules and keys. */
  firing: number;
  trackedKeys: number;
  evictedKeysTotal: number;
  silences: number;
  stateWriteErrors: number;
}

export interface AlertEngine {
  /** Counts new entries (never backfill) and returns the alerts that fired because of them. */
  evaluate(entries: readonly LogEntry[]): Alert[];
  /** Anomalies of the analyzer (never from backfill), for the new_pattern / pattern_spike / pattern_stopped rules. */
  anomalies(anomalies: readonly AnomalyEvent[]): Alert[];
  /** Time-driven transitions (resolve, absence, repeat); the pipeline calls it about once a second. */
  tick(): Alert[];
  /** Recent alerts, oldest first. */
  recent(limit: number): Alert[];
  /** Firing alerts emitted since the first start (persisted). */
  readonly totalAlerts: number;
  /** Rules loaded. */
  readonly activeRules: number;
  rules(): RuleStatus[];
  /** The notifier names of a rule (undefined: every notifier). Follows reloads. */
  notifyTargets(rule: string): readonly string[] | undefined;
  /** Replaces the rules (already validated); unchanged rules keep their windows and lifecycle. */
  reload(rules: RuleConfig[]): ReloadSummary;
  silences(): SilenceJson[];
  /** Throws SilenceError when the silence cannot be honoured (ends in the past, too many). */
  addSilence(input: SilenceInput): SilenceJson;
  removeSilence(id: string): boolean;
  metrics(): AlertMetrics;
  /** Writes the state now and stops the save timer; call on shutdown. Idempotent. */
  close(): void;
}

export interface AlertEngineOptions {
  rules: RuleConfig[];
  clock: Clock;
  /** Directory where alert state (cooldowns, recent alerts, silences) persists across restarts. */
  stateDir?: string;
  /** Where state-file problems are reported (default: stderr). */
  logger?: Logger;
  /** Debounce of state writes that no alert forces (learned values, silences expiring). Default 1000. */
  persistDelayMs?: number;
  /** Alerts kept in memory for `recent()`. Default 1000. */
  recentLimit?: number;
}
