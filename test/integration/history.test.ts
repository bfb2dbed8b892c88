// History across restarts, on a real server: what was read before a graceful restart is searchable
// after it, exactly once (the lines loaded again as backfill at start are not stored twice).
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { createMemoryLogger } from '../../src/logger.ts';
import { startLogWatch, type RunningLogWatch } from '../../src/logwatch.ts';
import { eventually, workspace, type Workspace } from '../helpers/process.ts';

let running: RunningLogWatch | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function start(ws: Workspace): Promise<RunningLogWatch> {
  running = await startLogWatch(
    parseConfig({ port: 0, watch: [`${ws.logs}/*.log`], stateDir: ws.state, notifiers: {}, rules: [], buffer: { capacity: 10 } }),
    { logger: createMemoryLogger() },
  );
  return running;
}

const line = (n: number) => `2026-11-30 10:${String(Math.floor(n / 60)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')},000 - app - INFO - request ${n}`;

async function historyMessages(url: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '';
  for (;;) {
    const res = await fetch(`${url}/api/logs?from=2026-11-30T00:00:00Z&limit=50${cursor === '' ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
    const page = (await res.json()) as Array<{ message: string }>;
    out.unshift(...page.map((e) => e.message));
    cursor = res.headers.get('X-Next-Cursor') ?? '';
    if (cursor === '') return out;
  }
}

describe('history across a restart', () => {
  it('keeps every line read, once, and keeps adding after the restart', async () => {
    const ws = workspace('lw-hist-int-');
    const file = join(ws.logs, 'app.log');
    appendFileSync(file, '');
    let lw = await start(ws);
    appendFileSync(file, Array.from({ length: 40 }, (_, i) => `${line(i)}\n`).join(''));
    await eventually(async () => (await historyMessages(lw.url)).length === 40, 10_000, '40 entries in history');
    await lw.stop();

    lw = await start(ws);
    appendFileSync(file, Array.from({ length: 5 }, (_, i) => `${line(40 + i)}\n`).join(''));
    await eventually(async () => (await historyMessages(lw.url)).length >= 45, 10_000, '45 entries in history');
    expect(await historyMessages(lw.url)).toEqual(Array.from({ length: 45 }, (_, i) => `request ${i}`));
    const metrics = await (await fetch(`${lw.url}/metrics`)).text();
    expect(metrics).toMatch(/^logwatch_history_entries 45$/m);
  });
});

async function ringMessages(url: string): Promise<string[]> {
  const page = (await (await fetch(`${url}/api/logs?limit=100`)).json()) as Array<{ message: string }>;
  return page.map((e) => e.message);
}

describe('the list after a restart', () => {
  it('is warmed from history as it was, with nothing shown twice (files and the ingest spool), and no alert', async () => {
    const ws = workspace('lw-hist-warm-');
    const file = join(ws.logs, 'app.log');
    appendFileSync(file, '');
    const config = () =>
      parseConfig({
        port: 0, watch: [`${ws.logs}/*.log`], stateDir: ws.state, notifiers: {}, buffer: { capacity: 10 },
        rules: [{ name: 'Any request', pattern: 'request', threshold: 1 }],
      });
    let lw = (running = await startLogWatch(config(), { logger: createMemoryLogger() }));
    appendFileSync(file, Array.from({ length: 8 }, (_, i) => `${line(i)}\n`).join(''));
    await eventually(async () => (await historyMessages(lw.url)).length === 8, 10_000, '8 file entries in history');
    const ingested = await fetch(`${lw.url}/api/ingest?source=remote`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'remote 1\nremote 2\nremote 3\nremote 4\n' });
    expect(ingested.status).toBe(202);
    await eventually(async () => (await historyMessages(lw.url)).length === 12, 10_000, '12 entries in history');
    const before = await ringMessages(lw.url);
    expect(before).toHaveLength(10);
    const alertsBefore = ((await (await fetch(`${lw.url}/api/alerts`)).json()) as unknown[]).length;
    await lw.stop();

    lw = running = await startLogWatch(config(), { logger: createMemoryLogger() });
    // Before any new line: the same ten entries, each once (the spool's backfill is not added on top).
    expect(await ringMessages(lw.url)).toEqual(before);
    // Shown, not alerted again, not stored again.
    expect(((await (await fetch(`${lw.url}/api/alerts`)).json()) as unknown[]).length).toBeLessThanOrEqual(alertsBefore);
    expect(await historyMessages(lw.url)).toHaveLength(12);
    appendFileSync(file, `${line(8)}\n`);
    await eventually(async () => (await ringMessages(lw.url)).includes('request 8'), 10_000, 'the new line in the list');
    expect(await ringMessages(lw.url)).toEqual([...before.slice(1), 'request 8']);
    expect(await historyMessages(lw.url)).toHaveLength(13);
  });
});
