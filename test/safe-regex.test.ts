// User patterns run on re2js (linear time): catastrophic patterns against long hostile lines finish fast,
// and what re2js cannot do is refused at config load with a message naming the field.
import { describe, expect, it } from 'vitest';
import { EntryMatcher } from '../src/alerts/matcher.ts';
import { parseConfig } from '../src/config/load.ts';
import { customFormat } from '../src/parse/formats/custom.ts';
import { compileSafeRegex } from '../src/safe-regex.ts';
import { compileFilter } from '../src/store/query.ts';
import type { LogEntry } from '../src/types.ts';

const CATASTROPHIC = ['(a+)+$', '(a|a)*$', '(.*a){12}', '(x+x+)+y', '^(([a-z])+.)+[A-Z]([a-z])+$'];
const HOSTILE = ['a'.repeat(64 * 1024) + '!', 'x'.repeat(64 * 1024), `${'a'.repeat(32 * 1024)}\u0000${'a'.repeat(32 * 1024)}b`];

function entry(message: string): LogEntry {
  return { id: 1, timestamp: 0, receivedAt: 0, level: 'ERROR', source: 's', message, raw: message, metadata: {}, format: null } as unknown as LogEntry;
}

describe('user regexes are linear-time (re2js)', () => {
  it('catastrophic rule patterns against 64 KiB lines finish in bounded time', () => {
    for (const pattern of CATASTROPHIC) {
      const matcher = new EntryMatcher({ pattern });
      for (const line of HOSTILE) {
        const started = performance.now();
        matcher.matches(entry(line));
        // Backtracking needs longer than the age of the universe here; re2js takes milliseconds.
        // The bound is generous for a loaded CI machine; the real guarantee is the engine (next test).
        expect(performance.now() - started, `${pattern} on ${line.length} chars`).toBeLessThan(3000);
      }
    }
  });

  it('by construction: rule, format and search patterns are compiled by re2js, not RegExp', () => {
    // RE2 syntax that JavaScript lacks ((?P<name>) groups) works everywhere a user pattern is accepted,
    // which only holds if re2js is the engine behind each of them.
    expect(new EntryMatcher({ pattern: '(?P<w>conn)ection' }).matches(entry('Connection refused'))).toBe(true);
    const spec = customFormat('x', { pattern: '^(?P<level>\\w+) (?P<message>.*)$' } as never);
    const parser = spec.create({ source: 's', receivedAt: 0, time: { zone: undefined, now: () => 0 } } as never);
    expect(parser.parse('ERROR boom')?.message).toBe('boom');
    expect(compileFilter({ q: '(?P<x>boo)m', regex: true })(entry('a boom'))).toBe(true);
    expect(() => new RegExp('(?P<w>x)')).toThrow();
  });

  it('refuses lookaround and backreferences at load, naming the field and the reason', () => {
    expect(() => parseConfig({ rules: [{ name: 'r', pattern: '(?<=user=)admin', threshold: 1, window: 60 }] })).toThrow(/field rules\[0\]\.pattern: rule "r": lookbehind .* not supported: LogWatch runs user patterns on re2js/);
    expect(() => parseConfig({ rules: [{ name: 'r', pattern: 'error(?!s)', threshold: 1, window: 60 }] })).toThrow(/field rules\[0\]\.pattern: rule "r": lookahead/);
    expect(() => parseConfig({ formats: { f: { pattern: '(?<message>(a)\\2)' } } })).toThrow(/field formats\.f\.pattern: backreferences/);
    expect(() => parseConfig({ rules: [{ name: 'r', pattern: '(unclosed', threshold: 1, window: 60 }] })).toThrow(/rules\[0\]\.pattern: rule "r": not a valid regular expression/);
    expect(() => compileSafeRegex('\\u00e9')).toThrow(/write \\x\{XXXX\} instead/);
  });
});
