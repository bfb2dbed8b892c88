import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../src/logger.ts';
import { createNotifiers, type Notifiers, type WebhookPayload } from '../../src/notify/index.ts';
import { alert, captureServer, sleep, until, type CaptureServer, type Script } from './helpers.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function setup(script: Script, delivery: Record<string, unknown> = {}) {
  const server = await captureServer(script);
  const logger = createMemoryLogger();
  const notifiers = createNotifiers(
    { hook: { type: 'webhook', url: server.url, headers: { Authorization: 'Bearer s3cret' }, groupWait: 0, backoffMs: 10, ...delivery } as never },
    logger,
  );
  cleanups.push(() => server.close(), () => notifiers.close(100));
  return { server, logger, notifiers };
}

const status = (notifiers: Notifiers) => notifiers.status()[0];

describe('webhook notifier', () => {
  it('delivers exactly once after the first two requests fail', async () => {
    const { server, logger, notifiers } = await setup((n) => (n <= 2 ? 500 : 200));
    const fired = alert();
    notifiers.dispatch(fired);
    await until(() => status(notifiers).sent === 1, 5000, 'the delivery');
    await sleep(50);
    expect(server.requests).toBe(3);
    expect(server.received).toHaveLength(1);
    const body = server.received[0].body as WebhookPayload;
    expect(body).toMatchObject({ version: 1, notifier: 'hook', status: 'firing' });
    expect(body.alerts).toEqual([
      expect.objectContaining({ id: fired.id, rule: 'High Error Rate', key: '', count: 3, state: 'firing', timestamp: '2026-11-30T10:15:00.000Z' }),
    ]);
    expect(body.alerts[0].logs.map((e) => e.raw)).toEqual(['db timeout 1', 'db timeout 2', 'db timeout 3']);
    expect(server.received[0].headers).toMatchObject({ authorization: 'Bearer s3cret', 'content-type': 'application/json' });
    expect(status(notifiers)).toMatchObject({ sent: 1, failed: 0, retries: 2, attempts: 3, messages: 1, queued: 0, lastError: expect.stringContaining('HTTP 500') });
    expect(logger.lines.filter((l) => l.startsWith('warn')).length).toBe(2);
  });

  it('gives up after its retries, logging and counting the lost alert', async () => {
    const { server, logger, notifiers } = await setup(() => 503, { retries: 2 });
    notifiers.dispatch(alert());
    await until(() => status(notifiers).failed === 1, 5000, 'giving up');
    expect(server.requests).toBe(3);
    expect(status(notifiers)).toMatchObject({ sent: 0, failed: 1, retries: 2, queued: 0 });
    expect(logger.lines.some((l) => /^error notifier "hook": gave up on 1 alert\(s\) \(High Error Rate\) \(after 3 attempts\): .*HTTP 503/.test(l))).toBe(true);
  });

  it('does not retry a request the receiver rejects (4xx)', async () => {
    const { server, notifiers } = await setup(() => 404);
    notifiers.dispatch(alert());
    await until(() => status(notifiers).failed === 1);
    expect(server.requests).toBe(1);
  });

  it('abandons an attempt that gets no answer within timeoutMs and retries it', async () => {
    const { server, notifiers } = await setup((n) => (n === 1 ? 'hang' : 200), { timeoutMs: 150 });
    const started = Date.now();
    notifiers.dispatch(alert());
    await until(() => status(notifiers).sent === 1, 5000, 'the retry');
    expect(server.received).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(status(notifiers)).toMatchObject({ sent: 1, retries: 1, lastError: 'timed out after 150 ms' });
  });

  it('never blocks other notifiers or the caller while one channel is down', async () => {
    const good = await captureServer();
    const down = await captureServer(() => 'hang');
    const notifiers = createNotifiers(
      {
        down: { type: 'webhook', url: down.url, groupWait: 0, timeoutMs: 10_000 } as never,
        good: { type: 'webhook', url: good.url, groupWait: 0 } as never,
      },
      createMemoryLogger(),
    );
    cleanups.push(() => good.close(), () => down.close(), () => notifiers.close(50));
    const started = performance.now();
    for (let i = 0; i < 3; i++) notifiers.dispatch(alert({ rule: `R${i}` }));
    expect(performance.now() - started).toBeLessThan(50);
    await until(() => good.received.length === 1, 2000, 'the healthy notifier');
    expect((good.received[0].body as WebhookPayload).alerts.map((a) => a.rule)).toEqual(['R0', 'R1', 'R2']);
    expect(notifiers.status().find((s) => s.name === 'down')).toMatchObject({ sent: 0, queued: 3, state: 'sending' });
  });
});
