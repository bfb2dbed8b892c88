import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type WebApp } from '../../src/app.ts';
import { fakeContext } from './fake-context.ts';

let web: WebApp | undefined;
afterEach(() => web?.close());

function setup(config: Parameters<typeof fakeContext>[0] = {}) {
  const ctx = fakeContext(config);
  web = createApp(ctx);
  const get = async (path: string) => {
    const res = await web!.app.request(path);
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  return { ctx, get };
}

describe('JSON API', () => {
  it('GET /healthz', async () => {
    const { get } = setup();
    const res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ status: 'ok' });
  });

  it('GET /api/logs returns the last `limit` matching entries, oldest first, in the contract shape', async () => {
    const { ctx, get } = setup();
    ctx.pipeline.write({ source: 'a.log', lines: ['one', 'two', 'three'], receivedAt: Date.UTC(2026, 10, 30, 10, 15, 2, 123) });
    const logs = JSON.parse((await get('/api/logs?limit=2')).text);
    expect(logs.map((e: { message: string }) => e.message)).toEqual(['two', 'three']);
    expect(Object.keys(logs[0]).sort()).toEqual(['format', 'id', 'level', 'message', 'metadata', 'pattern', 'raw', 'source', 'timestamp']);
    expect(logs[0]).toMatchObject({ id: 2, source: 'a.log', raw: 'two', timestamp: '2026-11-30T10:15:02.123Z' });
    expect(JSON.parse((await get('/api/logs?source=b.log')).text)).toEqual([]);
    expect(JSON.parse((await get('/api/logs?q=THR')).text)).toHaveLength(1);
  });

  it('GET /api/logs validates its query', async () => {
    const { get } = setup();
    for (const query of ['limit=0', 'limit=10001', 'limit=abc', 'level=LOUD', 'q=(&regex=true']) {
      const res = await get(`/api/logs?${query}`);
      expect(res.status, query).toBe(400);
      expect(JSON.parse(res.text).error, query).toEqual(expect.any(String));
    }
    expect((await get('/api/logs?limit=10000')).status).toBe(200);
  });

  it('GET /api/stats has the original keys and counts every entry ever seen', async () => {
    const { ctx, get } = setup({ buffer: { capacity: 10 } });
    ctx.pipeline.write({ source: 'a.log', lines: Array.from({ length: 25 }, (_, i) => `l${i}`), receivedAt: Date.now() });
    const stats = JSON.parse((await get('/api/stats')).text);
    expect(stats).toMatchObject({ total_logs: 25, buffer_size: 10, total_alerts: expect.any(Number), active_rules: expect.any(Number) });
    expect(stats.level_counts).toEqual({ DEBUG: 0, INFO: 0, WARNING: 0, ERROR: 0, CRITICAL: 0, UNKNOWN: 25 });
    expect(stats.sources).toEqual({ 'a.log': 25 });
    expect(stats.lines_per_minute).toBe(25);
  });

  it('GET /api/alerts, /api/rules and /api/sources report what the engine and the sources hold', async () => {
    const { ctx, get } = setup({ rules: [{ name: 'Boom', pattern: 'boom' }] });
    expect(JSON.parse((await get('/api/alerts?limit=5')).text)).toEqual([]);
    expect((await get('/api/alerts?limit=-1')).status).toBe(400);
    ctx.pipeline.write({ source: 'a.log', lines: ['all fine', 'boom one', 'boom two'], receivedAt: Date.now() });

    const alerts = JSON.parse((await get('/api/alerts?limit=5')).text);
    expect(alerts.length).toBeGreaterThanOrEqual(1);
    expect(alerts[0]).toMatchObject({ rule: 'Boom', state: 'firing' });
    expect(alerts[0].logs.map((e: { raw: string }) => e.raw)).toContain('boom one');
    expect(JSON.parse((await get('/api/alerts?limit=1')).text)).toHaveLength(1);

    const rules = JSON.parse((await get('/api/rules')).text);
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ name: 'Boom', firingCount: 1, matches: 2, config: expect.objectContaining({ pattern: 'boom' }) });

    const status = { dev: null, inode: null, offset: 0, size: 0, lag: 0, lines: 3, lastError: null, lastErrorAt: null };
    web!.close();
    web = createApp({
      ...ctx,
      sources: {
        ...ctx.sources,
        status: () => [
          { ...status, name: 'logs/a.log', kind: 'file', path: '/var/log/a.log' },
          { ...status, name: 'remote', kind: 'ingest', path: null },
        ],
      },
    });
    const sources = JSON.parse(await (await web.app.request('/api/sources')).text());
    expect(sources.map((s: { name: string; kind: string }) => `${s.kind}:${s.name}`)).toEqual(['file:logs/a.log', 'ingest:remote']);
    expect(sources[0]).toMatchObject({ path: '/var/log/a.log', lines: 3, lastError: null });
  });

  it('GET /metrics is Prometheus text with lines per source, entries per level, alerts, dropped and SSE clients', async () => {
    const { ctx, get } = setup();
    ctx.pipeline.write({ source: 'we"ird\\name', lines: ['a', 'b'], receivedAt: Date.now() });
    const res = await get('/metrics');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toContain('# TYPE logwatch_lines_total counter');
    expect(res.text).toContain('logwatch_lines_total{source="we\\"ird\\\\name"} 2');
    expect(res.text).toContain('logwatch_entries_total{level="UNKNOWN"} 2');
    expect(res.text).toMatch(/^logwatch_alerts_total\{state="firing"\} \d+$/m);
    expect(res.text).toMatch(/^logwatch_alerts_total\{state="resolved"\} \d+$/m);
    expect(res.text).toMatch(/^logwatch_dropped_total\{reason="slow_client"\} 0$/m);
    expect(res.text).toMatch(/^logwatch_sse_clients 0$/m);
    // Every sample line is `name{labels} number`.
    for (const line of res.text.trim().split('\n').filter((l) => !l.startsWith('#'))) {
      expect(line).toMatch(/^[a-z_]+(\{.*\})? -?\d+(\.\d+)?$/);
    }
  });

  it('unknown routes get a 404 JSON error; responses carry security headers', async () => {
    const { get } = setup();
    const res = await get('/api/nope');
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text).error).toMatch(/\/api\/nope/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});
