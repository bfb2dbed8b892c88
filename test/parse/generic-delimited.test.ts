// The generic fallback on delimited logs (issue 16): a readable time and a level word in a column,
// whatever separates the columns; epochs of any unit; unpadded times (issue 11).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { iso, parseLines, parseOne } from './helpers.ts';

const LEVELS = [['ERROR', 'ERROR'], ['error', 'ERROR'], ['WARN', 'WARNING'], ['Warning', 'WARNING'], ['INFO', 'INFO'], ['debug', 'DEBUG'], ['FATAL', 'CRITICAL'], ['CRITICAL', 'CRITICAL']] as const;
const TIMES = [
  ['2024-01-01 10:00:00', '2024-01-01T10:00:00.000Z'],
  ['2024-01-01T10:00:00.123Z', '2024-01-01T10:00:00.123Z'],
  ['2024/01/01 10:00:00', '2024-01-01T10:00:00.000Z'],
  ['01/02/2024 10:00:00', '2024-01-02T10:00:00.000Z'],
  ['2017-1-3 4:05:06', '2017-01-03T04:05:06.000Z'],
  ['02 Jan 2024 10:00:00', '2024-01-02T10:00:00.000Z'],
] as const;
/** Column separators, each as written between two columns. */
const SEPARATORS = ['\t', ',', ';', '|', ' | ', ' '] as const;

describe('delimited columns', () => {
  it('reads the time and the level whatever the separator, column order and leading columns', () => {
    fc.assert(fc.property(
      fc.constantFrom(...TIMES), fc.constantFrom(...LEVELS), fc.constantFrom(...SEPARATORS),
      fc.boolean(), fc.constantFrom('', 'srv1', 'job-42'), fc.boolean(),
      ([written, time], [word, level], sep, levelFirst, lead, bracketed) => {
        const levelColumn = bracketed ? `[${word}]` : word;
        const columns = levelFirst ? [levelColumn, written] : [written, levelColumn];
        if (lead !== '') columns.unshift(lead);
        const line = [...columns, 'payment gateway timeout'].join(sep);
        const e = parseOne(line);
        expect(e.level, line).toBe(level);
        expect(iso(e), line).toBe(time);
        expect(e.message, line).toBe('payment gateway timeout');
      },
    ), { numRuns: 300 });
  });

  it('reads quoted CSV columns', () => {
    const e = parseOne('"2024-01-01 10:00:00","ERROR","card declined"');
    expect(e).toMatchObject({ format: 'generic', level: 'ERROR' });
    expect(iso(e)).toBe('2024-01-01T10:00:00.000Z');
    expect(e.message).toBe('"card declined"');
  });

  it.each([
    ['1700000000', '2023-11-14T22:13:20.000Z'],
    ['1700000000123', '2023-11-14T22:13:20.123Z'],
    ['1700000000123456', '2023-11-14T22:13:20.123Z'],
    ['1700000000123456789', '2023-11-14T22:13:20.123Z'],
  ])('reads an epoch column of %s by its size', (epoch, time) => {
    const e = parseOne(`${epoch}\tWARN\tqueue backlog`);
    expect(e.level).toBe('WARNING');
    expect(iso(e)).toBe(time);
  });

  it('reads single-letter levels in a column once the source has shown them', () => {
    const entries = parseLines(['2024/01/01 10:00:00 | W | slow', '2024/01/01 10:00:01 | E | failed', '2024/01/01 10:00:02 | I | ok', '2024/01/01 10:00:03 | E | failed again']);
    expect(entries.map((e) => e.level).slice(3)).toEqual(['ERROR']);
  });

  it('reads the pipe-separated HealthApp log with unpadded fields, every line its own entry (issue 11)', () => {
    const entries = parseLines([
      '20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579',
      '20171223-22:16:0:119|Step_LSC|30002312|onStandStepChanged 3580',
      '20171223-22:16:0:9|Step_SPUtils|30002312| getTodayTotalDetailSteps = 1514038440000##6993##548365##8661##12266##27164404',
      '20171223-22:16:1:20|Step_LSC|30002312|onStandStepChanged 3581',
    ]);
    expect(entries.map(iso)).toEqual(['2017-12-23T22:15:29.606Z', '2017-12-23T22:16:00.119Z', '2017-12-23T22:16:00.009Z', '2017-12-23T22:16:01.020Z']);
  });

  it('stays generic where a format from lnav could have claimed the line (strace, PostgreSQL, dpkg, OpenAM)', () => {
    for (const [line, level] of [
      ['10:00:00.123456 INFO started', 'INFO'],
      ['2024-01-01 10:00:00 ERROR: disk full', 'ERROR'],
      ['2024-01-01 10:00:00 [main] ERROR: boom for user@example.com', 'ERROR'],
      ['2024-01-01 10:00:00 WARN: retrying', 'WARNING'],
      ['"2024-01-01 10:00:00" ERROR something bad', 'ERROR'],
    ] as const) {
      expect(parseOne(line), line).toMatchObject({ format: 'generic', level });
    }
  });

  it('does not take a level word from inside another word or deep in the message', () => {
    expect(parseOne('2024-01-01 10:00:00,job,ok,no errors found').level).toBe('UNKNOWN');
    expect(parseOne('2024-01-01 10:00:00|errorHandler registered').level).toBe('UNKNOWN');
  });
});
