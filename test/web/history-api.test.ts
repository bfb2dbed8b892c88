// /api/logs past the ring, /api/histogram, POST /api/rules/test and the /metrics gauges, against a real
// pipeline feeding a real HistoryStore (ring of 10 entries, so most answers must come from disk).
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, webContext, type WebApp } from '../../src/app.ts';
import { parseConfig } from '../../src/config/load.ts';
import { createMemoryLogger } from '../../src/logger.ts';
import { Pipeline } from '../../src/pipeline.ts';
import { ringReader, storeReader, type HistoryStore } from '../../src/store/history/index.ts';
import type { FileSources } from '../../src/sources/index.ts';
import { openHistory, tempDir } from '../store/history/helpers.ts';
import { RecordingSpool } from './fake-context.ts';

const T0 = Date.UTC(2026, 11, 1, 10, 0, 0);
const noFiles: FileSources = { start: async () => {}, stop: async () => {}, status: () => [] };

let web: WebApp | undefined;
let store: HistoryStore | undefined;
afterEach(async () => {
  web?.close();
  await store?.close();
  web = undefined;
  store = undefined;
});

async function setup(persistent = true) {
  const config = parseConfig({ notifiers: {}, stateDir: tempDir('lw-web-hist-'), buffer: { capacity: 10 }, rules: [] });
  const logger = createMemoryLogger();
  const now = T0 + 3_600_000;
  const clock = () => now;
  const h = persistent ? await openHistory() : undefined;
  store = h?.store;
  const pipeline = new Pipeline({ config, logger, clock, history: store });
  const spool = new RecordingSpool(pipeline);
  const ctx = webContext(pipeline, { config, files: noFiles, spool, logger, clock, startedAt: T0, history: store === undefined ? ringReader(pipeline.store) : storeReader(store) });
  web = createApp(ctx);
  /** One JSON line per entry: minute i after T0, every third an error from 10.0.0.(i % 2). */
  const write = (count: number) => {
    const lines = Array.from({ length: count }, (_, i) =>
      JSON.stringify({ time: new Date(T0 + i * 60_000).toISOString(), level: i % 3 === 0 ? 'error' : 'info', msg: `event ${i}`, status: i % 3 === 0 ? 503 : 200, ip: `10.0.0.${i % 2}`, host: `h${i % 3}` }),
    );
    pipeline.write({ source: 'api', lines, receivedAt: now, format: 'json' });
  };
  const get = async (path: string) => {
    const res = await web!.app.request(path);
    return { status: res.status, headers: res.headers, body: JSON.parse(await res.text()) };
  };
  const post = async (path: string, body: unknown) => {
    const res = await web!.app.request(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: JSON.parse(await res.text()) };
  };
  return { write, get, post, pipeline };
}

const iso = (minute: number) => new Date(T0 + minute * 60_000).toISOString();

describe('GET /api/logs over history', () => {
  it('answers a range past the ring exactly, oldest first, as the usual array', async () => {
    const { write, get } = await setup();
    write(60);
    const res = await get(`/api/logs?from=${encodeURIComponent(iso(5))}&to=${T0 + 15 * 60_000}&limit=100`);
    expect(res.status).toBe(200);
    expect(res.body.map((e: { message: string }) => e.message)).toEqual(Array.from({ length: 10 }, (_, i) => `event ${i + 5}`));
    expect(res.body[0]).toMatchObject({ timestamp: iso(5), level: 'INFO', source: 'api', metadata: { status: 200, ip: '10.0.0.1' } });
    expect(res.headers.get('X-Next-Cursor')).toBeNull();
  });

  it('pages backwards with the cursor of X-Next-Cursor (and Link), newest page first', async () => {
    const { write, get } = await setup();
    write(60);
    const seen: string[] = [];
    let path = '/api/logs?from=-2h&limit=25';
    for (let i = 0; i < 5; i++) {
      const res = await get(path);
      seen.unshift(...res.body.map((e: { message: string }) => e.message));
      const cursor = res.headers.get('X-Next-Cursor');
      if (cursor === null) break;
      expect(res.headers.get('Link')).toContain(`cursor=${encodeURIComponent(cursor)}`);
      path = `/api/logs?from=-2h&limit=25&cursor=${encodeURIComponent(cursor)}`;
    }
    expect(seen).toEqual(Array.from({ length: 60 }, (_, i) => `event ${i}`));
  });

  it('filters with where conditions in the rules syntax, level, source globs and q', async () => {
    const { write, get } = await setup();
    write(30);
    const errors = await get('/api/logs?from=-1d&where=metadata.status>=500&limit=100');
    expect(errors.body.map((e: { message: string }) => e.message)).toEqual(Array.from({ length: 10 }, (_, i) => `event ${i * 3}`));
    const both = await get('/api/logs?from=-1d&where=metadata.status>=500&where=metadata.ip=="10.0.0.1"');
    expect(both.body.map((e: { message: string }) => e.message)).toEqual(['event 3', 'event 9', 'event 15', 'event 21', 'event 27']);
    expect((await get('/api/logs?from=-1d&source=a*&q=EVENT 2')).body).toHaveLength(11);
    expect((await get('/api/logs?from=-1d&level=ERROR&q=event 2')).body.map((e: { message: string }) => e.message)).toEqual(['event 21', 'event 24', 'event 27']);
    // The sending host (metadata.host) filters history as it filters the ring.
    expect((await get('/api/logs?from=-1d&host=h1&limit=100')).body.map((e: { message: string }) => e.message)).toEqual(Array.from({ length: 10 }, (_, i) => `event ${i * 3 + 1}`));
    expect((await get(`/api/histogram?from=${T0}&to=${T0 + 3_600_000}&step=1h&host=h1`)).body.buckets[0].total).toBe(10);
  });

  it('says what was wrong with a bad from, where or cursor', async () => {
    const { get } = await setup();
    expect((await get('/api/logs?from=yesterday')).body.error).toMatch(/^from: "yesterday" is not a time; use an ISO time/);
    expect((await get('/api/logs?from=-1h&to=-2h')).body.error).toBe('from must be before to');
    expect((await get('/api/logs?where=metadata.status>>5')).body.error).toMatch(/^where: /);
    const bad = await get('/api/logs?cursor=bogus');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/cursor/);
  });

  it('answers from the ring alone when history is disabled', async () => {
    const { write, get } = await setup(false);
    write(60);
    const res = await get('/api/logs?from=-2h&limit=100');
    expect(res.body.map((e: { message: string }) => e.message)).toEqual(Array.from({ length: 10 }, (_, i) => `event ${i + 50}`));
  });
});

