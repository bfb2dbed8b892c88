// The `analyze` section of the config: pattern mining and the anomalies found without a rule.
import { z } from 'zod';
import { LEVELS } from '../types.ts';
import type { AnalyzerOptions } from './analyzer.ts';

export const analyzeSchema = z.strictObject({
  /** false: no patterns, no anomalies (entries carry no `pattern`). */
  enabled: z.boolean().default(true),
  /** Patterns kept per source; past it the least recently seen tenth is dropped (and counted). */
  maxPatternsPerSource: z.number().int().min(10).max(100_000).default(1000),
  /** A new pattern is reported from this level up (UNKNOWN: every level). */
  newPatternLevel: z.enum(LEVELS).default('UNKNOWN'),
  /** Minutes after a source is first seen before new patterns, spikes and error jumps are reported. */
  warmupMinutes: z.number().min(0).max(7 * 24 * 60).default(10),
  /** A pattern spikes at this many times its usual lines per minute (and at least spikeMinCount). */
  spikeFactor: z.number().min(1.5).max(1000).default(5),
  spikeMinCount: z.number().int().min(1).max(1_000_000).default(20),
  /** A steady pattern has stopped after this many of its usual intervals without a line. */
  stoppedIntervals: z.number().min(2).max(1000).default(5),
});

export type AnalyzeConfig = z.infer<typeof analyzeSchema>;

/** The analyzer's options for a config section. */
export function analyzerOptions(config: AnalyzeConfig): Pick<AnalyzerOptions, 'miner' | 'anomalies'> {
  return {
    miner: { maxClustersPerSource: config.maxPatternsPerSource },
    anomalies: {
      newPatternMinLevel: config.newPatternLevel,
      warmupMs: config.warmupMinutes * 60_000,
      spikeFactor: config.spikeFactor,
      spikeMinCount: config.spikeMinCount,
      stoppedIntervals: config.stoppedIntervals,
    },
  };
}
