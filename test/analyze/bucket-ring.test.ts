import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BucketRing } from '../../src/analyze/bucket-ring.ts';

describe('BucketRing', () => {
  it('sums and series match a naive list of times within its horizon (model)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50_000 }), { maxLength: 200 }), fc.integer({ min: 0, max: 50_000 }), fc.integer({ min: 0, max: 50_000 }), (deltas, a, b) => {
        const ring = new BucketRing(1000, 10);
        const times: number[] = [];
        let now = 0;
        for (const d of deltas) {
          now += d % 3000; // times only move forward, as the clock does
          ring.add(now);
          times.push(now);
        }
        const horizon = ring.horizon(now);
        const [from, to] = a <= b ? [a, b] : [b, a];
        const lo = Math.max(from, horizon);
        const bucketStart = (t: number) => Math.floor(t / 1000) * 1000;
        const expected = times.filter((t) => bucketStart(t) >= Math.ceil(lo / 1000) * 1000 && bucketStart(t) < Math.ceil(to / 1000) * 1000).length;
        if (from >= horizon) expect(ring.sum(from, to)).toBe(expected);
        const series = ring.series(now, 5);
        for (let i = 0; i < 5; i++) {
          const start = bucketStart(now) - (4 - i) * 1000;
          expect(series[i]).toBe(times.filter((t) => bucketStart(t) === start).length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('drops a time older than what it holds, and round-trips through save/load', () => {
    const ring = new BucketRing(60_000, 3);
    ring.add(10 * 60_000);
    ring.add(10 * 60_000 + 5);
    ring.add(7 * 60_000); // minute 10's slot, already holding a newer minute: dropped
    expect(ring.at(10 * 60_000)).toBe(2);
    expect(ring.at(7 * 60_000)).toBe(0);
    const copy = new BucketRing(60_000, 3);
    copy.load(ring.save());
    expect(copy.series(10 * 60_000, 3)).toEqual([0, 0, 2]);
  });
});
