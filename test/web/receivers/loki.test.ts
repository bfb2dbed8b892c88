// POST /loki/api/v1/push with a real Loki client (winston-loki, JSON and protobuf + snappy modes)
// against a real server on 127.0.0.1, and the error answers with hand-made requests.
import { gzipSync } from 'node:zlib';
import snappyNative from 'snappy';
import { afterEach, describe, expect, it } from 'vitest';
import winston from 'winston';
import LokiTransport from 'winston-loki';
import { PushRequest } from '../../../src/sources/receivers/loki-decode.ts';
import { eventually } from '../../helpers/process.ts';
import { entriesOf } from '../../sources/receivers/helpers.ts';
import { startReceivers, type ReceiverServer } from './server.ts';

let running: ReceiverServer | undefined;
afterEach(async () => {
  await running?.server.close();
  running = undefined;
});

async function shipWithWinston(url: string, json: boolean): Promise<void> {
  const errors: unknown[] = [];
  const transport = new LokiTransport({ host: url, json, labels: { host: 'web-1', job: 'checkout' }, batching: true, interval: 0.05, gracefulShutdown: false, onConnectionError: (err: unknown) => errors.push(err) });
  const logger = winston.createLogger({ transports: [transport] });
  logger.info('order placed', { order: 42 });
  logger.error('card declined');
  logger.warn('10.0.0.1 - - [30/Nov/2026:10:15:02 +0000] "GET /pay HTTP/1.1" 502 12 "-" "curl/8"');
  await transport.flush();
  await transport.close();
  logger.close();
  expect(errors).toEqual([]);
}

describe('Loki push receiver with winston-loki', () => {
  for (const json of [true, false]) {
    it(`takes ${json ? 'JSON' : 'protobuf + snappy'} pushes: labels to metadata, the level label, the line parsed`, async () => {
      running = await startReceivers();
      const before = Date.now();
      await shipWithWinston(running.url, json);
      const spool = running.spool;
      await eventually(() => spool.lines === 3, 5000, 'three lines spooled');
      const entries = entriesOf(spool.parts);
      expect(entries.map((e) => [e.source, e.level])).toEqual([
        ['web-1:checkout', 'INFO'],
        ['web-1:checkout', 'ERROR'],
        // The access line's own status wins over the label.
        ['web-1:checkout', 'ERROR'],
      ]);
      expect(entries[0].message).toBe('order placed {"order":42,"level":"info"}');
      expect(entries[0].metadata).toMatchObject({ host: 'web-1', job: 'checkout', level: 'info' });
      expect(entries[0].time).toBeGreaterThanOrEqual(before - 1000);
      expect(entries[2]).toMatchObject({ format: 'combined', metadata: { status: 502, path: '/pay', level: 'warn' } });
      expect(new Set(running.contentTypes)).toEqual(new Set([json ? 'application/json' : 'application/x-protobuf']));
      expect(running.intake.snapshot()).toEqual([
        { receiver: 'loki', received: 3, refused: {} },
        { receiver: 'otlp', received: 0, refused: {} },
      ]);
    });
  }
});

describe('Loki push receiver answers', () => {
  const push = (url: string, body: BodyInit, headers: Record<string, string>) => fetch(`${url}/loki/api/v1/push`, { method: 'POST', body, headers });
  const valid = JSON.stringify({ streams: [{ stream: { job: 'a' }, values: [['1764497702000000000', 'hello']] }] });

  it('takes gzip JSON with 204 and an empty body', async () => {
    running = await startReceivers();
    const res = await push(running.url, gzipSync(valid), { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(entriesOf(running.spool.parts).map((e) => [e.source, e.message, e.time])).toEqual([['loki:a', 'hello', 1764497702000]]);
  });

  it('answers 400 with the reason, 415, and 413 over either limit; nothing is spooled', async () => {
    running = await startReceivers({ maxBodyBytes: 2048, maxDecodedBytes: 4096 });
    const url = running.url;
    let res = await push(url, '{"streams":[{"stream":{},"values":[["x","y"]]}]}', { 'Content-Type': 'application/json' });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/streams\.0\.values\.0\.0: "x" is not a Unix time/);
    res = await push(url, '{nope', { 'Content-Type': 'application/json' });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/^body: invalid JSON/);
    res = await push(url, 'x', { 'Content-Type': 'text/plain' });
    expect(res.status).toBe(415);
    res = await push(url, valid, { 'Content-Type': 'application/json', 'Content-Encoding': 'br' });
    expect(res.status).toBe(415);
    res = await push(url, 'x'.repeat(3000), { 'Content-Type': 'application/json' });
    expect(res.status).toBe(413);
    // Small when sent, too large once gunzipped (a gzip bomb in miniature) or unsnappied.
    const big = JSON.stringify({ streams: [{ stream: {}, values: [['1', 'x'.repeat(10_000)]] }] });
    res = await push(url, gzipSync(big), { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
    expect(res.status).toBe(413);
    const proto = snappyNative.compressSync(Buffer.from(PushRequest.encode(PushRequest.fromObject({ streams: [{ labels: '{}', entries: [{ line: 'x'.repeat(10_000) }] }] })).finish()));
    expect(proto.length).toBeLessThan(2048);
    res = await push(url, new Uint8Array(proto), { 'Content-Type': 'application/x-protobuf' });
    expect(res.status).toBe(413);
    expect((await res.json()).error).toMatch(/decompresses to more than 4096 bytes/);
    res = await push(url, gzipSync('not json'), { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
    expect(res.status).toBe(400);
    res = await push(url, 'not gzip', { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
    expect(res.status).toBe(400);
    expect(running.spool.lines).toBe(0);
    expect(running.intake.snapshot()[0]).toEqual({ receiver: 'loki', received: 0, refused: { malformed: 4, unsupported: 2, too_large: 3 } });
  });

  it('answers 429 with Retry-After while the spool is backed up, 503 when it fails', async () => {
    running = await startReceivers({ maxPendingBytes: 0 });
    const { spool, url } = running;
    let open!: () => void;
    spool.gate = new Promise((resolve) => (open = resolve));
    const first = push(url, valid, { 'Content-Type': 'application/json' });
    await eventually(() => running!.intake.backedUp());
    const res = await push(url, valid, { 'Content-Type': 'application/json' });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    open();
    spool.gate = null;
    expect((await first).status).toBe(204);
    spool.failWith = new Error('disk full');
    const failed = await push(url, valid, { 'Content-Type': 'application/json' });
    expect(failed.status).toBe(503);
    expect((await failed.json()).error).toMatch(/disk full/);
    expect(spool.lines).toBe(1);
    expect(running.intake.snapshot()[0]).toEqual({ receiver: 'loki', received: 1, refused: { backed_up: 1, spool_error: 1 } });
  });
});
