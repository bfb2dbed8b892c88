import { LEVELS, LEVEL_RANK, type Level, type LogEntry } from '../types.ts';

const MINUTE = 60_000;
const HISTORY_MINUTES = 60;
const SECOND_SLOTS = 60;

export interface SourceStats {
  source: string;
  count: number;
  levelCounts: Record<Level, number>;
  lastReceivedAt: number;
}

export interface MinuteBucket {
  /** Start of the minute, ms since the epoch. */
  minute: number;
  counts: Record<Level, number>;
}

export interface StatsSnapshot {
  total_logs: number;
  level_counts: Record<Level, number>;
  sources: Record<string, number>;
  /** Entries received in the last 60 seconds. */
  lines_per_minute: number;
  /** Entries per minute by level over the last hour, oldest first (by receive time). */
  per_minute: MinuteBucket[];
}

function zeroCounts(): Record<Level, number> {
  return { DEBUG: 0, INFO: 0, WARNING: 0, ERROR: 0, CRITICAL: 0, UNKNOWN: 0 };
}

const LEVEL_BY_RANK: Level[] = [];
for (const level of LEVELS) LEVEL_BY_RANK[LEVEL_RANK[level]] = level;

/** Running totals and rollups over every entry ever stored (not only those still in the buffer). */
export class StoreStats {
  private total = 0;
  private readonly levelCounts = zeroCounts();
  private readonly sources = new Map<string, SourceStats>();
  // Per-minute counts by level rank, a ring of HISTORY_MINUTES slots keyed by minute number.
  private readonly minuteKeys = new Float64Array(HISTORY_MINUTES).fill(-1);
  private readonly minuteCounts = Array.from({ length: HISTORY_MINUTES }, () => new Uint32Array(6));
  // Per-second totals for the last-minute rate.
  private readonly secondKeys = new Float64Array(SECOND_SLOTS).fill(-1);
  private readonly secondCounts = new Uint32Array(SECOND_SLOTS);

  record(entries: readonly LogEntry[]): void {
    if (entries.length === 0) return;
    let lastSource: SourceStats | undefined;
    // The entries of a batch share their receive time: its minute and second slots are looked up once.
    let lastReceivedAt = Number.NaN;
    let minute: Uint32Array = SCRATCH;
    let second = -1;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      const level = entry.level;
      this.levelCounts[level]++;
      if (lastSource === undefined || lastSource.source !== entry.source) lastSource = this.sourceStats(entry.source);
      lastSource.count++;
      lastSource.levelCounts[level]++;
      const receivedAt = entry.receivedAt;
      if (receivedAt > lastSource.lastReceivedAt) lastSource.lastReceivedAt = receivedAt;
      if (receivedAt !== lastReceivedAt) {
        lastReceivedAt = receivedAt;
        minute = this.minuteSlot(receivedAt);
        second = this.secondSlot(receivedAt);
      }
      minute[LEVEL_RANK[level]]++;
      if (second >= 0) this.secondCounts[second]++;
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
    const current = Math.floor(now / 1000);
    let sum = 0;
    for (let i = 0; i < SECOND_SLOTS; i++) {
      const key = this.secondKeys[i];
      if (key > current - SECOND_SLOTS && key <= current) sum += this.secondCounts[i];
    }
    return sum;
  }

  /** Per-minute counts by level over the last hour, oldest first, with empty minutes filled in. */
  perMinute(now: number): MinuteBucket[] {
    const current = Math.floor(now / MINUTE);
    const out: MinuteBucket[] = [];
    for (let m = current - HISTORY_MINUTES + 1; m <= current; m++) {
      const slot = m % HISTORY_MINUTES;
      const counts = zeroCounts();
      if (this.minuteKeys[slot] === m) {
        const raw = this.minuteCounts[slot];
        for (let r = 0; r < raw.length; r++) counts[LEVEL_BY_RANK[r]] = raw[r];
      }
      out.push({ minute: m * MINUTE, counts });
    }
    return out;
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

  private minuteSlot(time: number): Uint32Array {
    const minute = Math.floor(time / MINUTE);
    const slot = ((minute % HISTORY_MINUTES) + HISTORY_MINUTES) % HISTORY_MINUTES;
    if (this.minuteKeys[slot] !== minute) {
      // A slot is reused only for a newer minute; a late, older entry counts in nothing rather than corrupting a newer minute.
      if (this.minuteKeys[slot] > minute) return SCRATCH;
      this.minuteKeys[slot] = minute;
      this.minuteCounts[slot].fill(0);
    }
    return this.minuteCounts[slot];
  }

  /** The slot of `time`'s second, or -1 for a time older than the slot's current second. */
  private secondSlot(time: number): number {
    const second = Math.floor(time / 1000);
    const slot = ((second % SECOND_SLOTS) + SECOND_SLOTS) % SECOND_SLOTS;
    if (this.secondKeys[slot] !== second) {
      if (this.secondKeys[slot] > second) return -1;
      this.secondKeys[slot] = second;
      this.secondCounts[slot] = 0;
    }
    return slot;
  }
}

const SCRATCH = new Uint32Array(6);
