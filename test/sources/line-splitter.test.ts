import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter, truncationMarker } from '../../src/sources/line-splitter.ts';

/** Feeds `bytes` in chunks of the given sizes; returns lines, end offsets and what is left pending. */
function split(bytes: Buffer, chunkSizes: number[], maxLineBytes = 1024) {
  const splitter = new LineSplitter(maxLineBytes);
  const lines: string[] = [];
  const ends: number[] = [];
  let pos = 0;
  let i = 0;
  while (pos < bytes.length) {
    const size = Math.max(1, chunkSizes.length === 0 ? bytes.length : chunkSizes[i++ % chunkSizes.length]);
    const chunk = Buffer.from(bytes.subarray(pos, pos + size));
    // A reused, larger buffer with stale bytes after `length` must not leak into lines.
    const padded = Buffer.concat([chunk, Buffer.from('\nSTALE\n')]);
    splitter.push(padded, chunk.length, pos, lines, ends);
    pos += chunk.length;
  }
  return { lines, ends, pending: splitter.pendingBytes, splitter };
}

describe('LineSplitter', () => {
  it('splits complete lines, strips \\n and \\r\\n, and keeps the unfinished last line pending', () => {
    const { lines, ends, pending } = split(Buffer.from('one\ntwo\r\n\nthree'), []);
    expect(lines).toEqual(['one', 'two', '']);
    expect(ends).toEqual([4, 9, 10]);
    expect(pending).toBe(5);
  });

  it('joins a line split across reads, including a \\r\\n split between them', () => {
    const { lines, ends } = split(Buffer.from('hello world\r\nnext\n'), [12, 1, 3]);
    expect(lines).toEqual(['hello world', 'next']);
    expect(ends).toEqual([13, 18]);
  });

  it('decodes multi-byte UTF-8 split across reads', () => {
    const text = 'naïve café ☕ 𝄞 done\n';
    for (let cut = 1; cut < Buffer.byteLength(text); cut++) {
      expect(split(Buffer.from(text), [cut]).lines).toEqual(['naïve café ☕ 𝄞 done']);
    }
  });

  it('turns invalid UTF-8 into U+FFFD without throwing and keeps byte offsets exact', () => {
    const bytes = Buffer.from([0x61, 0xff, 0x62, 0x0a, 0xc3, 0x0a, 0xe2, 0x82, 0x0a, 0x63, 0x0a]);
    const { lines, ends } = split(bytes, []);
    expect(lines).toEqual(['a\uFFFDb', '\uFFFD', '\uFFFD', 'c']);
    expect(ends).toEqual([4, 6, 9, 11]);
  });

  it('cuts a line over the limit, marks it with the dropped byte count, and counts it', () => {
    const long = 'x'.repeat(300);
    const { lines, splitter } = split(Buffer.from(`${long}\nshort\n`), [], 256);
    expect(lines).toEqual([`${'x'.repeat(256)}${truncationMarker(44)}`, 'short']);
    expect(splitter.truncatedLines).toBe(1);
  });

  it('cuts an over-long line that arrives in many reads with bounded memory', () => {
    const { lines, splitter } = split(Buffer.from(`${'y'.repeat(10_000)}\r\nok\n`), [100], 256);
    expect(lines).toEqual([`${'y'.repeat(256)}${truncationMarker(10_000 - 256)}`, 'ok']);
    expect(splitter.truncatedLines).toBe(1);
  });

  it('cuts at a character boundary, never inside a multi-byte character', () => {
    const line = `${'a'.repeat(255)}€€€`; // € is 3 bytes: the cut at 256 falls inside the first one
    for (const chunks of [[], [7], [256]]) {
      const { lines } = split(Buffer.from(`${line}\n`), chunks, 256);
      expect(lines).toEqual([`${'a'.repeat(255)}${truncationMarker(9)}`]);
    }
  });

  it('emits the unfinished line on request, ending at the offset given', () => {
    const splitter = new LineSplitter(1024);
    const lines: string[] = [];
    const ends: number[] = [];
    splitter.push(Buffer.from('a\npartial\r'), 10, 100, lines, ends);
    expect(splitter.flushPartial(110, lines, ends)).toBe(true);
    expect(lines).toEqual(['a', 'partial']);
    expect(ends).toEqual([102, 110]);
    expect(splitter.flushPartial(110, lines, ends)).toBe(false);
  });

  it('splits any byte stream in any chunking exactly like a whole-buffer split', () => {
    const byteArb = fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
      { weight: 2, arbitrary: fc.constantFrom(0x0a, 0x0d) },
      { weight: 2, arbitrary: fc.integer({ min: 0x80, max: 0xff }) },
    );
    fc.assert(
      fc.property(fc.array(byteArb, { maxLength: 600 }), fc.array(fc.integer({ min: 1, max: 70 }), { maxLength: 8 }), (raw, chunks) => {
        const bytes = Buffer.from(raw);
        const max = 64;
        const got = split(bytes, chunks, max);
        // Reference: split the whole buffer at 0x0A, one line at a time.
        const expected: string[] = [];
        const expectedEnds: number[] = [];
        let start = 0;
        for (let i = 0; i < bytes.length; i++) {
          if (bytes[i] !== 0x0a) continue;
          let end = i;
          if (end > start && bytes[end - 1] === 0x0d) end--;
          expected.push(reference(bytes.subarray(start, end), max));
          expectedEnds.push(i + 1);
          start = i + 1;
        }
        expect(got.lines).toEqual(expected);
        expect(got.ends).toEqual(expectedEnds);
        expect(got.pending).toBe(bytes.length - start);
      }),
      { seed: 4242, numRuns: 400 },
    );
  });
});

/** The expected text of one line: decoded, cut at the limit on a character boundary and marked. */
function reference(line: Buffer, max: number): string {
  if (line.length <= max) return line.toString('utf8');
  let cut = max;
  for (let back = 0; back < 3 && cut > 0 && (line[cut] & 0xc0) === 0x80; back++) cut--;
  return line.toString('utf8', 0, cut) + truncationMarker(line.length - cut);
}
