import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../src/logger.ts';
import { consoleLine } from '../../src/notify/console.ts';
import { createNotifiers, type Notifiers } from '../../src/notify/index.ts';
import { slackPayload, type SlackPayload } from '../../src/notify/slack.ts';
import { alert, captureServer, logEntry, until } from './helpers.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

describe('console notifier', () => {
  it('writes one line per alert with control characters stripped', async () => {
    const logger = createMemoryLogger();
    const notifiers = createNotifiers({ console: { type: 'console' } }, logger);
    cleanups.push(() => notifiers.close(100));
    notifiers.dispatch(alert({ key: 'evil\u001b[2J\r\nFAKE', message: 'line1\nline2\u0007\u009b31m' }));
    notifiers.dispatch(alert({ state: 'resolved', message: 'resolved: ok' }));
    await until(() => logger.lines.length === 2);
    expect(logger.lines[0]).toBe('warn ALERT High Error Rate [evil [2J FAKE] count=3: line1 line2 31m');
    expect(logger.lines[1]).toBe('info RESOLVED High Error Rate count=3: resolved: ok');
    expect(logger.lines.every((l) => !/[\u0000-\u001f\u007f-\u009f]/.test(l))).toBe(true);
  });

  it('strips bidirectional overrides that would make a line read differently', () => {
    expect(consoleLine(alert({ message: 'ok \u202egnp.exe' }))).toContain('ok gnp.exe');
  });
});

describe('slack notifier', () => {
  it('posts an incoming-webhook message with rule, key, count and sample lines', async () => {
    const server = await captureServer();
    const notifiers = createNotifiers(
      { team: { type: 'slack', url: server.url, channel: '#ops', username: 'LogWatch', iconEmoji: ':rotating_light:', groupWait: 0 } as never },
      createMemoryLogger(),
    );
    cleanups.push(() => server.close(), () => notifiers.close(100));
    notifiers.dispatch(alert({ rule: 'Brute force', key: '10.0.0.9', count: 7, logs: [logEntry('Failed password for root from 10.0.0.9')] }));
    await until(() => server.received.length === 1);
    const payload = server.received[0].body as SlackPayload;
    expect(payload).toMatchObject({ channel: '#ops', username: 'LogWatch', icon_emoji: ':rotating_light:', text: 'LogWatch FIRING: Brute force (10.0.0.9)' });
    const section = JSON.stringify(payload.blocks);
    expect(section).toContain('*Brute force*');
    expect(section).toContain('key `10.0.0.9`');
    expect(section).toContain('count *7*');
    expect(section).toContain('```Failed password for root from 10.0.0.9```');
  });

  it('escapes log text so it cannot mention @channel, forge links or close its code block', () => {
    const payload = slackPayload([alert({ message: '<!channel> <http://evil|click> & more', logs: [logEntry('x ``` *bold* <!here>')] })], {});
    const text = (payload.blocks[0] as { text: { text: string } }).text.text;
    expect(text).toContain('&lt;!channel&gt; &lt;http://evil|click&gt; &amp; more');
    expect(text).toContain("```x ''' *bold* &lt;!here&gt;```");
    expect(text).not.toMatch(/<!|<http/);
  });

  it('summarises a group and stays within Slack block limits', () => {
    const alerts = Array.from({ length: 30 }, (_, i) => alert({ rule: `R${i % 3}`, state: i % 2 === 0 ? 'firing' : 'resolved' }));
    const payload = slackPayload(alerts, {});
    expect(payload.text).toBe('LogWatch 30 alerts (15 firing): R0, R1, R2');
    expect(payload.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(payload.blocks.at(-1))).toContain('and 10 more alerts');
  });
});

describe('notifier routing and reload', () => {
  function setup() {
    const logger = createMemoryLogger();
    const notifiers = createNotifiers(
      { a: { type: 'console', groupWait: 0 } as never, b: { type: 'console', groupWait: 0 } as never },
      logger,
    );
    cleanups.push(() => notifiers.close(100));
    return { logger, notifiers };
  }
  const sent = (n: Notifiers) => Object.fromEntries(n.status().map((s) => [s.name, s.sent]));

  it('sends to the rule\'s notifiers only, to all without a list, never silenced alerts, and warns once about unknown names', async () => {
    const { logger, notifiers } = setup();
    notifiers.dispatch(alert(), ['b', 'nope']);
    notifiers.dispatch(alert(), ['nope']);
    notifiers.dispatch(alert());
    notifiers.dispatch(alert({ silenced: true }));
    await until(() => sent(notifiers).b === 2);
    expect(sent(notifiers)).toEqual({ a: 1, b: 2 });
    expect(logger.lines.filter((l) => l.includes('no notifier has that name'))).toHaveLength(1);
  });

  it('keeps unchanged notifiers (and their counters) on reload, replaces changed ones, drops removed ones', async () => {
    const { notifiers } = setup();
    notifiers.dispatch(alert());
    await until(() => sent(notifiers).a === 1 && sent(notifiers).b === 1);
    const summary = notifiers.reload({
      a: { type: 'console', groupWait: 0 } as never,
      c: { type: 'console' } as never,
    });
    expect(summary).toEqual({ kept: ['a'], changed: [], added: ['c'], removed: ['b'] });
    expect(sent(notifiers)).toEqual({ a: 1, c: 0 });
    expect(notifiers.reload({ a: { type: 'console', groupWait: 1 } as never }).changed).toEqual(['a']);
    expect(sent(notifiers)).toEqual({ a: 0 });
  });
});
