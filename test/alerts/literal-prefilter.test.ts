import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EntryMatcher, MatchContext, requiredLiteral } from '../../src/alerts/matcher.ts';
import { entry } from './helpers.ts';

// Regex pieces over a tiny alphabet, so random strings match random regexes often.
const atom = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('a', 'b', 'A', 'B', ' ', '1', '-') },
  { weight: 1, arbitrary: fc.constantFrom('\\x41', '\\x61', '\\u0062', '\\d', '\\s', '\\.', '.', '\\141', '\\b') },
  { weight: 1, arbitrary: fc.constantFrom('[ab]', '[^a]', '(a|b)', '(?:ab)?', '(a)\\1', '(?<n>b)\\k<n>', '(?=a)', '^', '$') },
);
const quantified = fc.tuple(atom, fc.constantFrom('', '', '', '?', '*', '+', '{2}', '{0,1}', '{1,2}', '??')).map(([a, q]) => a + q);
const source = fc.array(quantified, { minLength: 1, maxLength: 8 }).chain((parts) =>
  fc.boolean().map((alternate) => (alternate && parts.length > 1 ? `${parts.slice(0, 2).join('')}|${parts.slice(2).join('')}` : parts.join(''))),
);
const text = fc.array(fc.constantFrom('a', 'b', 'A', 'B', ' ', '1', '-', 'x', 'İ', 'ſ', 'K'), { maxLength: 14 }).map((cs) => cs.join(''));

describe('literal prefilter for rule patterns', () => {
  it('extracts only text that every match contains', () => {
    fc.assert(
      fc.property(source, fc.array(text, { minLength: 1, maxLength: 20 }), (src, texts) => {
        let re: RegExp;
        try {
          re = new RegExp(src, 'i');
        } catch {
          return;
        }
        const literal = requiredLiteral(src);
        if (literal === undefined) return;
        for (const t of texts) {
          const m = re.exec(t);
          if (m !== null) expect(m[0].toLowerCase(), `${src} on ${JSON.stringify(t)}`).toContain(literal);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('finds the literal of common rule patterns and none where an alternative could skip it', () => {
    expect(requiredLiteral('Failed password for')).toBe('failed password for');
    expect(requiredLiteral('out of memory.*killed')).toBe('out of memory');
    expect(requiredLiteral('colou?r theme')).toBe('r theme');
    expect(requiredLiteral('connection failed|connection refused')).toBeUndefined();
    expect(requiredLiteral('a{100}')).toBeUndefined();
    expect(requiredLiteral('\\x41\\x42\\x43\\x44')).toBeUndefined();
  });

  it('gives the same answers with the prefilter as the regex alone', () => {
    const matcher = new EntryMatcher({ pattern: 'disk (is )?FULL on' });
    const context = new MatchContext();
    for (const message of ['Disk full on /var', 'DISK IS FULL ON sda', 'disk nearly full on', 'disk full', 'x disk full onward']) {
      const e = entry({ message });
      context.reset(e);
      expect(matcher.matches(e, context), message).toBe(/disk (is )?FULL on/i.test(message));
    }
  });
});

describe('requiredLiterals (one per top-level alternative)', () => {
  it('gives one literal per alternative, or none when an alternative has none', async () => {
    const { requiredLiterals } = await import('../../src/alerts/matcher.ts');
    expect(requiredLiterals('connection failed|connection refused')).toEqual(['connection failed', 'connection refused']);
    expect(requiredLiterals('OutOfMemory|panic')).toEqual(['outofmemory', 'panic']);
    expect(requiredLiterals('timeout|x')).toBeUndefined();
    expect(requiredLiterals('(a|b)cde')).toEqual(['cde']);
    // Two alternatives, not three: the | in a class and the escaped one are text.
    expect(requiredLiterals('[|]abc|def\\|ghi')).toEqual(['abc', 'def']);
  });

  it('never rejects a line the regex matches (property, against re2js)', async () => {
    const { requiredLiterals } = await import('../../src/alerts/matcher.ts');
    const { compileSafeRegex } = await import('../../src/safe-regex.ts');
    const fc = (await import('fast-check')).default;
    const atom = fc.constantFrom('abc', 'err', 'x?', 'fail', '\\d+', '(ab|cd)', '[a|b]', ' ', '.*', 'q{2}');
    const pattern = fc.array(fc.array(atom, { minLength: 1, maxLength: 4 }).map((a) => a.join('')), { minLength: 1, maxLength: 3 }).map((b) => b.join('|'));
    const text = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'r', 'f', 'i', 'l', 'x', 'q', ' ', '1', '|', 'A', 'E', 'R'), maxLength: 30 });
    fc.assert(
      fc.property(pattern, text, (p, t) => {
        const literals = requiredLiterals(p);
        if (literals !== undefined && compileSafeRegex(p, { ignoreCase: true }).test(t)) {
          expect(literals.some((l) => t.toLowerCase().includes(l)), `${p} on ${t}`).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
