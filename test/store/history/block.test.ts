// Column blocks give back every field of every entry, whatever the raw lines hold (newlines, quotes,
// astral characters) and however the message relates to the raw line.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBlock, encodeBlock } from '../../../src/store/history/block.ts';
import { LEVELS } from '../../../src/types.ts';
import type { AppendEntry } from '../../../src/store/history/types.ts';

const text = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n', '"', '\\', 'é', '😀', '{', '0') , maxLength: 30 });

const entry = fc
  .record({
    time: fc.integer({ min: 0, max: 2 ** 45 }),
    lag: fc.integer({ min: -5000, max: 5000 }),
    level: fc.constantFrom(...LEVELS),
    source: fc.constantFrom('a.log', 'b/c.log', 'x "y"'),
    format: fc.constantFrom('json', 'combined', 'syslog'),
    raw: text,
    how: fc.constantFrom('suffix', 'inner', 'other', 'whole'),
    other: text,
    cut: fc.nat(),
    id: fc.integer({ min: 0, max: 2 ** 40 }),
    metadata: fc.option(fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.integer(), fc.string({ maxLength: 5 }))), { nil: undefined }),
    pattern: fc.option(fc.string({ maxLength: 6 }), { nil: undefined }),
  })
  .map((r): AppendEntry => {
    const a = r.raw.length === 0 ? 0 : r.cut % r.raw.length;
    const message = r.how === 'suffix' ? r.raw.slice(a) : r.how === 'inner' ? r.raw.slice(a, a + 3) : r.how === 'whole' ? r.raw : r.other;
    return { id: r.id, time: r.time, receivedAt: r.time + r.lag, level: r.level, source: r.source, format: r.format, raw: r.raw, message, metadata: r.metadata ?? {}, pattern: r.pattern };
  });

describe('column blocks', () => {
  it('decode to what was encoded, metadata rebuilt where it was left out', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ entry, elide: fc.boolean() }), { minLength: 1, maxLength: 20 }), fc.nat(1000), (rows, firstSeq) => {
        const rebuild = (format: string, raw: string) => ({ rebuilt: `${format}:${raw}` });
        const got = decodeBlock(encodeBlock(rows), firstSeq, rebuild);
        expect(got).toEqual(
          rows.map(({ entry: e, elide }, k) => {
            const want: Record<string, unknown> = { seq: firstSeq + k, id: e.id, time: e.time, receivedAt: e.receivedAt, level: e.level, source: e.source, format: e.format, message: e.message, raw: e.raw, metadata: elide ? rebuild(e.format, e.raw) : e.metadata };
            if (e.pattern !== undefined) want.pattern = e.pattern;
            return want;
          }),
        );
      }),
    );
  });

  it('refuses a block whose lengths do not match its text', () => {
    const block = encodeBlock([{ entry: { id: 1, time: 1, receivedAt: 1, level: 'INFO', source: 's', format: 'f', raw: 'abc', message: 'abc', metadata: {} }, elide: false }]);
    expect(() => decodeBlock(`${block}x`, 0, undefined)).toThrow(/do not match/);
    expect(() => decodeBlock('no header', 0, undefined)).toThrow(/no header/);
  });
});
