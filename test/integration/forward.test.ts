// The Loki sink as LogWatch runs it: entries of a running LogWatch reach a Loki push endpoint (LogWatch's own
// receiver, on 127.0.0.1), history replayed at a restart is not sent again, and /metrics counts it.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { createMemoryLogger } from '../../src/logger.ts';
import { startLogWatch, type RunningLogWatch } from '../../src/logwatch.ts';
import { eventually, workspace } from '../helpers/process.ts';
import { entriesOf } from '../sources/receivers/helpers.ts';
import { startReceivers, type ReceiverServer } from '../web/receivers/server.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function start(ws: ReturnType<typeof workspace>, loki: ReceiverServer): Promise<RunningLogWatch> {
  const config = parseConfig({ port: 0, watch: [`${ws.logs}/*.log`], stateDir: ws.state, notifiers: {}, forward: { loki: { url: loki.url, labels: { job: 'lw' }, batchWaitMs: 20 } } });
  const running = await startLogWatch(config, { logger: createMemoryLogger() });
  let stopped = false;
  cleanups.push(async () => {
    if (!stopped) await running.stop();
  });
  return { ...running, stop: async () => {
    stopped = true;
    await running.stop();
  } };
}

describe('Loki sink in a running LogWatch', () => {
  it('forwards file and ingested entries, not the history replayed at a restart, and counts them', async () => {
    const loki = await startReceivers();
    cleanups.push(() => loki.server.close());
    const ws = workspace('lw-forward-');
    const log = join(ws.logs, 'app.log');
    writeFileSync(log, '');
    let lw = await start(ws, loki);
    appendFileSync(log, '2026-11-30 10:15:02,000 - db - ERROR - connection refused\n');
    await fetch(`${lw.url}/api/ingest?source=api`, { method: 'POST', body: 'level=warn msg="slow request"', headers: { 'Content-Type': 'text/plain' } });
    await eventually(() => loki.spool.lines === 2, 10_000, 'two entries at Loki');
    const metrics = await (await fetch(`${lw.url}/metrics`)).text();
    expect(metrics).toContain('logwatch_forward_records_total{sink="loki",result="sent"} 2');
    await lw.stop();

    // The restart shows both again as history; Loki must not get them twice.
    lw = await start(ws, loki);
    const history = await (await fetch(`${lw.url}/api/logs`)).json();
    expect(history.length).toBeGreaterThan(0);
    appendFileSync(log, '2026-11-30 10:15:03,000 - db - INFO - reconnected\n');
    await eventually(() => loki.spool.lines >= 3, 10_000, 'the new entry at Loki');
    await lw.stop();
    // Each entry once (the file's ERROR is held 250 ms for a possible stack trace, so arrival order varies).
    const received = entriesOf(loki.spool.parts).map((e) => [e.metadata.source, e.metadata.level, e.metadata.job, e.raw].join(' | '));
    expect(received.sort()).toEqual([
      `${log} | error | lw | 2026-11-30 10:15:02,000 - db - ERROR - connection refused`,
      `${log} | info | lw | 2026-11-30 10:15:03,000 - db - INFO - reconnected`,
      'api | warning | lw | level=warn msg="slow request"',
    ].sort());
  });
});
