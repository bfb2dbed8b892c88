// Sliding-window counting in O(1) amortised time per match, with memory fixed by the number of
// buckets rather than by the number of matches (no list of timestamps to rescan).

/** At most this many buckets per window: a 60 s window counts in 1 s buckets, an hour in 30 s buckets. */
export const MAX_BUCKETS = 120;

/** How a rule's window is cut into buckets. The window at time t is the `buckets` buckets ending with t's. */
export interface BucketGrid {
  windowMs: number;
  buckets: number;
  bucketMs: number;
}

export function bucketGrid(windowMs: number): BucketGrid {
  const buckets = Math.max(1, Math.min(MAX_BUCKETS, Math.ceil(windowMs / 1000)));
  return { windowMs, buckets, bucketMs: windowMs / buckets };
}

/** Index of the bucket holding time `ms`. */
export function bucketIndex(grid: BucketGrid, ms: number): number {
  return Math.floor(ms / grid.bucketMs);
}

/**
 * Counts matches per bucket over the current window and, for rate rules, `history` windows before it.
 * `current` is the sum of the buckets (head - buckets, head]; `previous` of the `history × buckets` before.
 * Moving the head forward moves each passed bucket from `current` to `previous` and drops the oldest:
 * constant work per bucket of elapsed time, none per match beyond one increment.
 */
export class WindowCounter {
  current = 0;
  previous = 0;
  private readonly counts: Uint32Array;
  private readonly buckets: number;
  private readonly span: number;
  private head: number;
  /** Slot of the head bucket. Kept incrementally: bucket indices of real times exceed 2^31, where `%` is slow. */
  private headSlot: number;

  constructor(buckets: number, history: number, headIndex: number) {
    this.buckets = buckets;
    this.span = buckets * (1 + history);
    this.counts = new Uint32Array(this.span);
    this.head = headIndex;
    this.headSlot = 0;
  }

  /** Index of the newest bucket. */
  get headIndex(): number {
    return this.head;
  }

  /** Moves the window so that it ends with bucket `index` (never backwards). */
  advance(index: number): void {
    if (index <= this.head) return;
    const { counts, span, buckets } = this;
    if (index - this.head >= span) {
      counts.fill(0);
      this.current = 0;
      this.previous = 0;
      this.head = index;
      return;
    }
    const keepsHistory = span > buckets;
    let slot = this.headSlot;
    for (let steps = index - this.head; steps > 0; steps--) {
      slot = slot + 1 === span ? 0 : slot + 1;
      if (keepsHistory) {
        // The bucket `buckets` back from the new head moves from the current window to the history.
        const leaving = slot >= buckets ? slot - buckets : slot - buckets + span;
        const moved = counts[leaving];
        this.current -= moved;
        this.previous += moved - counts[slot];
      } else {
        this.current -= counts[slot];
      }
      counts[slot] = 0;
    }
    this.head = index;
    this.headSlot = slot;
  }

  /** Counts one match in bucket `index` (a time at or before the head is counted where it belongs). */
  add(index: number): void {
    if (index > this.head) this.advance(index);
    const age = this.head - index;
    if (age >= this.span) return;
    const slot = this.headSlot >= age ? this.headSlot - age : this.headSlot - age + this.span;
    this.counts[slot]++;
    if (age < this.buckets) this.current++;
    else this.previous++;
  }

  /** Matches in the window ending with bucket `index`. */
  countAt(index: number): number {
    this.advance(index);
    return this.current;
  }
}
