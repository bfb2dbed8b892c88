// Receivers and the agent as users run them: real LogWatch processes on 127.0.0.1. A central with
// syslog listeners fed by util-linux logger (Bun and Deno), and an agent process shipping a growing
// file to a central that is killed (-9) and restarted: every line arrives, none twice.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import snappy from 'snappy';
import { afterEach, describe, expect, it } from 'vitest';
import { PushRequest } from '../../src/sources/receivers/loki-decode.ts';
import { ExportLogsServiceRequest } from '../../src/sources/receivers/otlp-decode.ts';
import { eventually, runtimeCommand, spawnLogWatch, workspace, type LogWatchProcess, type Runtime } from '../helpers/process.ts';

const run = promisify(execFile);
const running: Array<{ stop: (signal?: NodeJS.Signals) => Promise<unknown> }> = [];
afterEach(async () => {
  for (const p of running.splice(0).reverse()) await p.stop('SIGKILL').catch(() => {});
});

async function central(runtime: Runtime, ws: ReturnType<typeof workspace>, config: Record<string, unknown>, port = 0): Promise<LogWatchProcess> {
  const file = ws.writeConfig({ watch: [], stateDir: ws.state, port, notifiers: {}, ...config });
  const p = await spawnLogWatch(runtime, ['--config', file], { timeoutMs: 60_000 });
  running.push(p);
  return p;
}

interface EntryJson {
  source: string;
  message: string;
  level: string;
  metadata: Record<string, unknown>;
}

async function logs(url: string, query = '', token?: string): Promise<EntryJson[]> {
  const res = await fetch(`${url}/api/logs?limit=10000${query}`, { headers: token === undefined ? {} : { Authorization: `Bearer ${token}` } });
  return (await res.json()) as EntryJson[];
}

describe('syslog into a LogWatch process', () => {
  for (const runtime of ['bun', 'deno'] as const) {
    it(`takes util-linux logger over UDP and TCP on ${runtime}`, async () => {
      const ws = workspace('lw-syslog-');
      const lw = await central(runtime, ws, { syslog: { udp: 0, tcp: 0 } });
      const m = /syslog on 127\.0\.0\.1 udp (\d+), tcp (\d+)/.exec(lw.output());
      expect(m, lw.output()).not.toBeNull();
      const [, udp, tcp] = m!;
      await run('logger', ['--server', '127.0.0.1', '--port', udp!, '--udp', '--rfc5424', '-t', 'api', '-p', 'daemon.err', 'db connection failed']);
      await run('logger', ['--server', '127.0.0.1', '--port', tcp!, '--tcp', '--octet-count', '--rfc3164', '-t', 'cron', '-p', 'cron.info', 'backup done']);
      const entries = await eventually(async () => {
        const got = await logs(lw.url);
        return got.length === 2 ? got : undefined;
      }, 10_000, 'two syslog entries');
      expect(entries.map((e) => [e.level, e.message, e.metadata.program])).toEqual([
        ['ERROR', 'db connection failed', 'api'],
        ['INFO', 'backup done', 'cron'],
      ]);
      const metrics = await (await fetch(`${lw.url}/metrics`)).text();
      expect(metrics).toContain('logwatch_receiver_records_total{receiver="syslog"} 2');
    });

    it(`takes Loki protobuf + snappy and OTLP protobuf on ${runtime}`, async () => {
      const ws = workspace('lw-recv-');
      const lw = await central(runtime, ws, {});
      const loki = snappy.compressSync(Buffer.from(PushRequest.encode(PushRequest.fromObject({ streams: [{ labels: '{host="h1", job="api"}', entries: [{ timestamp: { seconds: 1796033702, nanos: 0 }, line: 'level=error msg="loki line"' }] }] })).finish()));
      const otlp = ExportLogsServiceRequest.encode(ExportLogsServiceRequest.fromObject({ resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] }, scopeLogs: [{ logRecords: [{ severityNumber: 17, body: { stringValue: 'otlp line' } }] }] }] })).finish();
      expect((await fetch(`${lw.url}/loki/api/v1/push`, { method: 'POST', body: new Uint8Array(loki), headers: { 'Content-Type': 'application/x-protobuf' } })).status).toBe(204);
      const res = await fetch(`${lw.url}/v1/logs`, { method: 'POST', body: new Uint8Array(otlp), headers: { 'Content-Type': 'application/x-protobuf' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/x-protobuf');
      const entries = await eventually(async () => {
        const got = await logs(lw.url);
        return got.length === 2 ? got : undefined;
      }, 10_000, 'two entries');
      expect(entries.map((e) => [e.source, e.level, e.message])).toEqual([
        ['h1:api', 'ERROR', 'loki line'],
        ['otlp:svc', 'ERROR', 'otlp line'],
      ]);
    });
  }
});

