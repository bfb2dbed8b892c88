// Cross-site requests in a real Chromium: a page from another origin (another port on 127.0.0.1, so the
// same *site*: SameSite cookies are sent) posts a form and calls fetch against LogWatch's state-changing
// routes. Every attempt must be refused and change nothing, with no auth (the loopback default) and with a
// logged-in dashboard session. A same-origin control shows the same request does work from LogWatch's page.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, type Browser } from './browser.ts';
import { startDashboardServer, type DashboardServer } from './launcher.ts';

const TOKEN = 'cross-site-test-token';

function attackerPage(target: string): string {
  const silence = JSON.stringify({ rule: '*', duration: 3600, comment: 'evil-fetch' });
  return `<!doctype html><html><body>
<iframe name="sink1"></iframe><iframe name="sink2"></iframe>
<form id="f1" method="post" action="${target}/api/silences" target="sink1">
  <input name="rule" value="*"><input name="duration" value="3600"><input name="comment" value="evil-form">
</form>
<form id="f2" method="post" action="${target}/api/ingest?source=evil" enctype="text/plain" target="sink2">
  <input name="line" value="cross-site-injected-form">
</form>
<script>
  document.getElementById('f1').submit();
  document.getElementById('f2').submit();
  const opts = (body, type) => ({ method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': type }, body });
  window.done = Promise.all([
    fetch('${target}/api/silences', opts(${JSON.stringify(silence)}, 'text/plain')).then((r) => r.type, (e) => 'error'),
    fetch('${target}/api/ingest?source=evil', opts('cross-site-injected-fetch', 'text/plain')).then((r) => r.type, (e) => 'error'),
    fetch('${target}/ui/silences', opts('rule=*&duration=3600&comment=evil-ui', 'application/x-www-form-urlencoded')).then((r) => r.type, (e) => 'error'),
    fetch('${target}/api/silences', { method: 'POST', credentials: 'include', headers: { 'Content-Type': 'application/json' }, body: ${JSON.stringify(silence)} })
      .then((r) => r.status, (e) => 'blocked by CORS'),
  ]);
</script></body></html>`;
}

async function serveAttacker(target: string): Promise<{ url: string; server: Server }> {
  const html = attackerPage(target);
  const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(html));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

describe.each([
  { name: 'no auth (loopback default)', config: {}, headers: {} as Record<string, string> },
  { name: 'a logged-in dashboard session (--token)', config: { token: TOKEN }, headers: { Authorization: `Bearer ${TOKEN}` } },
])('cross-site requests with $name', ({ config, headers }) => {
  let lw: DashboardServer;
  beforeAll(async () => {
    lw = await startDashboardServer({ config });
  }, 60_000);
  afterAll(async () => {
    await lw?.stop();
  });

  const api = async (path: string) => (await fetch(`${lw.url}${path}`, { headers })).json();

  test('form posts and fetches from another origin are refused (403) and create nothing', async () => {
    const page = await browser.context.newPage();
    try {
      if ('token' in config) {
        await page.goto(`${lw.url}/`);
        expect(new URL(page.url()).pathname).toBe('/login');
        await page.fill('input[name="token"]', TOKEN);
        await page.click('button[type="submit"]');
        await page.waitForURL(`${lw.url}/`, { waitUntil: 'domcontentloaded' });
        const cookies = await browser.context.cookies(lw.url);
        expect(cookies.find((c) => c.name === 'logwatch_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
      }
      const attacker = await serveAttacker(lw.url);
      const posts: Array<{ url: string; status: number }> = [];
      page.on('response', (res) => {
        if (res.request().method() === 'POST' && res.url().startsWith(lw.url)) posts.push({ url: res.url(), status: res.status() });
      });
      try {
        await page.goto(attacker.url);
        const results = await page.evaluate(() => (window as unknown as { done: Promise<unknown[]> }).done);
        // no-cors fetches see an opaque answer or, since LogWatch sends Cross-Origin-Resource-Policy: same-origin,
        // a network error; the JSON one is preflighted and never sent. What counts is that nothing changed (below).
        for (const r of results.slice(0, 3)) expect(['opaque', 'error']).toContain(r);
        expect(results[3]).toBe('blocked by CORS');
        await expect.poll(() => posts.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
      } finally {
        attacker.server.close();
      }
      // The two form posts (navigations, so their answers are visible) were refused.
      expect(posts.map((p) => p.status)).toEqual(posts.map(() => 403));
      expect(await api('/api/silences')).toEqual([]);
      expect(await api('/api/logs?source=evil')).toEqual([]);
      expect(await api('/api/logs?q=cross-site-injected')).toEqual([]);

      // Control: the same request from LogWatch's own page goes through, so the refusal above is the origin's.
      await page.goto(`${lw.url}/`);
      const status = await page.evaluate(async () => {
        const res = await fetch('/api/silences', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ rule: '*', duration: 60, comment: 'same-origin' }) });
        return res.status;
      });
      expect(status).toBe(201);
      expect(await api('/api/silences')).toHaveLength(1);
    } finally {
      await page.close();
    }
  });
});
