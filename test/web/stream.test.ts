import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type WebApp } from '../../src/app.ts';
import { SseReader } from '../helpers/sse.ts';
import { waitFor } from '../helpers/wait.ts';
import { fakeContext } from './fake-context.ts';

let web: WebApp | undefined;
afterEach(() => web?.close());

function write(ctx: ReturnType<typeof fakeContext>, lines: string[], source = 'app.log') {
  ctx.pipeline.write({ source, lines, receivedAt: Date.now() });
}

describe('GET /api/stream', () => {
  it('sends each new entry as id / event: log / data: <entry JSON>', async () => {
    const ctx = fakeContext();
    web = createApp(ctx);
    const res = await web.app.request('/api/stream');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const sse = new SseReader(res.body!);
    await sse.until((events) => events.some((e) => e.comment === 'connected'));
    write(ctx, ['hello', 'world']);
    await sse.until(() => sse.logs().length === 2);
    const logs = sse.events.filter((e) => e.event === 'log');
    expect(logs.map((e) => e.id)).toEqual(['1', '2']);
    expect(sse.logs().map((e) => e.message)).toEqual(['hello', 'world']);
    expect(JSON.parse(logs[0].data!)).toMatchObject({ id: 1, source: 'app.log', raw: 'hello', level: 'UNKNOWN' });
    expect(JSON.parse(logs[0].data!).timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    await sse.close();
  });

  it('applies level, source and q filters', async () => {
    const ctx = fakeContext();
    web = createApp(ctx);
    const sse = new SseReader((await web.app.request('/api/stream?source=b.log&q=keep')).body!);
    await sse.until((events) => events.length > 0);
    write(ctx, ['keep me', 'drop me'], 'a.log');
    write(ctx, ['KEEP me too', 'drop me'], 'b.log');
    // A matching line written last: once it is in, everything written before it has been judged.
    write(ctx, ['keep: the last one'], 'b.log');
    await sse.until(() => sse.logs().some((e) => e.message === 'keep: the last one'));
    expect(sse.logs().map((e) => e.message)).toEqual(['KEEP me too', 'keep: the last one']);
    await sse.close();
  });

  it('rejects an invalid filter with a 400 JSON error', async () => {
    web = createApp(fakeContext());
    const res = await web.app.request('/api/stream?level=LOUD');
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/level/);
  });

  it('replays what the buffer holds after Last-Event-ID (header or query), then continues live', async () => {
    const ctx = fakeContext({ buffer: { capacity: 10 } });
    web = createApp(ctx);
    write(ctx, Array.from({ length: 15 }, (_, i) => `line ${i + 1}`));
    const fromHeader = new SseReader((await web.app.request('/api/stream', { headers: { 'Last-Event-ID': '12' } })).body!);
    await fromHeader.until(() => fromHeader.logs().length === 3);
    expect(fromHeader.logs().map((e) => e.id)).toEqual([13, 14, 15]);
    write(ctx, ['line 16']);
    await fromHeader.until(() => fromHeader.logs().length === 4);
    expect(fromHeader.logs()[3]).toMatchObject({ id: 16, message: 'line 16' });
    await fromHeader.close();
    // Older than the buffer: only what is still held (ids 7..16) comes back.
    const fromQuery = new SseReader((await web.app.request('/api/stream?lastEventId=2')).body!);
    await fromQuery.until(() => fromQuery.logs().length === 10);
    expect(fromQuery.logs()[0].id).toBe(7);
    await fromQuery.close();
  });

  it('sends : ping heartbeats and event: stats periodically', async () => {
    const ctx = fakeContext({ stream: { heartbeatMs: 100, statsIntervalMs: 150 } });
    web = createApp(ctx);
    const sse = new SseReader((await web.app.request('/api/stream')).body!);
    await sse.until((events) => events.some((e) => e.comment === 'ping') && events.some((e) => e.event === 'stats'));
    const stats = JSON.parse(sse.events.find((e) => e.event === 'stats')!.data!);
    expect(stats).toMatchObject({ total_logs: 0, active_rules: expect.any(Number) });
    await sse.close();
  });

  it('a client that does not read is sent event: dropped with the count instead of growing memory', async () => {
    const ctx = fakeContext({ stream: { clientQueueBytes: 16 * 1024 } });
    web = createApp(ctx);
    const res = await web.app.request('/api/stream');
    // Nobody reads: the 16 KiB queue fills after a few hundred entries, the rest is dropped.
    for (let i = 0; i < 100; i++) write(ctx, Array.from({ length: 20 }, (_, j) => `entry ${i * 20 + j} ${'x'.repeat(50)}`));
    expect(web.stream.counters().droppedEvents).toBeGreaterThan(1000);
    const sse = new SseReader(res.body!);
    // Draining the queue makes room; the next entry is preceded by the drop notice.
    await sse.until((events) => events.some((e) => e.event === 'log'));
    write(ctx, ['after the drop']);
    await sse.until(() => sse.logs().some((e) => e.message === 'after the drop'));
    const dropped = JSON.parse(sse.events.find((e) => e.event === 'dropped')!.data!);
    expect(dropped.dropped).toBeGreaterThan(1000);
    const received = sse.logs().length;
    expect(received + dropped.dropped).toBe(2001);
    await sse.close();
  });

  it('disconnects a client whose queue stays full past the stall timeout', async () => {
    const ctx = fakeContext({ stream: { clientQueueBytes: 16 * 1024, stalledClientTimeoutMs: 1000 } });
    web = createApp(ctx);
    const res = await web.app.request('/api/stream');
    write(ctx, Array.from({ length: 500 }, (_, i) => `entry ${i} ${'x'.repeat(50)}`));
    // Lines keep coming while the client reads nothing, until the stall check lets it go.
    await waitFor(
      () => {
        write(ctx, ['more']);
        return web!.stream.clientCount === 0;
      },
      { timeoutMs: 5000, intervalMs: 100, message: 'the stalled client to be disconnected' },
    );
    expect(web.stream.counters().disconnectedSlowClients).toBe(1);
    // The response itself is aborted (what was queued is dropped), not merely forgotten.
    await expect(res.body!.getReader().read()).rejects.toThrow(/too slow/);
  });

  it('many clients on one filter each get every matching entry once, in order (shared, coalesced writes)', async () => {
    const ctx = fakeContext();
    web = createApp(ctx);
    // 20 clients: past the count from which log frames are coalesced into fewer, larger writes.
    const errors = await Promise.all(Array.from({ length: 19 }, async () => new SseReader((await web!.app.request('/api/stream?level=ERROR')).body!)));
    const everything = new SseReader((await web.app.request('/api/stream')).body!);
    for (const sse of [...errors, everything]) await sse.until((events) => events.some((e) => e.comment === 'connected'));
    for (let batch = 0; batch < 5; batch++) {
      write(ctx, Array.from({ length: 40 }, (_, i) => `{"level":"${i % 4 === 0 ? 'error' : 'info'}","msg":"b${batch} l${i}"}`));
    }
    const wanted = Array.from({ length: 5 }, (_, b) => Array.from({ length: 10 }, (_, k) => `b${b} l${k * 4}`)).flat();
    for (const sse of errors) {
      await sse.until(() => sse.logs().length >= wanted.length);
      expect(sse.logs().map((e) => e.message)).toEqual(wanted);
    }
    await everything.until(() => everything.logs().length >= 200);
    expect(everything.logs().map((e) => e.id)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    for (const sse of [...errors, everything]) await sse.close();
  });

  it('a client joining many others gets entries from before it only through its Last-Event-ID replay, once', async () => {
    const ctx = fakeContext();
    web = createApp(ctx);
    const others = await Promise.all(Array.from({ length: 20 }, async () => new SseReader((await web!.app.request('/api/stream')).body!)));
    for (const sse of others) await sse.until((events) => events.some((e) => e.comment === 'connected'));
    write(ctx, ['a1', 'a2']); // written at once
    write(ctx, ['b1', 'b2']); // waits for the next coalesced write
    const late = new SseReader((await web.app.request('/api/stream', { headers: { 'Last-Event-ID': '2' } })).body!);
    write(ctx, ['c1']);
    write(ctx, ['d1']); // the last: once it is in, a duplicate of anything earlier would be too
    await late.until(() => late.logs().some((e) => e.message === 'd1'));
    expect(late.logs().map((e) => e.message)).toEqual(['b1', 'b2', 'c1', 'd1']);
    await others[0]!.until(() => others[0]!.logs().length >= 6);
    expect(others[0]!.logs().map((e) => e.message)).toEqual(['a1', 'a2', 'b1', 'b2', 'c1', 'd1']);
    for (const sse of [...others, late]) await sse.close();
  });
});
