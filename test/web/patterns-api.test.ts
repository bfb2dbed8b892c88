// GET /api/patterns, GET /api/logs?pattern=ID and GET /api/anomalies on a real pipeline.
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type WebApp } from '../../src/app.ts';
import { SseReader } from '../helpers/sse.ts';
import { fakeContext } from './fake-context.ts';

let web: WebApp | undefined;
afterEach(() => web?.close());

function setup() {
  const ctx = fakeContext();
  web = createApp(ctx);
  const get = async (path: string) => {
    const res = await web!.app.request(path);
    return { status: res.status, body: JSON.parse(await res.text()) };
  };
  const lines = [
    '2026-11-30 10:00:00 INFO user 17 logged in from 10.0.0.1',
    '2026-11-30 10:00:01 INFO user 23 logged in from 10.0.0.7',
    '2026-11-30 10:00:02 ERROR disk full on /var/lib/db',
    '2026-11-30 10:00:03 INFO user 5 logged in from 10.0.0.9',
  ];
  ctx.pipeline.write({ source: 'app.log', lines, receivedAt: Date.now() });
  ctx.pipeline.flush('app.log'); // the last line is held for continuation lines until then
  return { ctx, get };
}

describe('patterns API', () => {
  it('lists patterns with counts, trend, sparkline, sample and a stable id per entry', async () => {
    const { get } = setup();
    const { status, body } = await get('/api/patterns');
    expect(status).toBe(200);
    expect(body.map((p: { template: string; count: number }) => [p.template, p.count])).toEqual([
      ['user <*> logged in from <*>', 3],
      ['disk full on <*>', 1],
    ]);
    const top = body[0];
    expect(Object.keys(top).sort()).toEqual(
      ['count', 'first_seen', 'id', 'last_seen', 'level', 'new', 'previous_count', 'sample', 'source', 'sparkline', 'template', 'total', 'trend'],
    );
    expect(top).toMatchObject({ source: 'app.log', level: 'INFO', previous_count: 0, trend: 'new', total: 3, new: true });
    expect(top.sparkline).toHaveLength(30);
    expect(top.sparkline.reduce((a: number, b: number) => a + b, 0)).toBe(3);
    expect(top.sample.message).toBe('user 17 logged in from 10.0.0.1');
    expect(top.first_seen).toMatch(/^\d{4}-\d\d-\d\dT/);

    const logs = (await get(`/api/logs?pattern=${top.id}`)).body;
    expect(logs.map((e: { message: string }) => e.message)).toEqual([
      'user 17 logged in from 10.0.0.1',
      'user 23 logged in from 10.0.0.7',
      'user 5 logged in from 10.0.0.9',
    ]);
    expect(logs.every((e: { pattern: string }) => e.pattern === top.id)).toBe(true);
  });

  it('filters by level, source and time range', async () => {
    const { get } = setup();
    expect((await get('/api/patterns?level=error')).body.map((p: { template: string }) => p.template)).toEqual(['disk full on <*>']);
    expect((await get('/api/patterns?source=other.log')).body).toEqual([]);
    const past = new Date(Date.now() - 3 * 3600_000).toISOString();
    const before = new Date(Date.now() - 2 * 3600_000).toISOString();
    expect((await get(`/api/patterns?from=${past}&to=${before}`)).body).toEqual([]);
    expect((await get('/api/patterns?limit=1')).body).toHaveLength(1);
  });

  it('rejects a bad query with a JSON error naming the parameter', async () => {
    const { get } = setup();
    for (const [query, word] of [['from=yesterday', 'from'], ['to=x', 'to'], ['level=LOUD', 'level'], ['limit=0', 'limit'], ['from=2000&to=1000', 'from']] as const) {
      const res = await get(`/api/patterns?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error, query).toContain(word);
    }
    const bad = await get('/api/logs?pattern=not%20an%20id');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('pattern');
  });

  it('lists the anomalies firing now (none on a fresh start: sources warm up first)', async () => {
    const { get } = setup();
    expect(await get('/api/anomalies')).toEqual({ status: 200, body: [] });
  });

  it('streams anomalies as `anomaly` events, and follows one pattern with /api/stream?pattern=', async () => {
    const { ctx, get } = setup();
    const id = (await get('/api/patterns')).body[0].id as string;
    const res = await web!.app.request(`/api/stream?pattern=${id}`);
    const sse = new SseReader(res.body!);
    ctx.pipeline.write({ source: 'app.log', lines: ['2026-11-30 10:01:00 INFO user 99 logged in from 10.0.0.2', '2026-11-30 10:01:01 ERROR disk full on /tmp', '2026-11-30 10:01:02 INFO x'], receivedAt: Date.now() });
    ctx.pipeline.hub.publish({
      type: 'anomaly',
      anomaly: { kind: 'pattern_spike', state: 'firing', source: 'app.log', pattern: id, template: 'user <*> logged in from <*>', level: 'INFO', time: Date.UTC(2026, 10, 30, 10, 1), value: 50, baseline: 2.345, message: 'Pattern spike in app.log: <b>' },
    });
    const events = await sse.until((e) => e.some((x) => x.event === 'anomaly'));
    await sse.close();
    const logs = events.filter((e) => e.event === 'log').map((e) => JSON.parse(e.data!).message);
    expect(logs).toEqual(['user 99 logged in from 10.0.0.2']);
    const anomaly = JSON.parse(events.find((e) => e.event === 'anomaly')!.data!);
    expect(anomaly).toEqual({
      kind: 'pattern_spike', state: 'firing', source: 'app.log', pattern: id, template: 'user <*> logged in from <*>', level: 'INFO',
      timestamp: '2026-11-30T10:01:00.000Z', value: 50, baseline: 2.35, message: 'Pattern spike in app.log: <b>',
    });
  });
});
