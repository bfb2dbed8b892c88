import { LEVELS, type Level, type LogEntry } from '../types.ts';
import { countTime, MinuteCounter, TimeRing, type MinuteCounts } from './time-ring.ts';

export interface SourceStats {
  source: string;
  count: number;
  levelCounts: Record<Level, number>;
  lastReceivedAt: number;
}

export type MinuteBucket = MinuteCounts<Level>;

export interface StatsSnapshot {
  total_logs: number;
  level_counts: Record<Level, number>;
  sources: Record<string, number>;
  /** Entries of the last 60 seconds (by countTime: the time in the line when plausible). */
  lines_per_minute: number;
  /** Entries per minute by level over the last hour, oldest first (by countTime). */
  per_minute: MinuteBucket[];
}

function zeroCounts(): Record<Level, number> {
  return { DEBUG: 0, INFO: 0, WARNING: 0, ERROR: 0, CRITICAL: 0, UNKNOWN: 0 };
}

const LEVEL_INDEX = Object.fromEntries(LEVELS.map((level, i) => [level, i])) as Record<Level, number>;

/** Running totals and rollups over every entry ever stored (not only those still in the buffer). */
export class StoreStats {
  private total = 0;
  private readonly levelCounts = zeroCounts();
  private readonly sources = new Map<string, SourceStats>();
  private readonly minutes = new MinuteCounter<Level>(LEVELS);
  private readonly seconds = new TimeRing(1000, 60);

  record(entries: readonly LogEntry[]): void {
    if (entries.length === 0) return;
    let lastSource: SourceStats | undefined;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      const level = entry.level;
      this.levelCounts[level]++;
      if (lastSource === undefined || lastSource.source !== entry.source) lastSource = this.sourceStats(entry.source);
      lastSource.count++;
      lastSource.levelCounts[level]++;
      if (entry.receivedAt > lastSource.lastReceivedAt) lastSource.lastReceivedAt = entry.receivedAt;
      const at = countTime(entry);
      this.minutes.addAt(at, LEVEL_INDEX[level]);
      this.seconds.add(at);
    }
    this.total += entries.length;
  }

  get totalLogs(): number {
    return this.total;
  }

  sourceList(): SourceStats[] {
    return [...this.sources.values()];
  }

  linesLastMinute(now: number): number {
    return this.seconds.sum(now);
  }

  /** Per-minute counts by level over the last hour, oldest first, with empty minutes filled in. */
  perMinute(now: number): MinuteBucket[] {
    return this.minutes.perMinute(now);
  }

  snapshot(now: number): StatsSnapshot {
    const sources: Record<string, number> = {};
    for (const s of this.sources.values()) sources[s.source] = s.count;
    return {
      total_logs: this.total,
      level_counts: { ...this.levelCounts },
      sources,
      lines_per_minute: this.linesLastMinute(now),
      per_minute: this.perMinute(now),
    };
  }

  private sourceStats(source: string): SourceStats {
    let stats = this.sources.get(source);
    if (stats === undefined) {
      stats = { source, count: 0, levelCounts: zeroCounts(), lastReceivedAt: 0 };
      this.sources.set(source, stats);
    }
    return stats;
  }
}
