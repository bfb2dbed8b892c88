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
