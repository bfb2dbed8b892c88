// Entries history had to leave out (the disk could not keep up) are counted with everything else shed
// under load: logwatch_shed_total{what="history"} and the dashboard's Shed line.
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, webContext, type WebApp } from '../../src/app.ts';
import { parseConfig } from '../../src/config/load.ts';
import { createMemoryLogger } from '../../src/logger.ts';
import { Pipeline } from '../../src/pipeline.ts';
import { storeReader, type HistoryStore } from '../../src/store/history/index.ts';
import type { FileSources } from '../../src/sources/index.ts';
import { openHistory, tempDir } from '../store/history/helpers.ts';
import { RecordingSpool } from './fake-context.ts';

const noFiles: FileSources = { start: async () => {}, stop: async () => {}, status: () => [] };
let web: WebApp | undefined;
let store: HistoryStore | undefined;
afterEach(async () => {
  web?.close();
  await store?.close();
});

describe('history in the shed counter', () => {
  it('counts entries dropped from history in logwatch_shed_total and on the dashboard', async () => {
    const config = parseConfig({ notifiers: {}, stateDir: tempDir('lw-shed-hist-'), rules: [] });
    const logger = createMemoryLogger();
    const now = Date.now();
    const clock = () => now;
    // Manual timers: nothing is written until the test says so, so the queue of 5 fills.
    store = (await openHistory({ maxQueued: 5 })).store;
    const pipeline = new Pipeline({ config, logger, clock, history: store });
    const ctx = webContext(pipeline, { config, files: noFiles, spool: new RecordingSpool(pipeline), logger, clock, startedAt: now, history: storeReader(store) });
    web = createApp(ctx);
    const before = await (await web.app.request('/metrics')).text();
    expect(before).toContain('logwatch_shed_total{what="history"} 0');
    pipeline.write({ source: 'app', lines: Array.from({ length: 8 }, (_, i) => `line ${i}`), receivedAt: now });
    expect(store.stats().dropped).toBe(3);
    const metrics = await (await web.app.request('/metrics')).text();
    expect(metrics).toContain('logwatch_shed_total{what="history"} 3');
    expect(metrics).toMatch(/^logwatch_history_dropped_total 3$/m);
    expect(await (await web.app.request('/')).text()).toContain('3 history entries (disk too slow)');
  });
});
