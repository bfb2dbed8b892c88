import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../src/logger.ts';
import { DeliveryError, type Channel } from '../../src/notify/channel.ts';
import { deliverySettings, type DeliverySettings } from '../../src/notify/config.ts';
import { Dispatcher } from '../../src/notify/dispatcher.ts';
import type { Alert } from '../../src/types.ts';
import { alert, sleep, until } from './helpers.ts';

/** A channel that records each message (the alert ids in it) and fails as told. */
function fakeChannel(fail: (attempt: number) => Error | 'hang' | undefined = () => undefined) {
  const messages: number[][] = [];
  const attemptTimes: number[] = [];
  const channel: Channel = {
    async send(alerts: readonly Alert[], signal: AbortSignal) {
      attemptTimes.push(performance.now());
      const outcome = fail(attemptTimes.length);
      if (outcome === 'hang') return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
      if (outcome !== undefined) throw outcome;
      messages.push(alerts.map((a) => a.id));
    },
  };
  return { channel, messages, attemptTimes };
}

const dispatchers: Dispatcher[] = [];
afterEach(async () => {
  while (dispatchers.length > 0) await dispatchers.pop()!.stop();
});

function dispatcher(channel: Channel, settings: Partial<DeliverySettings> = {}, random = () => 0.5) {
  const logger = createMemoryLogger();
  const d = new Dispatcher('test', 'fake', { ...deliverySettings({ type: 'webhook' }), groupWait: 0, ...settings }, channel, {
    logger,
    random,
    now: () => Date.now(),
  });
  dispatchers.push(d);
  return { d, logger };
}

describe('notification dispatcher', () => {
  it('sends the first alert at once and groups the ones that follow within groupWait into one message', async () => {
    const fake = fakeChannel();
    const { d } = dispatcher(fake.channel, { groupWait: 0.2 });
    const a = alert();
    d.enqueue(a);
    await until(() => fake.messages.length === 1, 1000);
    const [b, c, e] = [alert(), alert(), alert()];
    d.enqueue(b);
    await sleep(20);
    d.enqueue(c);
    d.enqueue(e);
    expect(d.status().state).toBe('grouping');
    await sleep(60);
    expect(fake.messages).toHaveLength(1);
    await until(() => fake.messages.length === 2, 1000);
    expect(fake.messages).toEqual([[a.id], [b.id, c.id, e.id]]);
    expect(d.status()).toMatchObject({ sent: 4, messages: 2 });
  });

  it('puts alerts of one batch in one message even with groupWait 0', async () => {
    const fake = fakeChannel();
    const { d } = dispatcher(fake.channel);
    const batch = [alert(), alert()];
    for (const x of batch) d.enqueue(x);
    await until(() => fake.messages.length === 1);
    expect(fake.messages).toEqual([batch.map((x) => x.id)]);
  });

  it('backs off exponentially with jitter between retries', async () => {
    const fake = fakeChannel((n) => (n <= 3 ? new Error('down') : undefined));
    // random() = 0 takes the lowest delay of each step: half of 40, 80, 160 ms.
    const { d } = dispatcher(fake.channel, { backoffMs: 40, maxBackoffMs: 10_000 }, () => 0);
    d.enqueue(alert());
    await until(() => fake.messages.length === 1, 2000);
    const gaps = fake.attemptTimes.slice(1).map((t, i) => t - fake.attemptTimes[i]);
    expect(gaps).toHaveLength(3);
    [20, 40, 80].forEach((expected, i) => {
      expect(gaps[i]).toBeGreaterThanOrEqual(expected - 2);
      expect(gaps[i]).toBeLessThan(expected + 60);
    });
  });

  it('caps the backoff at maxBackoffMs', async () => {
    const fake = fakeChannel((n) => (n <= 4 ? new Error('down') : undefined));
    const { d } = dispatcher(fake.channel, { backoffMs: 20, maxBackoffMs: 30 }, () => 0.999);
    d.enqueue(alert());
    await until(() => fake.messages.length === 1, 2000);
    const gaps = fake.attemptTimes.slice(1).map((t, i) => t - fake.attemptTimes[i]);
    expect(Math.max(...gaps)).toBeLessThan(30 + 60);
    expect(gaps[3]).toBeGreaterThanOrEqual(28);
  });

  it('bounds its queue while the channel is stuck, dropping the oldest and saying so', async () => {
    const fake = fakeChannel(() => 'hang');
    const { d, logger } = dispatcher(fake.channel, { queueSize: 3, timeoutMs: 10_000 });
    d.enqueue(alert());
    await until(() => fake.attemptTimes.length === 1);
    for (let i = 0; i < 5; i++) d.enqueue(alert());
    expect(d.status()).toMatchObject({ queued: 4, dropped: 2 });
    expect(logger.lines.filter((l) => l.includes('queue is full'))).toHaveLength(1);
  });

  it('skips resolved alerts when sendResolved is false', async () => {
    const fake = fakeChannel();
    const { d } = dispatcher(fake.channel, { sendResolved: false });
    d.enqueue(alert({ state: 'resolved' }));
    const firing = alert();
    d.enqueue(firing);
    await until(() => fake.messages.length === 1);
    expect(fake.messages).toEqual([[firing.id]]);
  });

  it('on close, sends what waits for a group at once, and counts what it could not send', async () => {
    const fake = fakeChannel();
    const { d } = dispatcher(fake.channel, { groupWait: 60 });
    d.enqueue(alert());
    await until(() => fake.messages.length === 1);
    d.enqueue(alert());
    const started = performance.now();
    await d.drain(1000);
    expect(performance.now() - started).toBeLessThan(500);
    expect(fake.messages).toHaveLength(2);

    const stuck = fakeChannel(() => 'hang');
    const { d: d2, logger } = dispatcher(stuck.channel, { timeoutMs: 10_000 });
    d2.enqueue(alert());
    await until(() => stuck.attemptTimes.length === 1);
    d2.enqueue(alert());
    await d2.drain(50);
    await d2.stop();
    expect(d2.status()).toMatchObject({ state: 'stopped', failed: 2, queued: 0 });
    expect(logger.lines.join('\n')).toMatch(/1 alert\(s\) not sent at shutdown/);
  });

  it('does not retry a permanent failure', async () => {
    const fake = fakeChannel(() => new DeliveryError('rejected', true));
    const { d } = dispatcher(fake.channel);
    d.enqueue(alert());
    await until(() => d.status().failed === 1);
    expect(fake.attemptTimes).toHaveLength(1);
  });
});
