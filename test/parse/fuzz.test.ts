// Log text is hostile: whatever bytes arrive, in whatever batches, parsing never throws, every line
// ends up in exactly one entry (blank lines with nothing to join aside), in order, and every entry is
// well-formed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILTIN_FORMATS } from '../../src/parse/index.ts';
import { LEVELS, type LogEntry } from '../../src/types.ts';
import { newParser, NOW } from './helpers.ts';

const SEEDS = [
  '10.0.0.1 - - [30/Nov/2026:10:15:02 +0000] "GET / HTTP/1.1" 200 512 "-" "curl/8.0"',
  'Nov 30 10:15:02 host sshd[1]: Accepted',
  '<34>1 2026-11-30T10:15:02Z host app - - [id k="v"] msg',
  '{"level":"info","msg":"x","time":"2026-11-30T10:15:02Z"}',
  'level=warn msg="quoted \\" value" t=2026-11-30T10:15:02Z',
  '2026-11-30 10:15:02,123 - db - ERROR - boom',
  'Traceback (most recent call last):',
  '\tat com.example.Foo.bar(Foo.java:42)',
  '2015-10-18 18:01:47,978 INFO [main] org.x.Y: msg',
  'E1130 10:15:02.123456 1 f.go:1] x',
  '[    1.000000] kernel',
  '2016/10/25 14:49:34 [error] 1#0: *1 x',
  '[Sun Dec 04 04:47:44 2005] [error] x',
  '03-17 16:13:38.811  1702  2395 D Tag: x',
  '',
  '   ',
];

/** Lines a hostile or broken writer produces: anything but the line terminator itself. */
const hostileLine = fc.oneof(
  fc.constantFrom(...SEEDS),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.constantFrom('\u0000', '\uFFFD\uFFFD', '\uD800', 'x\r', '\r', '{', '[', '"', '<', '<999>', '- - [', '{"level":'),
  fc.tuple(fc.constantFrom(...SEEDS), fc.string({ unit: 'binary', maxLength: 40 })).map(([a, b]) => a + b),
  fc.tuple(fc.constantFrom(...SEEDS), fc.nat({ max: 80 })).map(([a, n]) => a.slice(0, n)),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null'),
).map((line) => line.replace(/\n/g, ' '));

const batchOf = fc.record({
  lines: fc.array(hostileLine, { maxLength: 12 }),
  format: fc.option(fc.constantFrom(...BUILTIN_FORMATS), { nil: undefined, freq: 4 }),
  timezone: fc.option(fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', '+05:30'), { nil: undefined }),
});

function wellFormed(entry: LogEntry): void {
  expect(LEVELS).toContain(entry.level);
  expect(Number.isFinite(entry.time)).toBe(true);
  expect(typeof entry.message).toBe('string');
  expect(typeof entry.raw).toBe('string');
  expect(typeof entry.format).toBe('string');
  expect(entry.id).toBe(0);
  expect(entry.source).toBe('test.log');
  expect(entry.receivedAt).toBe(NOW);
  expect(entry.metadata).toBeTypeOf('object');
  expect(entry.metadata).not.toBeNull();
  expect(() => JSON.stringify(entry.metadata)).not.toThrow();
}

const isBlank = (line: string) => line.trim().length === 0 && !/[^\t ]/.test(line);

/** How many input lines the output lines account for, matched in order (unmatched input must be blank). */
function consumed(output: readonly string[], input: readonly string[]): number {
  let i = 0;
  let k = 0;
  while (i < output.length && k < input.length) {
    if (output[i] === input[k]) i++;
    k++;
  }
  return k;
}

describe('parsing hostile input', () => {
  it('never throws, loses, duplicates or reorders a line, and keeps heldLines exact', () => {
    fc.assert(
      fc.property(fc.array(batchOf, { minLength: 1, maxLength: 6 }), (batches) => {
        const parser = newParser();
        const entries: LogEntry[] = [];
        const input: string[] = [];
        for (const batch of batches) {
          parser.push({ lines: batch.lines, receivedAt: NOW, format: batch.format, timezone: batch.timezone }, entries);
          for (const line of batch.lines) input.push(line.endsWith('\r') ? line.slice(0, -1) : line);
          // heldLines counts the lines after the last emitted one that the held entry took: every
          // non-blank one of them (nothing else drops a line) and at most all of them.
          const rest = input.slice(consumed(entries.flatMap((e) => e.raw.split('\n')), input));
          expect(parser.heldLines, `held of ${JSON.stringify(rest)}`).toBeGreaterThanOrEqual(rest.filter((l) => !isBlank(l)).length);
          expect(parser.heldLines, `held of ${JSON.stringify(rest)}`).toBeLessThanOrEqual(rest.length);
        }
        const held = parser.heldLines;
        const flushed: LogEntry[] = [];
        parser.flush(flushed);
        expect(flushed.length).toBe(held > 0 ? 1 : 0);
        if (held > 0) expect(flushed[0]!.raw.split('\n')).toHaveLength(held);
        expect(parser.heldLines).toBe(0);
        entries.push(...flushed);

        for (const entry of entries) wellFormed(entry);
        // The entries' raw lines, in order, are the input lines minus some blank ones.
        const output = entries.flatMap((e) => e.raw.split('\n'));
        let i = 0;
        for (const line of input) {
          if (i < output.length && output[i] === line) i++;
          else expect(isBlank(line), `line ${JSON.stringify(line)} lost`).toBe(true);
        }
        expect(i).toBe(output.length);
      }),
      { numRuns: 300 },
    );
  });

  it('gives 64 KiB lines, NUL and deep JSON an entry each, quickly', () => {
    const big = 'x'.repeat(64 * 1024);
    const lines = [
      `10.0.0.1 - - [30/Nov/2026:10:15:02 +0000] "GET /${big} HTTP/1.1" 200 1 "-" "${big}"`,
      `{"level":"info","msg":"${big}"}`,
      `${'['.repeat(60_000)}${']'.repeat(60_000)}`,
      `{"a":${'{"b":'.repeat(20_000)}1${'}'.repeat(20_000)}}`,
      `2026-11-30 10:15:02,123 - db - ERROR - ${big}`,
      `Nov 30 10:15:02 ${big}`,
      `level=info msg="${big}`,
      `\u0000${big}\uFFFD`,
      `"${'\\"'.repeat(30_000)}`,
    ];
    for (const line of lines) {
      const started = performance.now();
      const parser = newParser();
      const out: LogEntry[] = [];
      parser.push({ lines: [line], receivedAt: NOW }, out);
      parser.flush(out);
      expect(out).toHaveLength(1);
      wellFormed(out[0]!);
      expect(out[0]!.raw).toBe(line);
      expect(performance.now() - started).toBeLessThan(2000);
    }
  });
});
