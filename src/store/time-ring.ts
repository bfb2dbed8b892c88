// Counts over a sliding window of time slots (seconds of the last minute, minutes of the last hour):
// the one ring counter behind /api/stats, the dashboard's charts and the sources panel's rates.
import type { LogEntry } from '../types.ts';

export const MINUTE = 60_000;
export const HOUR_MINUTES = 60;

/**
 * The time an entry is counted at in every per-minute figure (`/api/stats` `per_minute` and
 * `lines_per_minute`, the dashboard's charts and cards): the time written in its line, unless that is
 * implausible (more than a minute after it was received, more than an hour before, or none) when
 * the receive time is used.
 * Why line time: history read at startup (file backfill, spool replay) then lands in the minutes it
 * happened instead of as one fake burst in the minute LogWatch started, and the API and the chart say
 * the same thing. The bounds keep a source with a wrong clock from vanishing off the hour.
 */
export function countTime(entry: LogEntry): number {
  const t = entry.time;
  return t <= entry.receivedAt + MINUTE && t >= entry.receivedAt - HOUR_MINUTES * MINUTE ? t : entry.receivedAt;
}

/**
 * `slots` consecutive periods of `slotMs`, each with `width` counters, in a ring keyed by period
 * number: arrival order does not matter within the window, a slot is taken over only by a newer
 * period, and a time older than its slot's period counts nowhere rather than in the wrong period.
 */
export class TimeRing {
  private readonly periods: Float64Array;
  private readonly counts: Uint32Array;
  /** The period counted last (its start, NaN before the first) and where its counters are: lines of a batch mostly share one. */
  private lastStart = Number.NaN;
  private lastOffset = 0;

  constructor(
    readonly slotMs: number,
    readonly slots: number,
    readonly width = 1,
  ) {
    this.periods = new Float64Array(slots).fill(-Infinity);
    this.counts = new Uint32Array(slots * width);
  }

  /** Counts one at `time` in counter `column`. Hot path: per entry. */
  add(time: number, column = 0): void {
    if (time >= this.lastStart && time < this.lastStart + this.slotMs) {
      this.counts[this.lastOffset + column]++;
      return;
    }
    if (!Number.isFinite(time)) return;
    const period = Math.floor(time / this.slotMs);
    const slot = ((period % this.slots) + this.slots) % this.slots;
    const offset = slot * this.width;
    if (this.periods[slot] !== period) {
      if (this.periods[slot] > period) return;
      this.periods[slot] = period;
      this.counts.fill(0, offset, offset + this.width);
    }
    // The cache always names the slot touched last, so a slot taken over is never counted into by its old period.
    this.lastStart = period * this.slotMs;
    this.lastOffset = offset;
    this.counts[offset + column]++;
  }

  /** The sum of counter `column` (all counters when omitted) over the window ending with `now`'s period. */
  sum(now: number, column?: number): number {
    const current = Math.floor(now / this.slotMs);
    let total = 0;
    for (let slot = 0; slot < this.slots; slot++) {
      const period = this.periods[slot];
      if (period <= current - this.slots || period > current) continue;
      const offset = slot * this.width;
      if (column !== undefined) total += this.counts[offset + column];
      else for (let c = 0; c < this.width; c++) total += this.counts[offset + c];
    }
    return total;
  }

  /** Every period of the window ending with `now`'s, oldest first, empty ones included. */
  series(now: number): Array<{ start: number; counts: number[] }> {
    const current = Math.floor(now / this.slotMs);
    const out: Array<{ start: number; counts: number[] }> = [];
    for (let period = current - this.slots + 1; period <= current; period++) {
      const slot = ((period % this.slots) + this.slots) % this.slots;
      const offset = slot * this.width;
      const live = this.periods[slot] === period;
      const counts = new Array<number>(this.width);
      for (let c = 0; c < this.width; c++) counts[c] = live ? this.counts[offset + c] : 0;
      out.push({ start: period * this.slotMs, counts });
    }
    return out;
  }
}

export interface MinuteCounts<K extends string> {
  /** Start of the minute, ms since the epoch. */
  minute: number;
  counts: Record<K, number>;
}

/** Per-minute counts over the last hour by a small set of keys (levels, HTTP status classes). */
export class MinuteCounter<K extends string> {
  private readonly ring: TimeRing;

  constructor(private readonly keys: readonly K[]) {
    this.ring = new TimeRing(MINUTE, HOUR_MINUTES, keys.length);
  }

  /** Counts one for the key at `index` (its position in `keys`). */
  addAt(time: number, index: number): void {
    this.ring.add(time, index);
  }

  /** The hour up to `now`, oldest minute first, empty minutes included. */
  perMinute(now: number): Array<MinuteCounts<K>> {
    return this.ring.series(now).map(({ start, counts }) => {
      const byKey = {} as Record<K, number>;
      this.keys.forEach((key, i) => (byKey[key] = counts[i]));
      return { minute: start, counts: byKey };
    });
  }
}
