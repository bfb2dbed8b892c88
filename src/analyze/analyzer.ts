// The analyze stage: every entry gets a pattern (a stable id from the template miner), each pattern
// keeps counts per minute and per hour, and the anomaly detector watches them. Runs synchronously per
// entry on the hot path, so per entry it only mines (cached for repeated lines), counts and compares.
import { atLeast, type Clock, type Level, type LogEntry } from '../types.ts';
import { AnomalyDetector } from './anomalies.ts';
import { BucketRing } from './bucket-ring.ts';
import { TemplateMiner, type Cluster } from './miner.ts';
import { patternStatePath, readPatternState, writePatternState, type PatternState } from './state-file.ts';
import { minedText } from './tokens.ts';
import type { AnomalyEvent, AnomalyOptions, MinerOptions } from './types.ts';

/** An entry as the analyzer leaves it: with the id of its pattern. */
export type PatternedEntry = LogEntry;

export interface AnalyzerOptions {
  clock: Clock;
  /** Where patterns.json lives; none: nothing is persisted. */
  stateDir?: string;
  miner?: Partial<MinerOptions>;
  anomalies?: Partial<AnomalyOptions>;
  /** Told when the saved state cannot be used (the analyzer then starts fresh). */
  warn?: (message: string) => void;
  /** false: entries pass untouched, nothing is learned or saved. Default true. */
  enabled?: boolean;
}

export interface PatternSample {
  time: number;
  level: Level;
  message: string;
  raw: string;
}

interface PatternStats {
  minutes: BucketRing;
  hours: BucketRing;
  level: Level;
  sample: PatternSample | null;
  /** This batch's lines of the pattern, counted once per batch (see `analyze`). */
  batch: number;
  batchLines: number;
  batchErrors: number;
  batchLevel: Level;
  batchCreated: boolean;
  batchEntry: LogEntry | undefined;
}

const newStats = (level: Level): PatternStats => ({
  minutes: new BucketRing(MINUTE, MINUTE_SLOTS), hours: new BucketRing(HOUR, HOUR_SLOTS), level, sample: null,
  batch: 0, batchLines: 0, batchErrors: 0, batchLevel: level, batchCreated: false, batchEntry: undefined,
});

/** A pattern as the top-errors chart shows it. */
export interface PatternCount {
  id: string;
  source: string;
  template: string;
  /** Lines since the pattern was first seen. */
  count: number;
  /** Most severe level seen for it. */
  level: Level;
  lastSeen: number;
  /** One real message of this pattern (at its most severe level). */
  example: string;
}

export interface PatternQuery {
  source?: string;
  /** Patterns whose most severe line is at least this level. */
  level?: Level;
  /** Range, ms since the epoch; default: the last hour. */
  from?: number;
  to?: number;
  limit?: number;
}

export interface PatternSummary {
  id: string;
  source: string;
  template: string;
  level: Level;
  /** Lines in [from, to) and in the range of the same length before it. */
  count: number;
  previousCount: number;
  trend: 'new' | 'up' | 'down' | 'flat';
  total: number;
  firstSeen: number;
  lastSeen: number;
  /** Lines per minute over the last SPARK_MINUTES minutes up to `to`, oldest first. */
  sparkline: number[];
  sample: PatternSample | null;
  /** First seen inside the range. */
  isNew: boolean;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const SPARK_MINUTES = 30;
const MINUTE_SLOTS = 120;
const HOUR_SLOTS = 48;
const SAMPLE_TEXT = 1000;

export class Analyzer {
  readonly miner: TemplateMiner;
  readonly detector: AnomalyDetector;
  private readonly stats = new Map<string, PatternStats>();
  private readonly clock: Clock;
  private readonly statePath: string | undefined;
  private readonly stateDir: string | undefined;
  private saving: Promise<void> | undefined;
  readonly enabled: boolean;
  /** Batches analyzed, and the clusters the current one touched. */
  private batches = 0;
  private readonly touched: Cluster[] = [];

  constructor(options: AnalyzerOptions) {
    this.clock = options.clock;
    this.enabled = options.enabled !== false;
    this.miner = new TemplateMiner(options.miner);
    this.detector = new AnomalyDetector(options.clock, options.anomalies);
    this.miner.onEvict = (cluster) => {
      this.stats.delete(cluster.id);
      this.detector.forget(cluster.id);
    };
    this.miner.onMerge = (from, into) => this.merged(from, into);
    this.stateDir = options.stateDir;
    this.statePath = options.stateDir === undefined || !this.enabled ? undefined : patternStatePath(options.stateDir);
    if (this.statePath !== undefined) {
      try {
        const state = readPatternState(this.statePath);
        if (state !== null) this.restore(state);
      } catch (err) {
        options.warn?.(`${(err as Error).message}; patterns are learned again from scratch`);
      }
    }
  }

