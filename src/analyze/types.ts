// Types of the analyze stage: what the miner, the pattern statistics and the anomaly detector speak.
import type { Level, LogEntry } from '../types.ts';

export interface MinerOptions {
  /** Share of token positions that must agree for a message to join a cluster (Drain's st). */
  similarity: number;
  /** Leading tokens the tree routes on, below the token count (Drain's depth minus 2). */
  depth: number;
  /** Children per tree node; further distinct tokens share the `<*>` child. */
  maxChildren: number;
  /** Distinct words seen at one position (all else equal) before that position is taken for a variable. */
  minVariants: number;
  /** Clusters per source; past it the least recently used tenth is evicted (and counted). */
  maxClustersPerSource: number;
}

/** A cluster as persisted in the state dir. */
export interface SavedCluster {
  id: string;
  source: string;
  tokens: string[];
  count: number;
  firstSeen: number;
  lastSeen: number;
}

export type AnomalyKind = 'new_pattern' | 'pattern_spike' | 'pattern_stopped' | 'error_rate';

/** A finding of the anomaly detector: fired once, then resolved once. */
export interface AnomalyEvent {
  kind: AnomalyKind;
  state: 'firing' | 'resolved';
  source: string;
  /** The pattern id (absent for `error_rate`, which is about the source). */
  pattern?: string;
  template?: string;
  /** When it fired or resolved (the detector's clock), ms since the epoch. */
  time: number;
  /** What was measured: lines in the last minute, minutes absent, errors in the last minute... */
  value: number;
  /** What it was compared with: the baseline per minute, the usual interval in ms... */
  baseline: number;
  level?: Level;
  message: string;
  /** The line that made it fire (new pattern, spike, error-rate jump), when there is one. */
  entry?: LogEntry;
}

export interface AnomalyOptions {
  /** A source's first minutes after it is first seen: no new-pattern, spike or error-rate finding yet. */
  warmupMs: number;
  /** New patterns below this level are not reported (UNKNOWN: every level). */
  newPatternMinLevel: Level;
  /** A new-pattern finding resolves by itself after this long. */
  newPatternResolveMs: number;
  /** A pattern (or a source's errors) spikes at this many times its baseline per minute... */
  spikeFactor: number;
  /** ...and at least this many lines in the minute. */
  spikeMinCount: number;
  /** Minutes with lines of a pattern before it can spike (a bursty pattern shows its bursts first). */
  spikeMinMinutes: number;
  /** ...and more than this many times its busiest recent minute (a fading peak, half-life six hours). */
  spikeOverPeak: number;
  /** A steady pattern has stopped after this many of its usual intervals without a line... */
  stoppedIntervals: number;
  /** ...and never sooner than this. */
  stoppedMinMs: number;
  /** Occurrences (lines at least a second apart) before a pattern can count as steady... */
  stoppedMinOccurrences: number;
  /** ...over at least this long. */
  stoppedMinHistoryMs: number;
  /** Largest coefficient of variation of its intervals for a pattern to count as steady. */
  stoppedMaxVariation: number;
}
