// The dashboard's historic view: a range in the URL lists a page of history (not the ring), with no live
// connection and an "Older entries" button that pages back; log text stays escaped.
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

async function setup() {
  const config = parseConfig({ notifiers: {}, stateDir: tempDir('lw-ui-hist-'), buffer: { capacity: 10 }, rules: [] });
  const logger = createMemoryLogger();
  const now = Date.now();
  const clock = () => now;
  store = (await openHistory()).store;
  const pipeline = new Pipeline({ config, logger, clock, history: store });
  const ctx = webContext(pipeline, { config, files: noFiles, spool: new RecordingSpool(pipeline), logger, clock, startedAt: now, history: storeReader(store) });
  web = createApp(ctx);
  // 250 lines over the last 50 minutes, one of them hostile.
  const lines = Array.from({ length: 250 }, (_, i) =>
    JSON.stringify({ time: new Date(now - (250 - i) * 12_000).toISOString(), level: 'info', msg: i === 100 ? '<script>alert(1)</script>' : `line ${i}` }),
  );
  pipeline.write({ source: 'app', lines, receivedAt: now, format: 'json' });
  return async (path: string) => (await web!.app.request(path)).text();
}

const messages = (html: string) => [...html.matchAll(/<span class="msg">([^<]*)<\/span>/g)].map((m) => m[1]);

describe('dashboard historic view', () => {
  it('lists a page of history for the range, newest first, with no live connection, and pages back', async () => {
    const get = await setup();
    const page = await get('/?range=1h');
    expect(page).toContain('<option value="1h" selected="">Last hour</option>');
    expect(page).not.toContain('hx-sse:connect');
    const first = messages(page);
    expect(first).toHaveLength(200);
    expect(first[0]).toBe('line 249');
    const older = /hx-get="(\/ui\/tail\?[^"]*cursor=[^"]*)"/.exec(page)![1].replaceAll('&amp;', '&');
    const second = messages(await get(older));
    expect(second).toHaveLength(50);
    expect(second[0]).toBe('line 49');
    expect(second[49]).toBe('line 0');
    expect(await get(older)).not.toContain('Older entries');
  });

  it('escapes log text and keeps the live view without a range', async () => {
    const get = await setup();
    const page = await get('/?range=1h&q=script');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>alert(1)');
    const live = await get('/');
    expect(live).toContain('hx-sse:connect');
    expect(messages(live)).toHaveLength(10); // the ring only
  });

  it('draws the range as a histogram whose bars zoom into their own range, filters kept', async () => {
    const get = await setup();
    const page = await get('/?range=1h&q=line');
    const hrefs = [...page.matchAll(/<a href="(\/\?[^"]*range=custom[^"]*)"/g)].map((m) => m[1].replaceAll('&amp;', '&'));
    // 250 lines over 50 minutes in 1-minute bars: 50 or 51 bars with entries.
    expect(hrefs.length).toBeGreaterThanOrEqual(50);
    const last = new URL(hrefs[hrefs.length - 1], 'http://x');
    expect(last.searchParams.get('q')).toBe('line');
    const zoomed = await get(hrefs[hrefs.length - 1]);
    const from = Number(last.searchParams.get('from'));
    const to = Number(last.searchParams.get('to'));
    expect(to - from).toBeLessThanOrEqual(60_000);
    const shown = messages(zoomed);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThanOrEqual(5); // one line every 12 s
    expect(shown[0]).toBe('line 249');
    expect(zoomed).toContain('<input type="hidden" name="from"');
  });
});
