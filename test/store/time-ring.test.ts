// The ring counter against a naive model that keeps every count with its time.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countTime, MINUTE, TimeRing } from '../../src/store/time-ring.ts';
import { entry } from './helpers.ts';

const T0 = Date.UTC(2026, 10, 30, 10, 0, 0);

describe('TimeRing', () => {
  it('property: sum and series match a model of every count, in any arrival order within the window', () => {
    const add = fc.record({ offsetMs: fc.integer({ min: -3 * MINUTE, max: 3 * MINUTE }), column: fc.integer({ min: 0, max: 2 }) });
    fc.assert(
      fc.property(fc.array(add, { maxLength: 300 }), fc.integer({ min: 0, max: 4 * MINUTE }), fc.integer({ min: 0, max: 2 }), (adds, after, column) => {
        const ring = new TimeRing(1000, 60, 3);
        const kept: Array<{ second: number; column: number }> = [];
        for (const a of adds) {
          const t = T0 + a.offsetMs;
          ring.add(t, a.column);
          const second = Math.floor(t / 1000);
          kept.push({ second, column: a.column });
        }
        const now = T0 + after;
        const current = Math.floor(now / 1000);
        // The model: a count is in the ring when no newer second sharing its slot was ever added (before or after it).
        const seconds = kept.map((k) => k.second);
        const alive = kept.filter((k) => !seconds.some((s) => s > k.second && (s - k.second) % 60 === 0));
        const inWindow = alive.filter((k) => k.second > current - 60 && k.second <= current);
        expect(ring.sum(now)).toBe(inWindow.length);
        expect(ring.sum(now, column)).toBe(inWindow.filter((k) => k.column === column).length);
        const series = ring.series(now);
        expect(series).toHaveLength(60);
        series.forEach((p, i) => {
          expect(p.start).toBe((current - 59 + i) * 1000);
          const here = inWindow.filter((k) => k.second * 1000 === p.start);
          expect(p.counts).toEqual([0, 1, 2].map((c) => here.filter((k) => k.column === c).length));
        });
      }),
    );
  });

  it('a late time older than the period in its slot counts nowhere rather than in the wrong period', () => {
    const ring = new TimeRing(MINUTE, 60);
    ring.add(T0 + 60 * MINUTE);
    ring.add(T0); // same slot, an hour earlier
    expect(ring.sum(T0 + 60 * MINUTE)).toBe(1);
    expect(ring.series(T0 + 60 * MINUTE).at(-1)?.counts).toEqual([1]);
  });

  it('ignores a time that is not a number', () => {
    const ring = new TimeRing(1000, 10);
    ring.add(Number.NaN);
    ring.add(Number.POSITIVE_INFINITY);
    expect(ring.sum(T0)).toBe(0);
  });
});

describe('countTime', () => {
  it('is the time in the line within an hour before and a minute after receipt, else the receive time', () => {
    expect(countTime(entry({ time: T0 - 59 * MINUTE, receivedAt: T0 }))).toBe(T0 - 59 * MINUTE);
    expect(countTime(entry({ time: T0 + MINUTE, receivedAt: T0 }))).toBe(T0 + MINUTE);
    expect(countTime(entry({ time: T0 + MINUTE + 1, receivedAt: T0 }))).toBe(T0);
    expect(countTime(entry({ time: T0 - 61 * MINUTE, receivedAt: T0 }))).toBe(T0);
    expect(countTime(entry({ time: Number.NaN, receivedAt: T0 }))).toBe(T0);
  });
});
