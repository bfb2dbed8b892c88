import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketGrid, WindowCounter } from '../../src/alerts/window-counter.ts';

describe('WindowCounter', () => {
  it('sizes buckets to 1 s for short windows and at most 120 buckets for long ones', () => {
    expect(bucketGrid(60_000)).toEqual({ windowMs: 60_000, buckets: 60, bucketMs: 1000 });
    expect(bucketGrid(3_600_000)).toEqual({ windowMs: 3_600_000, buckets: 120, bucketMs: 30_000 });
  });

  it('agrees with a rescan of every match, for the current window and the history before it', () => {
    // Operations: add at an age relative to the head (may be older than the whole span), or move the head.
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), age: fc.integer({ min: -3, max: 40 }) }),
      fc.record({ kind: fc.constant('advance' as const), by: fc.integer({ min: 0, max: 45 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 3 }), fc.array(op, { maxLength: 200 }), (buckets, history, ops) => {
        const counter = new WindowCounter(buckets, history, 100);
        const added: number[] = [];
        let head = 100;
        for (const o of ops) {
          if (o.kind === 'advance') {
            head += o.by;
            counter.advance(head);
          } else {
            const index = head - o.age;
            counter.add(index);
            if (index > head) head = index;
            if (head - index < buckets * (1 + history)) added.push(index);
          }
          const current = added.filter((i) => i > head - buckets && i <= head).length;
          const previous = added.filter((i) => i > head - buckets * (1 + history) && i <= head - buckets).length;
          expect(counter.headIndex).toBe(head);
          expect(counter.current).toBe(current);
          expect(counter.previous).toBe(previous);
        }
      }),
      { numRuns: 300 },
    );
  });
});
