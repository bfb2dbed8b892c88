import { describe, expect, it } from 'vitest';
import { StoreStats } from '../../src/store/stats.ts';
import { entry } from './helpers.ts';

const T0 = Date.UTC(2026, 10, 30, 10, 0, 0);

describe('StoreStats', () => {
  it('counts every entry ever recorded, per level and per source', () => {
    const stats = new StoreStats();
    stats.record([entry({ level: 'ERROR', source: 'a' }), entry({ level: 'INFO', source: 'b' }), entry({ level: 'ERROR', source: 'a' })]);
    const snap = stats.snapshot(T0);
    expect(snap.total_logs).toBe(3);
    expect(snap.level_counts).toEqual({ DEBUG: 0, INFO: 1, WARNING: 0, ERROR: 2, CRITICAL: 0, UNKNOWN: 0 });
    expect(snap.sources).toEqual({ a: 2, b: 1 });
  });

  it('lines per minute counts the entries of the last 60 seconds, by the time in their line', () => {
    const stats = new StoreStats();
    const at = (time: number) => entry({ time, receivedAt: T0 });
    stats.record([at(T0 - 90_000), at(T0 - 30_000), at(T0 - 1000), at(T0)]);
    expect(stats.linesLastMinute(T0)).toBe(3);
    expect(stats.linesLastMinute(T0 + 120_000)).toBe(0);
  });

  it('counts an entry at the time written in its line, so history read at startup lands where it happened', () => {
    const stats = new StoreStats();
    const now = T0 + 60 * 60_000;
    stats.record([
      entry({ receivedAt: now, time: now - 30 * 60_000, level: 'ERROR' }), // backfilled: written half an hour ago
      entry({ receivedAt: now, time: now + 10 * 60_000, level: 'WARNING' }), // a clock in the future: receive time
      entry({ receivedAt: now, time: now - 3 * 60 * 60_000, level: 'INFO' }), // hours old: receive time
      entry({ receivedAt: now, time: Number.NaN, level: 'DEBUG' }),
    ]);
    const buckets = stats.perMinute(now);
    expect(buckets[29].counts.ERROR).toBe(1);
    expect(buckets[59].counts).toMatchObject({ WARNING: 1, INFO: 1, DEBUG: 1, ERROR: 0 });
    expect(buckets.reduce((n, b) => n + Object.values(b.counts).reduce((a, c) => a + c, 0), 0)).toBe(4);
    // The last-minute figure says the same as the last bar.
    expect(stats.linesLastMinute(now)).toBe(3);
  });

  it('per-minute buckets cover the last hour by level, empty minutes included', () => {
    const stats = new StoreStats();
    stats.record([entry({ level: 'ERROR', time: T0 - 5 * 60_000, receivedAt: T0 }), entry({ level: 'INFO', time: T0, receivedAt: T0 }), entry({ level: 'INFO', time: T0 + 10, receivedAt: T0 + 10 })]);
    const buckets = stats.perMinute(T0);
    expect(buckets).toHaveLength(60);
    expect(buckets[59]).toEqual({ minute: T0, counts: { DEBUG: 0, INFO: 2, WARNING: 0, ERROR: 0, CRITICAL: 0, UNKNOWN: 0 } });
    expect(buckets[54].counts.ERROR).toBe(1);
    // An hour later the old minutes are gone, not counted again when their slot is reused.
    stats.record([entry({ level: 'WARNING', time: T0 + 60 * 60_000, receivedAt: T0 + 60 * 60_000 })]);
    const later = stats.perMinute(T0 + 60 * 60_000);
    expect(later.reduce((n, b) => n + b.counts.INFO + b.counts.ERROR, 0)).toBe(0);
    expect(later[59].counts.WARNING).toBe(1);
  });
});