describe('GET /api/histogram', () => {
  it('counts per bucket with the same filters, over history', async () => {
    const { write, get } = await setup();
    write(60);
    const res = await get(`/api/histogram?from=${T0}&to=${T0 + 3_600_000}&step=10m&level=ERROR`);
    expect(res.status).toBe(200);
    expect(res.body.buckets).toHaveLength(6);
    expect(res.body.buckets.map((b: { total: number }) => b.total)).toEqual([4, 3, 3, 4, 3, 3]);
    expect(res.body.buckets[0]).toMatchObject({ time: iso(0), counts: { ERROR: 4, INFO: 0 } });
    const all = await get(`/api/histogram?from=${T0}&to=${T0 + 3_600_000}&step=3600000`);
    expect(all.body.buckets[0].counts).toMatchObject({ ERROR: 20, INFO: 40 });
  });

  it('refuses a step that makes too many buckets, or is not a duration', async () => {
    const { get } = await setup();
    expect((await get('/api/histogram?from=-7d&step=1s')).body.error).toMatch(/more than 10000 buckets/);
    expect((await get('/api/histogram?step=often')).body.error).toMatch(/^step: "often" is not a duration/);
  });
});

describe('POST /api/rules/test', () => {
  it('replays a rule over history with the real engine and says when and for which keys it would have fired', async () => {
    const { write, post } = await setup();
    write(60);
    // Errors every 3 minutes, alternating IPs: per IP one error every 6 minutes. Two in 10 minutes per key.
    const rule = { name: 'Errors per IP', level: 'ERROR', groupBy: 'metadata.ip', threshold: 2, window: 600, cooldown: 3600 };
    const res = await post('/api/rules/test', { rule, from: iso(0), to: iso(60) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ rule: 'Errors per IP', entries: 60, fired: 2, keys: ['10.0.0.0', '10.0.0.1'], truncated: false });
    const firing = res.body.events.filter((e: { state: string }) => e.state === 'firing');
    // 10.0.0.0 errs at minutes 0, 6, …: its second error (minute 6) fires; 10.0.0.1 at 3, 9: fires at minute 9.
    expect(firing.map((e: { key: string; time: string }) => [e.key, e.time])).toEqual([['10.0.0.0', iso(6)], ['10.0.0.1', iso(9)]]);
    const stricter = await post('/api/rules/test', { rule: { ...rule, threshold: 3, window: 60 }, from: iso(0) });
    expect(stricter.body.fired).toBe(0);
  });

  it('validates the rule as the config does', async () => {
    const { post } = await setup();
    const res = await post('/api/rules/test', { rule: { name: 'x', threshold: 0 }, from: '-1h' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/^invalid rule test: rule\.threshold/);
    expect((await post('/api/rules/test', { rule: { name: 'x' }, from: 'soon' })).body.error).toMatch(/not a time/);
  });
});

describe('/metrics', () => {
  it('shows history size, entries, span and compression ratio', async () => {
    const { write } = await setup();
    write(60);
    await store!.flush();
    const text = await (await web!.app.request('/metrics')).text();
    expect(text).toMatch(/^logwatch_history_entries 60$/m);
    expect(text).toMatch(/^logwatch_history_span_seconds 3540$/m);
    expect(text).toMatch(/^logwatch_history_bytes [1-9]\d*$/m);
    expect(text).toContain('logwatch_history_compression_ratio');
  });
});
