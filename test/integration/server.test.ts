// End to end on a real server (in-process, Node): files and HTTP lines → parse → store → alerts → API, SSE, notifiers.
import { appendFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import type { ConfigInput } from '../../src/config/schema.ts';
import { createMemoryLogger } from '../../src/logger.ts';
import { startLogWatch, type RunningLogWatch } from '../../src/logwatch.ts';
import { eventually, workspace, type Workspace } from '../helpers/process.ts';
import { SseReader } from '../helpers/sse.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function start(ws: Workspace, config: ConfigInput = {}): Promise<RunningLogWatch> {
  const running = await startLogWatch(
    parseConfig({ port: 0, watch: [`${ws.logs}/*.log`], stateDir: ws.state, notifiers: {}, ...config }),
    { logger: createMemoryLogger() },
  );
  cleanups.push(() => running.stop());
  return running;
}

async function getJson<T = unknown>(url: string): Promise<T> {
  const res = await fetch(url);
  expect(res.ok, `${url}: ${res.status}`).toBe(true);
  return (await res.json()) as T;
}

type EntryJson = { id: number; raw: string; level: string; message: string; source: string };
type AlertJson = { rule: string; key: string; count: number; state: string; logs: EntryJson[]; message: string };

const errorLine = (n: number) => `2026-11-30 10:15:0${n},123 - db - ERROR - query ${n} failed`;

describe('alerts end to end', () => {
  it('three ERROR lines fire "High Error Rate": in /api/alerts and as event: alert on the stream', async () => {
    const ws = workspace();
    const lw = await start(ws);
    const sse = await SseReader.connect(`${lw.url}/api/stream`);
    cleanups.push(() => sse.close());
    await sse.until((events) => events.length > 0);
    appendFileSync(join(ws.logs, 'app.log'), `${errorLine(1)}\n${errorLine(2)}\n`);
    await sse.until(() => sse.logs().length === 2);
    expect(await getJson<AlertJson[]>(`${lw.url}/api/alerts`)).toEqual([]);
    appendFileSync(join(ws.logs, 'app.log'), `${errorLine(3)}\n`);
    await sse.until(() => sse.ofType('alert').length === 1);
    const streamed = sse.ofType<AlertJson>('alert')[0];
    expect(streamed).toMatchObject({ rule: 'High Error Rate', state: 'firing', count: 3 });
    expect(streamed.logs.map((e) => e.message)).toEqual(['query 1 failed', 'query 2 failed', 'query 3 failed']);
    const alerts = await getJson<AlertJson[]>(`${lw.url}/api/alerts`);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ rule: 'High Error Rate', count: 3 });
    // The cooldown keeps a fourth error quiet.
    appendFileSync(join(ws.logs, 'app.log'), `${errorLine(4)}\n`);
    await sse.until(() => sse.logs().length === 4);
    expect((await getJson<AlertJson[]>(`${lw.url}/api/alerts`)).filter((a) => a.state === 'firing')).toHaveLength(1);
    const stats = await getJson<{ total_alerts: number; active_rules: number }>(`${lw.url}/api/stats`);
    expect(stats.active_rules).toBe(2);
    expect(stats.total_alerts).toBeGreaterThanOrEqual(1);
  });

  it('"Connection Failed" fires on the first matching line, whatever its level', async () => {
    const ws = workspace();
    const lw = await start(ws);
    appendFileSync(join(ws.logs, 'svc.log'), 'worker 3: Connection refused by upstream 10.0.0.7:5432\n');
    const alerts = await eventually(async () => {
      const list = await getJson<AlertJson[]>(`${lw.url}/api/alerts`);
      return list.length > 0 ? list : undefined;
    });
    expect(alerts[0]).toMatchObject({ rule: 'Connection Failed', count: 1 });
    expect(alerts[0].logs[0].raw).toContain('Connection refused');
  });

  it('a webhook notifier delivers the alert as a JSON POST to a local server', async () => {
    const received: Array<{ headers: IncomingMessage['headers']; body: unknown }> = [];
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(body) });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise((r) => hook.close(r)));
    const ws = workspace();
    const lw = await start(ws, {
      notifiers: { hook: { type: 'webhook', url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/alerts`, headers: { 'X-Team': 'ops' } } },
    });
    appendFileSync(join(ws.logs, 'app.log'), `${errorLine(1)}\n${errorLine(2)}\n${errorLine(3)}\n`);
    await eventually(() => received.length > 0, 20_000, 'the webhook delivery');
    expect(received[0].headers['content-type']).toMatch(/application\/json/);
    expect(received[0].headers['x-team']).toBe('ops');
    expect(JSON.stringify(received[0].body)).toContain('High Error Rate');
    expect(lw.pipeline.notifiers.status().find((n) => n.name === 'hook')).toMatchObject({ sent: expect.any(Number), failed: 0 });
  });
});

describe('durability end to end', () => {
  it('a restart reads the lines written while LogWatch was down exactly once, and keeps the old ones as history', async () => {
    const ws = workspace();
    const file = join(ws.logs, 'app.log');
    writeFileSync(file, '');
    const first = await start(ws);
    appendFileSync(file, 'before 1\nbefore 2\n');
    await eventually(async () => (await getJson<EntryJson[]>(`${first.url}/api/logs`)).length === 2);
    await first.stop();

    appendFileSync(file, 'while down 1\nwhile down 2\n');
    const second = await start(ws);
    appendFileSync(file, 'after restart\n');
    const raws = await eventually(async () => {
      const logs = await getJson<EntryJson[]>(`${second.url}/api/logs`);
      return logs.some((e) => e.raw === 'after restart') ? logs.map((e) => e.raw) : undefined;
    });
    expect(raws).toEqual(['before 1', 'before 2', 'while down 1', 'while down 2', 'after restart']);
  });

  it('lines accepted over HTTP survive a restart (they come back from the spool as history)', async () => {
    const ws = workspace();
    const first = await start(ws);
    const res = await fetch(`${first.url}/api/ingest?source=remote`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'remote 1\nremote 2\n' });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 2 });
    await first.stop();
    const second = await start(ws);
    const logs = await eventually(async () => {
      const list = await getJson<EntryJson[]>(`${second.url}/api/logs?source=remote`);
      return list.length >= 2 ? list : undefined;
    });
    expect(logs.map((e) => e.raw)).toEqual(['remote 1', 'remote 2']);
  });
});
