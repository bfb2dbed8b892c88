// "At least this severe" has one definition (atLeast in src/types.ts); the store's query filter, a
// rule's `level` matcher and the pattern miner must all answer exactly as it does, for every pair.
import { describe, expect, it } from 'vitest';
import { EntryMatcher } from '../src/alerts/matcher.ts';
import { PatternMiner } from '../src/analyze/patterns.ts';
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

  it('the store query, a rule matcher and the pattern miner agree with atLeast for every pair', () => {
    for (const min of ORDER) {
      const filter = compileFilter({ level: min });
      const matcher = new EntryMatcher({ level: min });
      const miner = new PatternMiner({ minLevel: min });
      for (const level of ORDER) {
        const e = entry({ level, message: `disk ${level} full` });
        const expected = atLeast(level, min);
        expect(filter(e), `query ${level} / ${min}`).toBe(expected);
        expect(matcher.matches(e), `rule ${level} / ${min}`).toBe(expected);
        miner.record([e]);
      }
      const counted = miner.top(100).reduce((sum, p) => sum + p.count, 0);
      expect(counted, `miner, minimum ${min}`).toBe(ORDER.filter((level) => atLeast(level, min)).length);
    }
  });

  it('the pattern miner keeps the most severe level a template was seen at', () => {
    const miner = new PatternMiner({ minLevel: 'DEBUG' });
    miner.record(['WARNING', 'CRITICAL', 'ERROR'].map((level) => entry({ level: level as Level, message: 'disk full on sda' })));
    expect(miner.top(1)[0]!.level).toBe('CRITICAL');
  });
});
