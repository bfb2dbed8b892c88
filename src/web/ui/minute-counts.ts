// Per-minute counts over the last hour, by a small set of keys (levels, HTTP status classes), for
// the dashboard's charts. Minutes are those of the entry's own time, so history read at startup
// lands where it happened rather than all at once in the minute LogWatch started.
import type { LogEntry } from '../../types.ts';

export const MINUTE = 60_000;
export const HOUR_MINUTES = 60;

export interface MinuteCounts<K extends string> {
  /** Start of the minute, ms since the epoch. */
  minute: number;
  counts: Record<K, number>;
}

/**
 * The minute an entry is charted in: the time written in its line, unless that is implausible (more
 * than a minute after it was received, or more than an hour before) when the receive time is used.
 */
export function chartTime(entry: LogEntry): number {
  const t = entry.time;
  return t <= entry.receivedAt + MINUTE && t >= entry.receivedAt - HOUR_MINUTES * MINUTE ? t : entry.receivedAt;
}

/** A ring of HOUR_MINUTES slots keyed by minute number; order of arrival does not matter within the hour. */
export class MinuteCounter<K extends string> {
  private readonly minuteKeys = new Float64Array(HOUR_MINUTES).fill(-1);
  private readonly counts: Uint32Array[];
  private readonly index: Map<K, number>;
  /** Start of the minute counted last (NaN before the first) and its counts. */
  private lastStart = Number.NaN;
  private lastCounts: Uint32Array;

  constructor(private readonly keys: readonly K[]) {
    this.index = new Map(keys.map((key, i) => [key, i]));
    this.counts = Array.from({ length: HOUR_MINUTES }, () => new Uint32Array(keys.length));
    this.lastCounts = this.counts[0];
  }

  add(time: number, key: K): void {
    const i = this.index.get(key);
    if (i !== undefined) this.addAt(time, i);
  }

  /** Counts one for the key at `index` (its position in `keys`). Hot path: per entry. */
  addAt(time: number, index: number): void {
    // The lines of a batch mostly fall in one minute: its counts are kept at hand.
    if (time >= this.lastStart && time < this.lastStart + MINUTE) {
      this.lastCounts[index]++;
      return;
    }
    const minute = Math.floor(time / MINUTE);
    const slot = ((minute % HOUR_MINUTES) + HOUR_MINUTES) % HOUR_MINUTES;
    if (this.minuteKeys[slot] !== minute) {
      // Only a newer minute takes a slot over; a line over an hour older than the slot's counts nowhere.
      if (this.minuteKeys[slot] > minute) return;
      this.minuteKeys[slot] = minute;
      this.counts[slot].fill(0);
    }
    this.counts[slot][index]++;
    this.lastStart = minute * MINUTE;
    this.lastCounts = this.counts[slot];
  }

  /** The hour up to `now`, oldest minute first, empty minutes included. */
  perMinute(now: number): Array<MinuteCounts<K>> {
    const current = Math.floor(now / MINUTE);
    const out: Array<MinuteCounts<K>> = [];
    for (let m = current - HOUR_MINUTES + 1; m <= current; m++) {
      const slot = ((m % HOUR_MINUTES) + HOUR_MINUTES) % HOUR_MINUTES;
      const counts = {} as Record<K, number>;
      const live = this.minuteKeys[slot] === m;
      this.keys.forEach((key, i) => (counts[key] = live ? this.counts[slot][i] : 0));
      out.push({ minute: m * MINUTE, counts });
    }
    return out;
  }
}
