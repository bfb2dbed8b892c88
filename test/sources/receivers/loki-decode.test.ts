// Loki push bodies (JSON and snappy protobuf) into records.
import fc from 'fast-check';
import snappyNative from 'snappy';
import snappy from 'snappyjs';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/sources/receivers/decode.ts';
import { decodeLokiJson, decodeLokiProtobuf, lokiSource, parseLabels, PushRequest } from '../../../src/sources/receivers/loki-decode.ts';

const NS = '1764497702123456789';
const MS = 1764497702123;

function protobufBody(streams: Array<{ labels: string; entries: Array<{ seconds: number; nanos: number; line: string; structuredMetadata?: Array<{ name: string; value: string }> }> }>, compress: (b: Buffer) => Uint8Array = (b) => snappyNative.compressSync(b)): Uint8Array {
  const message = PushRequest.fromObject({
    streams: streams.map((s) => ({ labels: s.labels, entries: s.entries.map((e) => ({ timestamp: { seconds: e.seconds, nanos: e.nanos }, line: e.line, structuredMetadata: e.structuredMetadata ?? [] })) })),
  });
  return compress(Buffer.from(PushRequest.encode(message).finish()));
}

describe('decodeLokiJson', () => {
  it('takes labels and structured metadata to metadata, ns times to ms, and names the source host:app', () => {
    const records = decodeLokiJson({
      streams: [
        { stream: { host: 'web-1', filename: '/var/log/nginx/access.log', job: 'nginx' }, values: [[NS, 'line one'], [NS, 'line two', { trace_id: 'abc', level: 'warn' }]] },
        { stream: { job: 'worker' }, values: [['1', 'early']] },
      ],
    });
    expect(records).toEqual([
      { source: 'web-1:/var/log/nginx/access.log', line: 'line one', time: MS, metadata: { host: 'web-1', filename: '/var/log/nginx/access.log', job: 'nginx' } },
      { source: 'web-1:/var/log/nginx/access.log', line: 'line two', time: MS, level: 'WARNING', metadata: { host: 'web-1', filename: '/var/log/nginx/access.log', job: 'nginx', trace_id: 'abc', level: 'warn' } },
      { source: 'loki:worker', line: 'early', time: 0, metadata: { job: 'worker' } },
    ]);
  });

  it('refuses malformed bodies naming the place', () => {
    const bad = (body: unknown) => {
      try {
        decodeLokiJson(body);
      } catch (err) {
        expect(err).toBeInstanceOf(DecodeError);
        return (err as Error).message;
      }
      throw new Error('accepted');
    };
    expect(bad({})).toMatch(/^streams: /);
    expect(bad({ streams: [{ stream: {}, values: [['x']] }] })).toMatch(/^streams\.0\.values\.0/);
    expect(bad({ streams: [{ stream: { a: 1 }, values: [] }] })).toMatch(/^streams\.0\.stream\.a/);
    expect(bad({ streams: [{ stream: {}, values: [['soon', 'line']] }] })).toMatch(/^streams\.0\.values\.0\.0: "soon" is not a Unix time/);
  });
});

describe('decodeLokiProtobuf', () => {
  it('reads a snappy-compressed PushRequest (compressed by the native snappy library and by snappyjs alike)', () => {
    const streams = [
      { labels: '{host="db-2", job="postgres", note="a \\"quoted\\" \\\\ value"}', entries: [{ seconds: 1764497702, nanos: 123456789, line: 'checkpoint', structuredMetadata: [{ name: 'pod', value: 'p-1' }] }] },
      { labels: '{}', entries: [{ seconds: 0, nanos: 0, line: '' }] },
    ];
    for (const compress of [(b: Buffer) => snappyNative.compressSync(b), (b: Buffer) => snappy.compress(b)]) {
      expect(decodeLokiProtobuf(protobufBody(streams, compress), 1 << 20)).toEqual([
        { source: 'db-2:postgres', line: 'checkpoint', time: MS, metadata: { host: 'db-2', job: 'postgres', note: 'a "quoted" \\ value', pod: 'p-1' } },
        { source: 'loki:default', line: '', time: 0, metadata: {} },
      ]);
    }
  });

  it('refuses bodies that are not snappy, not a PushRequest, or decompress past the limit', () => {
    expect(() => decodeLokiProtobuf(Buffer.from('{"streams":[]}'), 1 << 20)).toThrow(/not snappy block compressed/);
    expect(() => decodeLokiProtobuf(snappyNative.compressSync(Buffer.from([0x0a, 0xff, 0xff, 0x01])), 1 << 20)).toThrow(/not a logproto.PushRequest/);
    const big = protobufBody([{ labels: '{a="b"}', entries: [{ seconds: 1, nanos: 0, line: 'x'.repeat(10_000) }] }]);
    expect(() => decodeLokiProtobuf(big, 1000)).toThrow(expect.objectContaining({ reason: 'too_large' }));
  });
});

describe('parseLabels', () => {
  it('reads back any label set written in Prometheus syntax', () => {
    const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,10}$/), fc.string()), (labels) => {
        const text = `{${Object.entries(labels).map(([k, v]) => `${k}="${escape(v)}"`).join(', ')}}`;
        expect(parseLabels(text)).toEqual(labels);
      }),
    );
  });

  it('refuses what is not a label set', () => {
    expect(() => parseLabels('job="x"')).toThrow(/not enclosed in braces/);
    expect(() => parseLabels('{job=x}')).toThrow(/quoted value expected for job/);
    expect(() => parseLabels('{job="x}')).toThrow(/unterminated value of job/);
  });

  it('keeps a label named __proto__ as a field', () => {
    const labels = parseLabels('{__proto__="x"}');
    expect(Object.keys(labels)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
  });
});

describe('lokiSource', () => {
  it('prefers host and filename, then the usual labels of each shipper', () => {
    expect(lokiSource({ hostname: 'h', service_name: 's' })).toBe('h:s');
    expect(lokiSource({ instance: 'i:9100', job: 'j' })).toBe('i:9100:j');
    expect(lokiSource({ container: 'c\n' })).toBe('loki:c');
  });
});
