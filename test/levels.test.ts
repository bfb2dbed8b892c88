// "At least this severe" has one definition (atLeast in src/types.ts); the store's query filter, a
// rule's `level` matcher and the analyzer's pattern lists must all answer exactly as it does, for every pair.
import { describe, expect, it } from 'vitest';
import { EntryMatcher } from '../src/alerts/matcher.ts';
import { Analyzer } from '../src/analyze/analyzer.ts';
import { compileFilter } from '../src/store/query.ts';
import { atLeast, LEVELS, type Level } from '../src/types.ts';
import { entry } from './store/helpers.ts';

/** The documented order, written out: UNKNOWN lowest, then DEBUG … CRITICAL. */
const ORDER: Level[] = ['UNKNOWN', 'DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'];

describe('minimum-level filters', () => {
  it('atLeast follows the documented severity order', () => {
    expect([...LEVELS].sort()).toEqual([...ORDER].sort());
    for (const level of ORDER) {
      for (const min of ORDER) expect(atLeast(level, min), `${level} >= ${min}`).toBe(ORDER.indexOf(level) >= ORDER.indexOf(min));
    }
  });

  it('the store query, a rule matcher and the analyzer\'s pattern lists agree with atLeast for every pair', () => {
    const analyzer = new Analyzer({ clock: () => 0 });
    // One pattern per level (the words differ, so they never merge).
    const words: Record<Level, string> = { UNKNOWN: 'alpha', DEBUG: 'bravo', INFO: 'charlie', WARNING: 'delta', ERROR: 'echo', CRITICAL: 'foxtrot' };
    analyzer.analyze(ORDER.map((level) => entry({ level, time: 0, message: `${words[level]} disk is full` })), false, []);
    for (const min of ORDER) {
      const filter = compileFilter({ level: min });
      const matcher = new EntryMatcher({ level: min });
      for (const level of ORDER) {
        const e = entry({ level, message: `disk ${level} full` });
        const expected = atLeast(level, min);
        expect(filter(e), `query ${level} / ${min}`).toBe(expected);
        expect(matcher.matches(e), `rule ${level} / ${min}`).toBe(expected);
      }
      const wanted = ORDER.filter((level) => atLeast(level, min)).sort();
      expect(analyzer.patterns({ level: min, from: 0, to: 60_000 }).map((p) => p.level).sort(), `patterns, minimum ${min}`).toEqual(wanted);
      expect(analyzer.top(100, min).map((p) => p.level).sort(), `top, minimum ${min}`).toEqual(wanted);
    }
  });

  it('a pattern keeps the most severe level it was seen at', () => {
    const analyzer = new Analyzer({ clock: () => 0 });
    analyzer.analyze(['WARNING', 'CRITICAL', 'ERROR'].map((level) => entry({ level: level as Level, message: 'disk full on sda' })), false, []);
    expect(analyzer.top(1, 'DEBUG')[0]!.level).toBe('CRITICAL');
  });
});
