// TCP framing (RFC 6587): a model test against the messages that were framed, cut at random places.
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SyslogFramer, type FramerResult } from '../../../src/sources/receivers/syslog-framing.ts';

const MAX = 64;

function frameAll(chunks: Uint8Array[], max = MAX, end = true): FramerResult {
  const framer = new SyslogFramer(max);
  const out: FramerResult = { frames: [], tooLarge: 0 };
  for (const chunk of chunks) framer.push(chunk, out);
  if (end) framer.end(out);
  return out;
}

function cut(bytes: Buffer, points: number[]): Buffer[] {
  const at = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of [...at, bytes.length]) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  return out;
}

// An LF-framed message cannot hold LF or NUL and does not start with a digit or blank; a counted one can hold anything.
const lfMessage = fc.string({ unit: fc.constantFrom('a', 'b', ' ', 'é', '<', '>', '1', '\r', '€'), minLength: 1, maxLength: 90 }).filter((s) => /^[^\d \r]/.test(s) && !s.endsWith('\r'));
const countedMessage = fc.string({ unit: fc.constantFrom('a', '\n', '\u0000', ' ', '7', 'ü'), minLength: 1, maxLength: 90 });

describe('SyslogFramer', () => {
  it('returns exactly the messages framed, in order, with either framing mixed, however the stream is cut', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(lfMessage.map((m) => ({ m, counted: false })), countedMessage.map((m) => ({ m, counted: true }))), { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.boolean(),
        (messages, points, lastUnterminated) => {
          let stream = '';
          messages.forEach(({ m, counted }, i) => {
            const last = i === messages.length - 1;
            stream += counted ? `${Buffer.byteLength(m)} ${m}` : last && lastUnterminated ? m : `${m}\n`;
          });
          const out = frameAll(cut(Buffer.from(stream), points));
          const fits = messages.filter(({ m }) => Buffer.byteLength(m) <= MAX).map(({ m }) => m);
          expect(out.frames).toEqual(fits);
          expect(out.tooLarge).toBe(messages.length - fits.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('accepts CRLF, NUL terminators and blank lines between frames', () => {
    expect(frameAll([Buffer.from('a\r\n\nb\u0000c\n  \n')]).frames).toEqual(['a\r', 'b', 'c']);
  });

  it('treats digits not followed by a space as the start of an LF-framed message', () => {
    expect(frameAll([Buffer.from('2026-11-30 started\n12abc\n')]).frames).toEqual(['2026-11-30 started', '12abc']);
  });

  it('skips an oversize frame without buffering it, then goes on', () => {
    const framer = new SyslogFramer(MAX);
    const out: FramerResult = { frames: [], tooLarge: 0 };
    framer.push(Buffer.from('100000 '), out);
    for (let i = 0; i < 100; i++) framer.push(Buffer.alloc(1000, 97), out);
    framer.push(Buffer.from('5 hello'), out);
    expect(framer.buffered).toBe(0);
    expect(out).toEqual({ frames: ['hello'], tooLarge: 1 });
    framer.push(Buffer.alloc(10_000, 98), out);
    expect(framer.buffered).toBe(0);
    framer.push(Buffer.from('bbb\nnext\n'), out);
    expect(out).toEqual({ frames: ['hello', 'next'], tooLarge: 2 });
  });

  it('drops an octet-counted frame cut by the end of the stream, but keeps an unterminated line', () => {
    expect(frameAll([Buffer.from('10 abc')]).frames).toEqual([]);
    expect(frameAll([Buffer.from('abc')]).frames).toEqual(['abc']);
    expect(frameAll([Buffer.from('abc')], MAX, false).frames).toEqual([]);
  });

  it('decodes invalid UTF-8 as U+FFFD', () => {
    expect(frameAll([Buffer.from([0x61, 0xff, 0x62, 0x0a])]).frames).toEqual(['a\ufffdb']);
  });
});
