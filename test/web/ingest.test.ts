import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type WebApp } from '../../src/app.ts';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createIngestSpool, type IngestPart } from '../../src/sources/index.ts';
import { SPOOL_DIR } from '../../src/sources/ingest-spool.ts';
import { segmentName } from '../../src/sources/spool-segments.ts';
import { ingestRoutes } from '../../src/web/ingest.ts';
import { waitFor } from '../helpers/wait.ts';
import { fakeContext } from './fake-context.ts';

let web: WebApp | undefined;
afterEach(() => web?.close());

function setup(config: Parameters<typeof fakeContext>[0] = {}) {
  const ctx = fakeContext(config);
  web = createApp(ctx);
  const post = (path: string, body: BodyInit | null, headers: Record<string, string> = {}) =>
    web!.app.request(path, { method: 'POST', body, headers });
  return { ctx, post };
}

describe('POST /api/ingest', () => {
  it('accepts text/plain, one line per line (LF or CRLF), into the source named by ?source=', async () => {
    const { ctx, post } = setup();
    const res = await post('/api/ingest?source=web-1', 'first\r\nsecond\nthird\n', { 'Content-Type': 'text/plain' });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 3 });
    const stored = ctx.pipeline.store.all();
    expect(stored.map((e) => e.raw)).toEqual(['first', 'second', 'third']);
    expect(stored.every((e) => e.source === 'web-1')).toBe(true);
  });

  it('takes the source from X-Log-Source, defaulting to "http"', async () => {
    const { ctx, post } = setup();
    await post('/api/ingest', 'a', { 'Content-Type': 'text/plain', 'X-Log-Source': 'worker' });
    await post('/api/ingest', 'b', { 'Content-Type': 'text/plain' });
    expect(ctx.pipeline.store.all().map((e) => e.source)).toEqual(['worker', 'http']);
  });

  it('parses NDJSON objects as JSON log lines', async () => {
    const { ctx, post } = setup();
    const body = '{"level":"error","message":"boom"}\n{"level":"info","message":"ok"}\n';
    const res = await post('/api/ingest', body, { 'Content-Type': 'application/x-ndjson' });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 2 });
    expect(ctx.spool.accepted[0]).toEqual([{ source: 'http', lines: ['{"level":"error","message":"boom"}', '{"level":"info","message":"ok"}'], format: 'json' }]);
  });

  it('accepts application/json: one object, or an array of objects and strings in order', async () => {
    const { ctx, post } = setup();
    expect((await post('/api/ingest', JSON.stringify({ message: 'one' }), { 'Content-Type': 'application/json' })).status).toBe(202);
    const res = await post('/api/ingest', JSON.stringify([{ message: 'a' }, 'plain line', { message: 'b' }]), { 'Content-Type': 'application/json' });
    expect(await res.json()).toEqual({ accepted: 3 });
    expect(ctx.spool.accepted[1]).toEqual([
      { source: 'http', lines: ['{"message":"a"}'], format: 'json' },
      { source: 'http', lines: ['plain line'] },
      { source: 'http', lines: ['{"message":"b"}'], format: 'json' },
    ]);
  });

  it('malformed NDJSON is a 400 naming the line, and nothing of the request is accepted', async () => {
    const { ctx, post } = setup();
    const res = await post('/api/ingest', '{"message":"ok"}\n{"message": nope}\n', { 'Content-Type': 'application/x-ndjson' });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/^line 2: invalid JSON/);
    expect(ctx.spool.accepted).toEqual([]);
    expect(ctx.pipeline.store.size).toBe(0);
  });

  it('JSON that is not an object or array of objects/strings is a 400', async () => {
    const { ctx, post } = setup();
    const number = await post('/api/ingest', '42', { 'Content-Type': 'application/json' });
    expect(number.status).toBe(400);
    expect((await number.json()).error).toMatch(/expected a JSON object/);
    const nested = await post('/api/ingest', '[{"a":1},[1]]', { 'Content-Type': 'application/json' });
    expect(nested.status).toBe(400);
    expect((await nested.json()).error).toMatch(/element \[1\]/);
    expect(ctx.pipeline.store.size).toBe(0);
  });

  it('other content types get 415', async () => {
    const { ctx, post } = setup();
    const res = await post('/api/ingest', 'a=b', { 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
    expect((await res.json()).error).toMatch(/text\/plain/);
    expect(ctx.pipeline.store.size).toBe(0);
  });

  it('bodies over the limit get 413 and accept nothing', async () => {
    const { ctx, post } = setup({ ingest: { maxBodyBytes: 2048 } });
    const res = await post('/api/ingest', 'x'.repeat(3000), { 'Content-Type': 'text/plain' });
    expect(res.status).toBe(413);
    expect((await res.json()).error).toMatch(/larger than 2048 bytes/);
    // Without a Content-Length (a chunked upload) the limit holds while reading.
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode('y'.repeat(500)));
        controller.close();
      },
    });
    const chunked = await web!.app.request('/api/ingest', { method: 'POST', body: stream, headers: { 'Content-Type': 'text/plain' }, duplex: 'half' } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(ctx.pipeline.store.size).toBe(0);
  });

  it('with a token set, requests without the right bearer token get 401', async () => {
    const { ctx, post } = setup({ token: 's3cret' });
    expect((await post('/api/ingest', 'a', { 'Content-Type': 'text/plain' })).status).toBe(401);
    const wrong = await post('/api/ingest', 'a', { 'Content-Type': 'text/plain', Authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error).toMatch(/Authorization: Bearer/);
    expect(ctx.pipeline.store.size).toBe(0);
    const right = await post('/api/ingest', 'a', { 'Content-Type': 'text/plain', Authorization: 'Bearer s3cret' });
    expect(right.status).toBe(202);
  });

  it('an empty body or a bad source name is a 400', async () => {
    const { post } = setup();
    expect((await post('/api/ingest', '', { 'Content-Type': 'text/plain' })).status).toBe(400);
    const bad = await post('/api/ingest?source=a%0Ab', 'x', { 'Content-Type': 'text/plain' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/control characters/);
  });

  it('invalid UTF-8 is accepted with replacement characters, never a crash', async () => {
    const { ctx, post } = setup();
    const res = await post('/api/ingest', new Uint8Array([0x61, 0xff, 0xfe, 0x62, 0x0a]), { 'Content-Type': 'text/plain' });
    expect(res.status).toBe(202);
    expect(ctx.pipeline.store.all()[0].raw).toBe('a\ufffd\ufffdb');
  });
});