  /**
   * Gives each entry its pattern; findings of the detector go to `out` (history: none). Per entry only
   * the miner runs and a few counters move; the counts per minute and the detector see each pattern
   * once per batch with its number of lines (live lines of a batch share their receive time).
   */
  analyze(entries: readonly PatternedEntry[], backfill: boolean, out: AnomalyEvent[]): void {
    if (!this.enabled) return;
    const now = this.clock();
    const batch = ++this.batches;
    const touched = this.touched;
    touched.length = 0;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      // Live lines count at their receive time (the detector's clock); history at its own time.
      const time = backfill ? Math.min(entry.time, now) : now;
      const { cluster, created } = this.miner.match(entry.source, minedText(entry), time);
      entry.pattern = cluster.id;
      const stats = this.statsOf(cluster, entry.level);
      // The sample is the first line at the pattern's most severe level (cheap: set rarely).
      if (stats.sample === null || !atLeast(stats.level, entry.level)) {
        stats.level = entry.level;
        stats.sample = { time: entry.time, level: entry.level, message: entry.message.slice(0, SAMPLE_TEXT), raw: entry.raw.slice(0, SAMPLE_TEXT) };
      }
      if (backfill) {
        stats.minutes.add(time);
        stats.hours.add(time);
        continue;
      }
      if (stats.batch !== batch) {
        stats.batch = batch;
        stats.batchLines = 0;
        stats.batchErrors = 0;
        stats.batchLevel = entry.level;
        stats.batchCreated = false;
        stats.batchEntry = entry;
        touched.push(cluster);
      }
      stats.batchLines++;
      if (atLeast(entry.level, 'ERROR')) stats.batchErrors++;
      if (!atLeast(stats.batchLevel, entry.level)) {
        stats.batchLevel = entry.level;
        stats.batchEntry = entry;
      }
      if (created) {
        stats.batchCreated = true;
        stats.batchEntry = entry;
      }
    }
    for (let t = 0; t < touched.length; t++) {
      let cluster = touched[t]!;
      const counted = cluster.aux as PatternStats;
      // A pattern merged into another later in the batch: its lines count for the one it joined.
      while (cluster.mergedInto !== undefined) cluster = cluster.mergedInto;
      if (cluster.evicted) continue;
      const stats = this.statsOf(cluster, counted.batchLevel);
      stats.minutes.add(now, counted.batchLines);
      stats.hours.add(now, counted.batchLines);
      const before = out.length;
      this.detector.observe(cluster.source, cluster.id, cluster.template, counted.batchLevel, counted.batchCreated, out, now, counted.batchLines, counted.batchErrors);
      // The line that made a finding is its sample (alerts show it).
      for (let k = before; k < out.length; k++) out[k]!.entry ??= counted.batchEntry;
      counted.batchEntry = undefined;
    }
    touched.length = 0;
  }

  private statsOf(cluster: Cluster, level: Level): PatternStats {
    let stats = cluster.aux as PatternStats | undefined;
    if (stats === undefined) {
      stats = this.stats.get(cluster.id);
      if (stats === undefined) {
        stats = newStats(level);
        this.stats.set(cluster.id, stats);
      }
      cluster.aux = stats;
    }
    return stats;
  }

  /** Time-driven findings (minutes closed, silences); call about once a second. */
  tick(out: AnomalyEvent[]): void {
    if (this.enabled) this.detector.tick(out);
  }

  /** Anomalies firing now. */
  anomalies(): AnomalyEvent[] {
    return this.detector.active();
  }

  /** The id `id` stands for now (a merged pattern's id resolves to the one it was merged into). */
  resolve(id: string): string {
    return this.miner.resolve(id);
  }

  /** The current template of a pattern id (merged ids resolve), or undefined when it is not known. */
  templateOf(id: string): string | undefined {
    const wanted = this.resolve(id);
    for (const cluster of this.miner.clusters()) if (cluster.id === wanted) return cluster.template;
    return undefined;
  }

