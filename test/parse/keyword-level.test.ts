// A line no format reads takes its level from a level word standing alone near its start (issue 11).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KEYWORD_MAX_CHARS, KEYWORD_MAX_TOKENS, levelFromKeywords } from '../../src/parse/keyword-level.ts';
import type { Level } from '../../src/types.ts';
import { parseLines } from './helpers.ts';

const CASES: Array<[string, Level | undefined]> = [
  ['job-42 ERROR payment gateway timeout', 'ERROR'],
  ['ERROR payment gateway timeout', 'ERROR'],
  ['error: cannot open config', 'ERROR'],
  ['Error: ENOENT: no such file', 'ERROR'],
  ['[WARN] disk 91% full', 'WARNING'],
  ['[warn] disk 91% full', 'WARNING'],
  ['(Warning) low memory', 'WARNING'],
  ['<info> started', 'INFO'],
  ['worker-3 | FATAL | out of memory', 'CRITICAL'],
  ['FATAL', 'CRITICAL'],
  ['Exception in thread "main" java.lang.IllegalStateException', 'ERROR'],
  ['Traceback (most recent call last):', 'ERROR'],
  ['a b c d e DEBUG six tokens in', 'DEBUG'],
  ['WARN then ERROR: first match wins', 'WARNING'],
  ['notice: maintenance at noon', 'INFO'],
  // Negative cases: inside another word, prose, too deep, unmarked lower case, quoted lower case.
  ['no errors found', undefined],
  ['errorHandler registered', undefined],
  ['no error found', undefined],
  ['user pressed the Error button', undefined],
  ['MyException thrown', undefined],
  ['ERRORS: 0', undefined],
  ['a b c d e f ERROR seventh token', undefined],
  [`${'x'.repeat(KEYWORD_MAX_CHARS)} ERROR past the first characters`, undefined],
  ['"error" is a word', undefined],
  ['the info desk', undefined],
  ['', undefined],
];

describe('levelFromKeywords', () => {
  it.each(CASES)('%j → %s', (line, level) => {
    expect(levelFromKeywords(line)).toBe(level);
  });
});

// Model: the rules as README states them, written as naively as possible.
const NAIVE_WORDS: Record<string, Level> = {
  fatal: 'CRITICAL', critical: 'CRITICAL', crit: 'CRITICAL', emerg: 'CRITICAL', emergency: 'CRITICAL', alert: 'CRITICAL', panic: 'CRITICAL',
  error: 'ERROR', err: 'ERROR', severe: 'ERROR', exception: 'ERROR', traceback: 'ERROR',
  warn: 'WARNING', warning: 'WARNING', info: 'INFO', notice: 'INFO', debug: 'DEBUG', trace: 'DEBUG', verbose: 'DEBUG',
};
function naive(line: string): Level | undefined {
  const tokens: Array<{ text: string; at: number }> = [];
  const re = /[^ \t]+/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) tokens.push({ text: m[0], at: m.index });
  for (const { text, at } of tokens.slice(0, KEYWORD_MAX_TOKENS)) {
    if (at >= KEYWORD_MAX_CHARS) return undefined;
    const m = /^([[(<{"']?)([A-Za-z]+)([\])>}"']?)([:,;|]?)$/.exec(text);
    if (m === null) continue;
    const [, open, word, close, punct] = m as unknown as [string, string, string, string, string];
    const pairs: Record<string, string> = { '[': ']', '(': ')', '<': '>', '{': '}', '"': '"', "'": "'" };
    if (open !== '' && close !== '' && pairs[open] !== close) continue;
    const bracketed = '[(<'.includes(open) && open !== '' && pairs[open] === close;
    const level = NAIVE_WORDS[word.toLowerCase()];
    if (level === undefined || word.length > 9) continue;
    if (word === word.toUpperCase() || punct === ':' || bracketed || word === 'Exception' || word === 'Traceback') return level;
  }
  return undefined;
}

describe('levelFromKeywords against a naive model', () => {
  const word = fc.oneof(
    fc.constantFrom('error', 'ERROR', 'Error', 'warn', 'WARN', 'Warning', 'info', 'INFO', 'fatal', 'FATAL', 'debug', 'Exception', 'exception', 'Traceback', 'notice', 'errors', 'errorHandler', 'information', 'the', 'job-42', 'x'),
    fc.stringMatching(/^[a-zA-Z0-9]{1,12}$/),
  );
  const token = fc.tuple(fc.constantFrom('', '', '[', '(', '<', '"', '{'), word, fc.constantFrom('', '', ']', ')', '>', '"', '}'), fc.constantFrom('', '', ':', ',', '|')).map((parts) => parts.join(''));
  const line = fc.tuple(fc.array(token, { maxLength: 10 }), fc.constantFrom(' ', '  ', '\t')).map(([tokens, sep]) => tokens.join(sep));
  it('agrees on every line', () => {
    fc.assert(fc.property(line, (l) => {
      expect(levelFromKeywords(l), l).toBe(naive(l));
    }), { numRuns: 2000 });
  });
});

describe('a line no format reads', () => {
  it('takes its level from a keyword, marked level_source "keyword", and stays UNKNOWN without one', () => {
    const [error, none] = parseLines(['job-42 ERROR payment gateway timeout', 'no errors found']);
    expect(error).toMatchObject({ level: 'ERROR', format: 'unknown', message: 'job-42 ERROR payment gateway timeout' });
    expect(error!.metadata).toEqual({ level_source: 'keyword' });
    expect(none).toMatchObject({ level: 'UNKNOWN', format: 'unknown' });
    expect(none!.metadata).toEqual({});
  });

  it('keeps the level a format reads (no keyword marking)', () => {
    const [entry] = parseLines(['2026-11-30 10:15:02,123 - app - WARNING - ERROR inside the message']);
    expect(entry).toMatchObject({ level: 'WARNING', format: 'python' });
    expect(entry!.metadata.level_source).toBeUndefined();
  });
});
