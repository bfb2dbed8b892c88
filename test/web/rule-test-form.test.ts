// The dashboard's "Test on history": POST /ui/rules/test replays an existing rule over history with the
// same code as POST /api/rules/test and answers an HTML fragment (log text escaped); admin only.
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, webContext, type WebApp } from '../../src/app.ts';
import { parseConfig } from '../../src/config/load.ts';
import { createMemoryLogger } from '../../src/logger.ts';
import { Pipeline } from '../../src/pipeline.ts';
import { storeReader, type HistoryStore } from '../../src/store/history/index.ts';
import type { FileSources } from '../../src/sources/index.ts';
import { openHistory, tempDir } from '../store/history/helpers.ts';
import { RecordingSpool } from './fake-context.ts';

const T0 = Date.UTC(2026, 11, 1, 10, 0, 0);
const NOW = T0 + 3_600_000;
const READER = 'reader-token-0123456789';
const ADMIN = 'admin-token-0123456789a';
const noFiles: FileSources = { start: async () => {}, stop: async () => {}, status: () => [] };
const RULE = { name: 'Errors per IP', level: 'ERROR', groupBy: 'metadata.ip', threshold: 2, window: 600, cooldown: 3600 };

let web: WebApp | undefined;
let store: HistoryStore | undefined;
afterEach(async () => {
  web?.close();
  await store?.close();
  web = undefined;
  store = undefined;
});

async function setup(auth?: unknown) {
  const config = parseConfig({
    notifiers: {},
    stateDir: tempDir('lw-rule-test-'),
    buffer: { capacity: 10 },
    rules: [RULE, { name: 'Never', pattern: 'no such line', threshold: 1 }],
    ...(auth === undefined ? {} : { auth }),
  });
  const logger = createMemoryLogger();
  const clock = () => NOW;
  store = (await openHistory()).store;
  const pipeline = new Pipeline({ config, logger, clock, history: store });
  const ctx = webContext(pipeline, { config, files: noFiles, spool: new RecordingSpool(pipeline), logger, clock, startedAt: T0, history: storeReader(store) });
  web = createApp(ctx);
  // Minute i: every third an error from 10.0.0.(i % 2); the IP of one is hostile markup.
  const lines = Array.from({ length: 60 }, (_, i) =>
    JSON.stringify({ time: new Date(T0 + i * 60_000).toISOString(), level: i % 3 === 0 ? 'error' : 'info', msg: `event ${i}`, ip: i === 30 || i === 36 ? '<img src=x onerror=alert(1)>' : `10.0.0.${i % 2}` }),
  );
  pipeline.write({ source: 'api', lines, receivedAt: NOW, format: 'json' });
  const post = async (form: Record<string, string>, headers: Record<string, string> = {}) => {
    const res = await web!.app.request('http://127.0.0.1:3000/ui/rules/test', {
      method: 'POST',
      body: new URLSearchParams(form).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'HX-Request': 'true', 'Sec-Fetch-Site': 'same-origin', ...headers },
    });
    return { status: res.status, html: await res.text() };
  };
  const api = async (body: unknown) => {
    const res = await web!.app.request('http://127.0.0.1:3000/api/rules/test', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    return res.json();
  };
  return { post, api };
}

const times = (html: string) => [...html.matchAll(/<time datetime="([^"]+)"/g)].map((m) => m[1]);

describe('POST /ui/rules/test', () => {
  it('shows when and for which keys an existing rule would have fired, the same as the API', async () => {
    const { post, api } = await setup();
    const res = await post({ rule: RULE.name, from: '-24h' });
    expect(res.status).toBe(200);
    const json = await api({ rule: RULE, from: '-24h' });
    const firing = json.events.filter((e: { state: string }) => e.state === 'firing');
    expect(firing.length).toBeGreaterThan(0);
    expect(res.html).toContain(`would have fired ${firing.length}×`);
    expect(times(res.html)).toEqual(firing.map((e: { time: string }) => e.time));
    expect(res.html).toContain('10.0.0.0');
    expect(res.html).toContain('10.0.0.1');
  });

  it('escapes keys and messages that come from log text', async () => {
    const { post } = await setup();
    const res = await post({ rule: RULE.name, from: '-24h' });
    expect(res.html).not.toContain('<img');
    expect(res.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('says so when the rule would not have fired, and refuses an unknown rule or range with a message', async () => {
    const { post } = await setup();
    expect((await post({ rule: 'Never', from: '-24h' })).html).toContain('Never: would not have fired over 60 entries');
    const unknown = await post({ rule: '<b>gone</b>', from: '-24h' });
    expect(unknown.status).toBe(422);
    expect(unknown.html).toContain('no rule named &quot;&lt;b&gt;gone&lt;/b&gt;&quot;');
    const range = await post({ rule: RULE.name, from: '-99y' });
    expect(range.status).toBe(422);
    expect(range.html).toMatch(/class="feedback error"/);
  });

  it('needs the admin role, like POST /api/rules/test, and is refused cross-site', async () => {
    const { post } = await setup({ tokens: [{ name: 'grafana', token: READER, roles: ['read'] }, { name: 'oncall', token: ADMIN, roles: ['admin'] }] });
    expect((await post({ rule: RULE.name, from: '-24h' })).status).toBe(401);
    expect((await post({ rule: RULE.name, from: '-24h' }, { Authorization: `Bearer ${READER}` })).status).toBe(403);
    expect((await post({ rule: RULE.name, from: '-24h' }, { Authorization: `Bearer ${ADMIN}` })).status).toBe(200);
    expect((await post({ rule: RULE.name, from: '-24h' }, { Authorization: `Bearer ${ADMIN}`, 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
  });

  it('the dashboard offers the form for the configured rules', async () => {
    await setup();
    const html = await (await web!.app.request('/')).text();
    expect(html).toContain('hx-post="/ui/rules/test"');
    expect(html).toMatch(/<option value="Errors per IP">Errors per IP<\/option>/);
  });
});
