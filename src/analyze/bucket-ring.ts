// Counts per fixed time bucket (a minute, an hour) over the last `slots` buckets, in O(1) per add.
// Each slot remembers which bucket it holds, so a slot last written an hour ago reads as 0 instead of
// being cleared by a timer: nothing has to run while a pattern is quiet.

export class BucketRing {
  private readonly counts: Uint32Array;
  private readonly buckets: Float64Array;

  constructor(
    readonly bucketMs: number,
    readonly slots: number,
  ) {
    this.counts = new Uint32Array(slots);
    this.buckets = new Float64Array(slots).fill(-1);
  }

  /** Counts `n` at `time`; a time older than the ring's horizon (relative to what it holds) is dropped. */
  add(time: number, n = 1): void {
    const bucket = Math.floor(time / this.bucketMs);
    const slot = bucket % this.slots;
    const held = this.buckets[slot]!;
    if (held === bucket) this.counts[slot]! += n;
    else if (held < bucket) {
      this.buckets[slot] = bucket;
      this.counts[slot] = n;
    }
    // held > bucket: the slot already holds a newer bucket, this time is past the horizon.
  }

  /** The count of the bucket holding `time` (0 when the ring no longer holds it). */
  at(time: number): number {
    const bucket = Math.floor(time / this.bucketMs);
    const slot = bucket % this.slots;
    return this.buckets[slot] === bucket ? this.counts[slot]! : 0;
  }

  /** Sum over the buckets that start in [from, to). */
  sum(from: number, to: number): number {
    const first = Math.ceil(from / this.bucketMs);
    const last = Math.ceil(to / this.bucketMs) - 1;
    let total = 0;
    if (last - first + 1 >= this.slots) {
      for (let s = 0; s < this.slots; s++) {
        const b = this.buckets[s]!;
        if (b >= first && b <= last) total += this.counts[s]!;
      }
      return total;
    }
    for (let b = first; b <= last; b++) {
      const slot = b % this.slots;
      if (this.buckets[slot] === b) total += this.counts[slot]!;
    }
    return total;
  }

  /** The last `n` buckets up to the one holding `now`, oldest first (a sparkline). */
  series(now: number, n: number): number[] {
    const lastBucket = Math.floor(now / this.bucketMs);
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const b = lastBucket - (n - 1 - i);
      const slot = ((b % this.slots) + this.slots) % this.slots;
      out[i] = this.buckets[slot] === b ? this.counts[slot]! : 0;
    }
    return out;
  }

  /** The start of the oldest bucket the ring can still hold, given the newest at `now`. */
  horizon(now: number): number {
    return (Math.floor(now / this.bucketMs) - this.slots + 1) * this.bucketMs;
  }

  /** Non-empty buckets as [bucket start, count] pairs, for the state file. */
  save(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let s = 0; s < this.slots; s++) if (this.buckets[s]! >= 0 && this.counts[s]! > 0) out.push([this.buckets[s]! * this.bucketMs, this.counts[s]!]);
    return out;
  }

  load(saved: ReadonlyArray<readonly [number, number]>): void {
    for (const [time, count] of saved) this.add(time, count);
  }
}
