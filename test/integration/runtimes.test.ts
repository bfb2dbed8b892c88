// The same scenario on the three runtimes: Bun and Deno as real processes, Node in-process.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { createMemoryLogger } from '../../src/logger.ts';
import { startLogWatch, type RunningLogWatch } from '../../src/logwatch.ts';
import { eventually, spawnLogWatch, workspace, type LogWatchProcess, type Runtime } from '../helpers/process.ts';
import { SseReader } from '../helpers/sse.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** Appends a line to a watched file and expects it on /api/stream and in /api/logs. */
async function appendAndObserve(url: string, logsDir: string, runtime: string): Promise<void> {
  const sse = await SseReader.connect(`${url}/api/stream`);
  cleanups.push(() => sse.close());
  await sse.until((events) => events.some((e) => e.comment === 'connected'));
  const text = `2026-11-30 10:15:02,123 - app - WARNING - hello from ${runtime} <b>&amp;</b>`;
  appendFileSync(join(logsDir, 'app.log'), `${text}\n`);
  await sse.until(() => sse.logs().some((e) => e.raw === text), 10_000);
  const entry = sse.logs().find((e) => e.raw === text)!;
  expect(entry.source).toMatch(/app\.log$/);
  const logs = await eventually(async () => {
    const res = await fetch(`${url}/api/logs?q=${encodeURIComponent(`hello from ${runtime}`)}`);
    const body = (await res.json()) as Array<{ id: number; raw: string }>;
    return body.length > 0 ? body : undefined;
  });
  expect(logs).toHaveLength(1);
  expect(logs[0]).toMatchObject({ id: entry.id, raw: text });
}

describe.each<Runtime>(['bun', 'deno'])('LogWatch as a %s process', (runtime) => {
  it('follows a file appended to after start, serves it on the stream and the API, and exits 0 on SIGTERM', async () => {
    const ws = workspace(`lw-${runtime}-`);
    const proc: LogWatchProcess = await spawnLogWatch(runtime, ['--port', '0', '--watch', `${ws.logs}/*.log`, '--state-dir', ws.state]);
    cleanups.push(() => proc.stop('SIGKILL'));
    expect(proc.output()).toMatch(new RegExp(`watching ${ws.logs}/\\*\\.log`));
    await appendAndObserve(proc.url, ws.logs, runtime);
    const health = await fetch(`${proc.url}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(await proc.stop('SIGTERM')).toBe(0);
  }, 60_000);
});

describe('LogWatch in-process on Node (@hono/node-server)', () => {
  it('follows a file appended to after start and serves it on the stream and the API', async () => {
    const ws = workspace('lw-node-');
    const running: RunningLogWatch = await startLogWatch(
      parseConfig({ port: 0, watch: [`${ws.logs}/*.log`], stateDir: ws.state, notifiers: {} }),
      { logger: createMemoryLogger() },
    );
    cleanups.push(() => running.stop());
    expect(running.server.runtime).toBe('node');
    await appendAndObserve(running.url, ws.logs, 'node');
  }, 60_000);
});
