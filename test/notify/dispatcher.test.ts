// The dispatcher driven by a manual clock and timers: every wait (group, backoff, attempt timeout,
// drain limit) happens when the test advances time, so timings are asserted exactly and nothing sleeps.
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../src/logger.ts';
import { DeliveryError, type Channel } from '../../src/notify/channel.ts';
import { deliverySettings, type DeliverySettings } from '../../src/notify/config.ts';
import { Dispatcher } from '../../src/notify/dispatcher.ts';
import type { Alert } from '../../src/types.ts';
import { ManualTimers } from '../helpers/manual-timers.ts';
import { alert } from './helpers.ts';

let timers = new ManualTimers();

/** A channel that records each message (the alert ids in it), the clock at each attempt, and fails as told. */
function fakeChannel(fail: (attempt: number) => Error | 'hang' | undefined = () => undefined) {
  const messages: number[][] = [];
  const attemptTimes: number[] = [];
  const channel: Channel = {
    async send(alerts: readonly Alert[], signal: AbortSignal) {
      attemptTimes.push(timers.now);
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
  timers = new ManualTimers();
});

function dispatcher(channel: Channel, settings: Partial<DeliverySettings> = {}, random = () => 0.5) {
  const logger = createMemoryLogger();
  const d = new Dispatcher('test', 'fake', { ...deliverySettings({ type: 'webhook' }), groupWait: 0, ...settings }, channel, {
    logger,
    random,
    now: timers.clock,
    timers,
  });
  dispatchers.push(d);
  return { d, logger };
}

const gapsOf = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);

describe('notification dispatcher', () => {
  it('sends the first alert at once and groups the ones that follow within groupWait into one message', async () => {
    const fake = fakeChannel();
    const { d } = dispatcher(fake.channel, { groupWait: 0.2 });
    const a = alert();
    d.enqueue(a);
    await timers.advance(0);
    expect(fake.messages).toEqual([[a.id]]);
    const [b, c, e] = [alert(), alert(), alert()];
    d.enqueue(b);
    await timers.advance(20);
    d.enqueue(c);
    d.enqueue(e);
    expect(d.status().state).toBe('grouping');
    await timers.advance(179);
    expect(fake.messages).toHaveLength(1);
    await timers.advance(1);
    expect(fake.messages).toEqual([[a.id], [b.id, c.id, e.id]]);
    expect(fake.attemptTimes).toEqual([0, 200]);
    expect(d.status()).toMatchObject({ sent: 4, messages: 2 });
  });

  it('puts alerts of one batch in one message even with groupWait 0', async () => {
    const fake = fakeChannel();
    const { d } = dispatcher(fake.channel);
    const batch = [alert(), alert()];
    for (const x of batch) d.enqueue(x);
    await timers.advance(0);
    expect(fake.messages).toEqual([batch.map((x) => x.id)]);
  });

  it('backs off exponentially with jitter between retries', async () => {
    const fake = fakeChannel((n) => (n <= 3 ? new Error('down') : undefined));
    // random() = 0 takes the lowest delay of each step: half of 40, 80, 160 ms.
    const { d } = dispatcher(fake.channel, { backoffMs: 40, maxBackoffMs: 10_000 }, () => 0);
    d.enqueue(alert());
    await timers.advance(139);
    expect(fake.messages).toHaveLength(0);
    await timers.advance(1);
    expect(fake.messages).toHaveLength(1);
    expect(gapsOf(fake.attemptTimes)).toEqual([20, 40, 80]);
    expect(d.status()).toMatchObject({ attempts: 4, retries: 3, sent: 1 });
  });

  it('caps the backoff at maxBackoffMs', async () => {
    const fake = fakeChannel((n) => (n <= 4 ? new Error('down') : undefined));
    // random() just under 1 takes the highest delay: 20, then 40, 80, 160 capped at 30.
    const { d } = dispatcher(fake.channel, { backoffMs: 20, maxBackoffMs: 30 }, () => 0.999);
    d.enqueue(alert());
    await timers.advance(1000);
    expect(fake.messages).toHaveLength(1);
    expect(gapsOf(fake.attemptTimes)).toEqual([20, 30, 30, 30]);
    expect(d.status().sent).toBe(1);
  });

  it('abandons an attempt after timeoutMs and retries it', async () => {
    const fake = fakeChannel((n) => (n === 1 ? 'hang' : undefined));
    const { d, logger } = dispatcher(fake.channel, { timeoutMs: 500, backoffMs: 40 }, () => 0);
    d.enqueue(alert());
    await timers.advance(499);
    expect(fake.attemptTimes).toEqual([0]);
    await timers.advance(1 + 20);
    expect(fake.attemptTimes).toEqual([0, 520]);
    expect(fake.messages).toHaveLength(1);
    expect(logger.lines.join('\n')).toMatch(/timed out after 500 ms/);
  });

  it('bounds its queue while the channel is stuck, dropping the oldest and saying so', async () => {
    const fake = fakeChannel(() => 'hang');
    const { d, logger } = dispatcher(fake.channel, { queueSize: 3, timeoutMs: 10_000 });
    d.enqueue(alert());
    await timers.advance(0);
    expect(fake.attemptTimes).toHaveLength(1);
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
    await timers.advance(0);
    expect(fake.messages).toEqual([[firing.id]]);
  });

  it('on close, sends what waits for a group at once, and counts what it could not send', async () => {
    const fake = fakeChannel();
    const { d } = dispatcher(fake.channel, { groupWait: 60 });
    d.enqueue(alert());
    await timers.advance(0);
    expect(fake.messages).toHaveLength(1);
    d.enqueue(alert());
    let drained = false;
    void d.drain(1000).then(() => (drained = true));
    await timers.advance(0);
    // Sent without waiting the 60 s group wait, and drain() returned as soon as the queue was empty.
    expect(fake.messages).toHaveLength(2);
    expect(fake.attemptTimes).toEqual([0, 0]);
    expect(drained).toBe(true);

    const stuck = fakeChannel(() => 'hang');
    const { d: d2, logger } = dispatcher(stuck.channel, { timeoutMs: 10_000 });
    d2.enqueue(alert());
    await timers.advance(0);
    expect(stuck.attemptTimes).toHaveLength(1);
    d2.enqueue(alert());
    let gaveUp = false;
    void d2.drain(50).then(() => (gaveUp = true));
    await timers.advance(49);
    expect(gaveUp).toBe(false);
    await timers.advance(1);
    expect(gaveUp).toBe(true);
    await d2.stop();
    expect(d2.status()).toMatchObject({ state: 'stopped', failed: 2, queued: 0 });
    expect(logger.lines.join('\n')).toMatch(/1 alert\(s\) not sent at shutdown/);
  });

  it('does not retry a permanent failure', async () => {
    const fake = fakeChannel(() => new DeliveryError('rejected', true));
    const { d } = dispatcher(fake.channel);
    d.enqueue(alert());
    await timers.advance(10_000);
    expect(d.status().failed).toBe(1);
    expect(fake.attemptTimes).toHaveLength(1);
  });
});
