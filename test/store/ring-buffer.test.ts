import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RingBuffer } from '../../src/store/ring-buffer.ts';

describe('RingBuffer', () => {
  it('keeps the last `capacity` items in order, whatever the sequence of pushes (model: an array)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.integer(), { maxLength: 100 }), (capacity, items) => {
        const ring = new RingBuffer<number>(capacity);
        const model: number[] = [];
        for (const item of items) {
          const evicted = ring.push(item);
          model.push(item);
          const expectedEvicted = model.length > capacity ? model.shift() : undefined;
          expect(evicted).toBe(expectedEvicted);
        }
        expect(ring.toArray()).toEqual(model);
        expect(ring.size).toBe(model.length);
        expect(ring.oldest()).toBe(model[0]);
        expect(ring.newest()).toBe(model[model.length - 1]);
        for (let i = -1; i <= model.length; i++) expect(ring.at(i)).toBe(model[i]);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
    expect(() => new RingBuffer(1.5)).toThrow(RangeError);
  });
});
