// Public face of the alerts stage: rules over sliding windows, per-key lifecycle, silences, state on disk.
import { createConsoleLogger } from '../logger.ts';
import { AlertEngineImpl } from './engine.ts';
import type { AlertEngine, AlertEngineOptions } from './types.ts';

export type { RuleConfig, RuleInput, RuleType } from './config.ts';
export { DEFAULT_RULES, ruleSchema, rulesSchema } from './config.ts';
export type { SilenceInput, SilenceJson } from './silences.ts';
export { SilenceError, silenceInputSchema } from './silences.ts';
export type { AlertEngine, AlertEngineOptions, AlertMetrics, ReloadSummary, RuleStatus } from './types.ts';

export function createAlertEngine(options: AlertEngineOptions): AlertEngine {
  return new AlertEngineImpl({
    rules: options.rules,
    clock: options.clock,
    stateDir: options.stateDir,
    logger: options.logger ?? createConsoleLogger(),
    persistDelayMs: options.persistDelayMs ?? 1000,
    recentLimit: options.recentLimit ?? 1000,
  });
}