function spawnAgent(args: string[]): Promise<{ child: ChildProcess; output: () => string; stop: (signal?: NodeJS.Signals) => Promise<number | null> }> {
  const [command, argv] = runtimeCommand('bun', ['agent', ...args]);
  const child = spawn(command, argv, { env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const agent = { child, output: () => output, stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  } };
  running.push(agent);
  return eventually(() => (output.includes('LogWatch agent shipping') ? agent : undefined), 30_000, `the agent to start: ${output}`);
}

describe('logwatch agent with a central LogWatch', () => {
  it('loses nothing and sends nothing twice while the central is killed and restarted and the agent restarted', async () => {
    const cws = workspace('lw-central-');
    // History big enough that a restarted central shows every line it ever spooled, once.
    // The agent's token may only ingest, and only as its own host (README "Security"); the test reads with another.
    const AGENT_TOKEN = 'edge-1-ingest-token-0001';
    const READ_TOKEN = 'reader-token-000000000001';
    const auth = {
      tokens: [
        { name: 'edge-1', token: AGENT_TOKEN, roles: ['ingest'], sourcePrefix: 'edge-1:' },
        { name: 'reader', token: READ_TOKEN, roles: ['read'] },
      ],
    };
    const config = { auth, ingest: { backfillLines: 100_000 }, buffer: { capacity: 100_000 } };
    let lw = await central('bun', cws, config);
    const port = Number(new URL(lw.url).port);
    const aws = workspace('lw-agent-');
    const log = join(aws.logs, 'app.log');
    writeFileSync(log, '');
    const agentArgs = ['--forward', lw.url, '--token', AGENT_TOKEN, '--watch', join(aws.logs, '*.log'), '--state-dir', aws.state, '--host-label', 'edge-1'];
    let agent = await spawnAgent(agentArgs);
    const expected: string[] = [];
    let n = 0;
    const write = (count: number) => {
      const lines = Array.from({ length: count }, () => `event ${n++} level=info`);
      expected.push(...lines);
      appendFileSync(log, `${lines.join('\n')}\n`);
    };
    const source = `edge-1:${log}`;
    const count = async () => (await logs(lw.url, `&source=${encodeURIComponent(source)}`, READ_TOKEN)).length;

    write(300);
    await eventually(async () => (await count()) === 300, 20_000, 'the first lines at the central');
    await lw.stop('SIGKILL');
    for (let i = 0; i < 5; i++) {
      write(100);
      await new Promise((r) => setTimeout(r, 100));
    }
    // The central stays down until the agent has met the outage (a batch refused, retrying with backoff).
    await eventually(() => /sending to \S+ failed .*retrying with backoff/.test(agent.output()), 20_000, 'the agent reporting the outage');
    lw = await central('bun', cws, config, port);
    write(200);
    expect(await agent.stop('SIGTERM')).toBe(0);
    write(200);
    agent = await spawnAgent(agentArgs);
    write(100);
    const entries = await eventually(async () => {
      const got = await logs(lw.url, `&source=${encodeURIComponent(source)}`, READ_TOKEN);
      return got.length >= expected.length ? got : undefined;
    }, 30_000, 'every line at the central');
    await new Promise((r) => setTimeout(r, 500));
    const messages = (await logs(lw.url, `&source=${encodeURIComponent(source)}`, READ_TOKEN)).map((e) => e.message);
    expect(messages.length).toBe(expected.length);
    expect(new Set(messages).size).toBe(messages.length);
    expect([...messages].sort()).toEqual([...expected].sort());
    expect(entries[0].metadata).toMatchObject({ host: 'edge-1', filename: log });
    // Nothing landed outside the agent's prefix, and the token cannot read.
    expect((await logs(lw.url, '', READ_TOKEN)).every((e) => e.source.startsWith('edge-1:'))).toBe(true);
    expect((await fetch(`${lw.url}/api/logs`, { headers: { Authorization: `Bearer ${AGENT_TOKEN}` } })).status).toBe(403);
  }, 120_000);
});

describe('logwatch agent command line', () => {
  const agentRun = (args: string[], env: Record<string, string> = {}) => {
    const [command, argv] = runtimeCommand('bun', ['agent', ...args]);
    const env0: Record<string, string | undefined> = { ...process.env, LOGWATCH_FORWARD: undefined, LOGWATCH_WATCH: undefined, LOGWATCH_TOKEN: undefined, ...env };
    return spawnSync(command, argv, { env: env0 as NodeJS.ProcessEnv, encoding: 'utf8', timeout: 30_000 });
  };

  it('prints its help, and exits 2 naming what is missing or wrong', () => {
    const help = agentRun(['--help']);
    expect(help.status).toBe(0);
    for (const flag of ['--forward', '--token', '--watch', '--state-dir', '--host-label']) expect(help.stdout).toContain(flag);
    expect(agentRun(['--watch', '/tmp/*.log'])).toMatchObject({ status: 2, stderr: expect.stringContaining('needs --forward URL') });
    expect(agentRun(['--forward', 'http://127.0.0.1:9'])).toMatchObject({ status: 2, stderr: expect.stringContaining('needs at least one --watch') });
    expect(agentRun(['--forward', 'ftp://x', '--watch', '/tmp/*.log'])).toMatchObject({ status: 2, stderr: expect.stringContaining('--forward: expected an http:// or https:// URL') });
    expect(agentRun(['--bogus'])).toMatchObject({ status: 2, stderr: expect.stringContaining('--bogus') });
  });
});
