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

  it('lines per minute counts only the last 60 seconds of receive time', () => {
    const stats = new StoreStats();
    stats.record([entry({ receivedAt: T0 - 90_000 }), entry({ receivedAt: T0 - 30_000 }), entry({ receivedAt: T0 - 1000 }), entry({ receivedAt: T0 })]);
    expect(stats.linesLastMinute(T0)).toBe(3);
    expect(stats.linesLastMinute(T0 + 120_000)).toBe(0);
  });

  it('per-minute buckets cover the last hour by level, empty minutes included', () => {
    const stats = new StoreStats();
    stats.record([entry({ level: 'ERROR', receivedAt: T0 - 5 * 60_000 }), entry({ level: 'INFO', receivedAt: T0 }), entry({ level: 'INFO', receivedAt: T0 + 10 })]);
    const buckets = stats.perMinute(T0);
    expect(buckets).toHaveLength(60);
    expect(buckets[59]).toEqual({ minute: T0, counts: { DEBUG: 0, INFO: 2, WARNING: 0, ERROR: 0, CRITICAL: 0, UNKNOWN: 0 } });
    expect(buckets[54].counts.ERROR).toBe(1);
    // An hour later the old minutes are gone, not counted again when their slot is reused.
    stats.record([entry({ level: 'WARNING', receivedAt: T0 + 60 * 60_000 })]);
    const later = stats.perMinute(T0 + 60 * 60_000);
    expect(later.reduce((n, b) => n + b.counts.INFO + b.counts.ERROR, 0)).toBe(0);
    expect(later[59].counts.WARNING).toBe(1);
  });
});