  /** Patterns by count in the range, most frequent first. */
  patterns(query: PatternQuery = {}): PatternSummary[] {
    // The default range ends just after now, so a line counted this very millisecond is in it.
    const to = query.to ?? this.clock() + 1;
    const from = query.from ?? to - HOUR;
    const span = Math.max(to - from, MINUTE);
    const minLevel = query.level ?? 'UNKNOWN';
    const out: PatternSummary[] = [];
    for (const cluster of this.miner.clusters(query.source)) {
      const stats = this.stats.get(cluster.id);
      if (stats === undefined || !atLeast(stats.level, minLevel)) continue;
      const count = this.countBetween(stats, from, to);
      if (count === 0) continue;
      const previousCount = this.countBetween(stats, from - span, from);
      const isNew = cluster.firstSeen >= from;
      out.push({
        id: cluster.id, source: cluster.source, template: cluster.template, level: stats.level,
        count, previousCount, trend: trendOf(count, previousCount, isNew), total: cluster.count,
        firstSeen: cluster.firstSeen, lastSeen: cluster.lastSeen, sparkline: [], sample: stats.sample, isNew,
      });
    }
    out.sort((a, b) => b.count - a.count || b.lastSeen - a.lastSeen);
    const listed = query.limit === undefined ? out : out.slice(0, query.limit);
    // Sparklines only for what is listed: the dashboard asks every second.
    for (const p of listed) p.sparkline = this.stats.get(p.id)!.minutes.series(to - 1, SPARK_MINUTES);
    return listed;
  }

  /**
   * The most frequent patterns whose lines reach `minLevel`, counted since they were first seen: the
   * dashboard's "top error messages" (what PatternMiner counted before the analyzer).
   */
  top(limit: number, minLevel: Level = 'WARNING'): PatternCount[] {
    const out: PatternCount[] = [];
    for (const cluster of this.miner.clusters()) {
      const stats = this.stats.get(cluster.id);
      if (stats === undefined || !atLeast(stats.level, minLevel)) continue;
      out.push({ id: cluster.id, source: cluster.source, template: cluster.template, count: cluster.count, level: stats.level, lastSeen: cluster.lastSeen, example: stats.sample?.message ?? '' });
    }
    out.sort((a, b) => b.count - a.count || b.lastSeen - a.lastSeen);
    return out.slice(0, limit);
  }

  /** Writes patterns.json (no-op without a state dir); concurrent calls share one write. */
  async save(): Promise<void> {
    if (this.statePath === undefined || this.stateDir === undefined) return;
    while (this.saving !== undefined) await this.saving;
    const state = this.snapshot();
    this.saving = writePatternState(this.statePath, this.stateDir, state).finally(() => {
      this.saving = undefined;
    });
    await this.saving;
  }

  snapshot(): PatternState {
    const stats: PatternState['stats'] = {};
    for (const [id, s] of this.stats) stats[id] = { level: s.level, minutes: s.minutes.save(), hours: s.hours.save(), sample: s.sample };
    return { version: 1, savedAt: this.clock(), clusters: this.miner.save(), aliases: [...this.miner.aliases], stats, detector: this.detector.save() };
  }

  private restore(state: PatternState): void {
    this.miner.load(state.clusters);
    for (const [from, to] of state.aliases) this.miner.aliases.set(from, to);
    for (const [id, saved] of Object.entries(state.stats)) {
      const stats = newStats(saved.level);
      stats.sample = saved.sample;
      stats.minutes.load(saved.minutes);
      stats.hours.load(saved.hours);
      this.stats.set(id, stats);
    }
    this.detector.load(state.detector);
  }

  private countBetween(stats: PatternStats, from: number, to: number): number {
    // Minute resolution while the range is within the minute ring, hour resolution beyond it.
    if (from >= stats.minutes.horizon(this.clock())) return stats.minutes.sum(from, to);
    return stats.hours.sum(Math.floor(from / HOUR) * HOUR, to);
  }

  private merged(from: Cluster, into: Cluster): void {
    const a = this.stats.get(from.id);
    this.stats.delete(from.id);
    this.detector.forget(from.id, into.id);
    if (a === undefined) return;
    const b = this.stats.get(into.id);
    if (b === undefined) {
      this.stats.set(into.id, a);
      return;
    }
    for (const [time, n] of a.minutes.save()) b.minutes.add(time, n);
    for (const [time, n] of a.hours.save()) b.hours.add(time, n);
    if (!atLeast(b.level, a.level)) {
      b.level = a.level;
      b.sample = a.sample;
    }
  }
}

function trendOf(count: number, previous: number, isNew: boolean): PatternSummary['trend'] {
  if (isNew) return 'new';
  if (count > previous * 1.5) return 'up';
  if (count * 1.5 < previous) return 'down';
  return 'flat';
}