describe('POST /api/ingest when the spool cannot write', () => {
  it('answers 503 with a JSON error, accepts nothing, and takes lines again once the disk is writable', async () => {
    // The real spool and a real failed write: one line fills the first (smallest) segment, and where the
    // next segment file must go there is a directory.
    const ctx = fakeContext({ ingest: { spoolSegmentBytes: 64 * 1024 } });
    const stateDir = ctx.config.stateDir;
    const spool = createIngestSpool({ ingest: ctx.config.ingest, stateDir, sink: ctx.pipeline, logger: ctx.logger, clock: ctx.clock });
    await spool.open();
    web = createApp({ ...ctx, ingest: spool, sources: { ...ctx.sources, status: () => spool.status() } });
    const post = (body: string) => web!.app.request('/api/ingest?source=api', { method: 'POST', body, headers: { 'Content-Type': 'text/plain' } });
    const big = 'x'.repeat(70 * 1024);
    expect((await post(big)).status).toBe(202);
    const blocker = join(stateDir, SPOOL_DIR, segmentName(1)); // named by the sequence number of its first line
    await mkdir(blocker);

    const res = await post('a\nb\n');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect((await res.json()).error).toMatch(/EISDIR.*nothing was accepted, retry later/);
    expect(ctx.pipeline.store.all().map((e) => e.raw)).toEqual([big]);
    expect(ctx.logger.lines.some((l) => l.includes('EISDIR'))).toBe(true);
    const sources = await (await web.app.request('/api/sources')).json();
    expect(sources).toEqual([expect.objectContaining({ name: 'api', kind: 'ingest', lastError: expect.stringMatching(/EISDIR/) })]);

    await rm(blocker, { recursive: true });
    const retried = await post('a\nb\n');
    expect(retried.status).toBe(202);
    expect(ctx.pipeline.store.all().map((e) => e.raw)).toEqual([big, 'a', 'b']);
    await spool.close();
  });
});

describe('POST /api/ingest under back-pressure', () => {
  it('answers 429 with Retry-After while more than maxPendingBytes wait to be made durable, then accepts again', async () => {
    // A spool whose writes finish when the test says so.
    const accepted: IngestPart[][] = [];
    let finish: (() => void) | undefined;
    const slowSpool = {
      accept: (parts: IngestPart[]) =>
        new Promise<void>((resolve) => {
          finish = () => {
            accepted.push(parts);
            resolve();
          };
        }),
    };
    const app = ingestRoutes({ spool: slowSpool, maxBodyBytes: 1024, maxPendingBytes: 10 });
    const post = (body: string) => app.request('/api/ingest', { method: 'POST', body, headers: { 'Content-Type': 'text/plain' } });

    const first = post('x'.repeat(20)); // 20 bytes pending: over the 10 allowed
    await waitFor(() => finish !== undefined, { message: 'the first request never reached the spool' });
    const refused = await post('y');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect((await refused.json()).error).toMatch(/backed up; retry shortly/);

    finish!();
    expect((await first).status).toBe(202);
    finish = undefined;
    const later = post('z');
    await waitFor(() => finish !== undefined, { message: 'the later request never reached the spool' });
    finish!();
    expect((await later).status).toBe(202);
    expect(accepted.map((parts) => parts[0].lines)).toEqual([['x'.repeat(20)], ['z']]);
  });
});
