import { describe, expect, it } from 'vitest';
import { SilenceError } from '../../src/alerts/index.ts';
import { createNotifiers } from '../../src/notify/index.ts';
import { createMemoryLogger } from '../../src/logger.ts';
import { isoTime } from '../../src/types.ts';
import { alertRoutes } from '../../src/web/silences.ts';
import { summary, T0, testEngine } from './helpers.ts';

const perIp = { name: 'Brute force', pattern: 'failed', groupBy: 'metadata.ip', threshold: 1, window: 60, resolveAfter: 0, cooldown: 0 };
const fail = (ip: string) => ({ message: 'failed password', metadata: { ip } });

describe('silences in the engine', () => {
  it('marks matching alerts silenced: recorded and streamed, but flagged so they are not notified', () => {
    const t = testEngine([perIp]);
    t.engine.addSilence({ rule: 'Brute force', key: '10.0.*', duration: 600, comment: 'pen test' });
    const out = t.push(fail('10.0.0.1'), fail('192.168.1.1'));
    expect(out.map((a) => [a.key, a.silenced === true])).toEqual([['10.0.0.1', true], ['192.168.1.1', false]]);
    expect(t.engine.recent(10)).toHaveLength(2);
    expect(t.engine.metrics().silencedTotal).toBe(1);
  });

  it('matches only between its start and end', () => {
    const t = testEngine([perIp]);
    t.engine.addSilence({ key: 'a', startsAt: isoTime(T0 + 100_000), endsAt: isoTime(T0 + 200_000), comment: 'window' });
    expect(t.engine.silences()[0]).toMatchObject({ status: 'pending' });
    const before = t.push(fail('a'));
    t.tickUntil(150);
    const during = t.push(fail('a'));
    t.tickUntil(300);
    const after = t.push(fail('a'));
    expect([...before, ...during, ...after].map((a) => [(a.time - T0) / 1000, a.silenced === true])).toEqual([[0, false], [150, true], [300, false]]);
    expect(t.engine.silences()[0]).toMatchObject({ key: 'a', rule: null, status: 'expired', comment: 'window' });
  });

  it('keeps the resolve of a silenced alert silent even after the silence ended', () => {
    const t = testEngine([perIp]);
    t.engine.addSilence({ rule: 'Brute*', duration: 30, comment: 'short' });
    expect(t.push(fail('x'))[0].silenced).toBe(true);
    const resolved = t.tickUntil(100);
    expect(summary(resolved)).toEqual([[60, 'resolved', 'x', 0]]);
    expect(resolved[0].silenced).toBe(true);
  });

  it('rejects a silence that ends in the past, and deletes by id', () => {
    const t = testEngine([perIp], { start: 1000 });
    expect(() => t.engine.addSilence({ rule: 'x', endsAt: isoTime(T0), comment: 'late' })).toThrow(SilenceError);
    const silence = t.engine.addSilence({ rule: 'x', duration: 60, comment: 'ok', createdBy: 'ops' });
    expect(silence).toMatchObject({ rule: 'x', key: null, createdBy: 'ops', status: 'active', endsAt: isoTime(T0 + 1_060_000) });
    expect(t.engine.removeSilence(silence.id)).toBe(true);
    expect(t.engine.removeSilence(silence.id)).toBe(false);
    expect(t.engine.silences()).toEqual([]);
  });
});

describe('silence and notifier routes', () => {
  function app() {
    const t = testEngine([perIp], { start: 1000 });
    const notifiers = createNotifiers({ console: { type: 'console' } }, createMemoryLogger());
    return { t, app: alertRoutes(t.engine, notifiers) };
  }
  const post = (body: string, type = 'application/json') => ({ method: 'POST', headers: { 'Content-Type': type }, body });

  it('creates, lists and deletes silences', async () => {
    const { t, app: routes } = app();
    const created = await routes.request('/api/silences', post(JSON.stringify({ rule: 'Brute force', key: '10.0.0.1', duration: 3600, comment: 'pen test' })));
    expect(created.status).toBe(201);
    const silence = (await created.json()) as { id: string; status: string; endsAt: string };
    expect(silence).toMatchObject({ status: 'active', endsAt: isoTime(T0 + 1000_000 + 3_600_000) });
    expect(t.push(fail('10.0.0.1'))[0].silenced).toBe(true);

    const list = await routes.request('/api/silences');
    expect(((await list.json()) as Array<{ id: string }>).map((s) => s.id)).toEqual([silence.id]);

    expect((await routes.request(`/api/silences/${silence.id}`, { method: 'DELETE' })).status).toBe(200);
    const missing = await routes.request(`/api/silences/${silence.id}`, { method: 'DELETE' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: expect.stringContaining('no silence with id') });
  });

  it('accepts a form post from the dashboard', async () => {
    const { app: routes } = app();
    const res = await routes.request('/api/silences', post('rule=Brute+force&key=&duration=60&comment=deploy', 'application/x-www-form-urlencoded'));
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ rule: 'Brute force', key: null, comment: 'deploy' });
  });

  it('answers 400 with a JSON error naming the problem, and creates nothing', async () => {
    const { t, app: routes } = app();
    const cases: Array<[string, RegExp]> = [
      ['{not json', /must be a JSON object/],
      [JSON.stringify({ rule: 'x', duration: 60 }), /field comment/],
      [JSON.stringify({ duration: 60, comment: 'c' }), /field rule: give rule and\/or key/],
      [JSON.stringify({ rule: 'x', comment: 'c' }), /field endsAt: give either endsAt/],
      [JSON.stringify({ rule: 'x', comment: 'c', endsAt: 'tomorrow' }), /field endsAt: expected an ISO-8601/],
      [JSON.stringify({ rule: 'x', comment: 'c', endsAt: isoTime(T0) }), /in the past/],
      [JSON.stringify({ rule: 'x', comment: 'c', duration: 60, extra: 1 }), /unknown field extra/],
    ];
    for (const [body, error] of cases) {
      const res = await routes.request('/api/silences', post(body));
      expect(res.status, body).toBe(400);
      expect(((await res.json()) as { error: string }).error, body).toMatch(error);
    }
    expect(t.engine.silences()).toEqual([]);
  });

  it('lists notifiers with their delivery counters', async () => {
    const { app: routes } = app();
    const res = await routes.request('/api/notifiers');
    expect(await res.json()).toEqual([
      expect.objectContaining({ name: 'console', type: 'console', sent: 0, failed: 0, dropped: 0, queued: 0, lastError: null, state: 'idle' }),
    ]);
  });
});
