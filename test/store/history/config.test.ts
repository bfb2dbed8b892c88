import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.ts';
import { parseDuration, parseSize } from '../../../src/store/history/config.ts';

describe('history config', () => {
  it('reads durations and sizes as people write them', () => {
    expect(parseDuration('7d')).toBe(7 * 86_400_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('2W')).toBe(14 * 86_400_000);
    expect(parseDuration('7 days')).toBeUndefined();
    expect(parseSize('2GB')).toBe(2e9);
    expect(parseSize('1GiB')).toBe(2 ** 30);
    expect(parseSize('500 mb')).toBe(5e8);
    expect(parseSize('1048576')).toBe(1048576);
    expect(parseSize('2 parsecs')).toBeUndefined();
  });

  it('defaults to on, 7 days, 2 GB; numbers are seconds and bytes', () => {
    expect(parseConfig({}).history).toEqual({ enabled: true, maxAge: 7 * 86_400_000, maxBytes: 2e9, fsync: false });
    expect(parseConfig({ history: { maxAge: 3600, maxBytes: 5_000_000 } }).history).toMatchObject({ maxAge: 3_600_000, maxBytes: 5_000_000 });
  });

  it('names the field and what to write when a value is wrong', () => {
    expect(() => parseConfig({ history: { maxAge: '7 days' } })).toThrow(/history\.maxAge.*"7 days" is not a duration.*"7d"/);
    expect(() => parseConfig({ history: { maxBytes: '2 parsecs' } })).toThrow(/history\.maxBytes.*not a size/);
    expect(() => parseConfig({ history: { maxBytes: 1000 } })).toThrow(/at least 1MB/);
    expect(() => parseConfig({ history: { maxAge: '10s' } })).toThrow(/at least 1 minute/);
    expect(() => parseConfig({ history: { keep: true } })).toThrow(/history.*keep/);
  });
});
