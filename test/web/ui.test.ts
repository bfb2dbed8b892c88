// The dashboard's routes against a real pipeline: page, fragments, filters, escaping, assets, silences.
import { afterEach, describe, expect, test } from 'vitest';
import { createApp } from '../../src/app.ts';
import { createUi, type Ui } from '../../src/web/ui.ts';
import { memoryContext, storeEntries, T0, type MemoryContext } from '../e2e/memory-context.ts';

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '"><svg onload=alert(1)>',
  "javascript:alert('x')",
];

let open: Ui[] = [];
afterEach(() => {
  for (const ui of open) ui.close();
  open = [];
});

function setup(config = {}): { ctx: MemoryContext; ui: Ui } {
  const ctx = memoryContext(config);
  // A tick far in the future: tests drive ui.live.tick() themselves.
  const ui = createUi(ctx, { tickMs: 3_600_000 });
  open.push(ui);
  return { ctx, ui };
}

/** The whole app (silence routes and the same-origin check live at the app's edge, not in the dashboard's routes). */
function setupApp(config = {}) {
  const ctx = memoryContext(config);
  const web = createApp(ctx);
  const ui = createUi(ctx, { tickMs: 3_600_000 });
  open.push(ui, { ...ui, close: web.close });
  return { ctx, ui, app: web.app };
}

async function page(ui: Ui, path = '/'): Promise<{ status: number; html: string; headers: Headers }> {
  const res = await ui.routes.request(path);
  return { status: res.status, html: await res.text(), headers: res.headers };
}

/** Ids of the rows in rendered HTML, in document order. */
function rowIds(html: string): number[] {
  return [...html.matchAll(/<details class="row [^"]*" data-id="(\d+)"/g)].map((m) => Number(m[1]));
}

// Tags the views emit. Anything else in a page means log text became markup.
const KNOWN_TAGS = new Set([
  'html', 'head', 'meta', 'title', 'link', 'body', 'script', 'a', 'header', 'main', 'section', 'aside', 'div', 'span', 'p',
  'h2', 'h4', 'dl', 'dt', 'dd', 'ol', 'ul', 'li', 'form', 'label', 'select', 'option', 'input', 'button', 'details', 'summary',
  'time', 'pre', 'code', 'figure', 'figcaption', 'svg', 'g', 'rect', 'line', 'path', 'circle', 'table', 'caption', 'thead',
  'tbody', 'tr', 'th', 'td', 'kbd', 'hx-partial', 'polyline',
]);

/**
 * Tokenizes the HTML the way a browser would read its tags (hono/jsx always double-quotes attribute
 * values and escapes quotes inside them) and lists anything that could run: unknown tags, event
 * handler attributes, javascript: URLs.
 */
function markupProblems(html: string): string[] {
  const problems: string[] = [];
  const tag = /<([a-zA-Z][\w:-]*)((?:\s+[^\s=>"'/]+(?:="[^"]*")?)*)\s*\/?>/g;
  for (const m of html.matchAll(tag)) {
    const name = m[1].toLowerCase();
    if (!KNOWN_TAGS.has(name)) problems.push(`unexpected <${name}>`);
    for (const a of m[2].matchAll(/\s([^\s=>"'/]+)(?:="([^"]*)")?/g)) {
      if (/^on/i.test(a[1])) problems.push(`handler ${a[1]} on <${name}>`);
      if (/^\s*javascript:/i.test(a[2] ?? '') && /^(href|src|action|formaction)$/i.test(a[1])) problems.push(`javascript: URL in ${a[1]}`);
    }
  }
  // Every '<' must start a tag the tokenizer recognised (or a closing tag).
  const stray = html.replace(tag, '').replace(/<\/[a-zA-Z][\w:-]*>/g, '').replace(/^<!doctype html>/, '');
  if (stray.includes('<')) problems.push(`a raw "<" outside a tag: ${stray.slice(stray.indexOf('<'), stray.indexOf('<') + 60)}`);
  return problems;
}

function expectInert(html: string): void {
  expect(markupProblems(html)).toEqual([]);
}

describe('the dashboard page', () => {
  test('renders stats, rows newest first, the filter form and the live connection', async () => {
    const { ctx, ui } = setup();
    storeEntries(ctx, [
      { message: 'first line', level: 'INFO' },
      { message: 'second line', level: 'WARNING' },
      { message: 'third line', level: 'ERROR' },
    ]);
    const { status, html } = await page(ui);
    expect(status).toBe(200);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(rowIds(html)).toEqual([3, 2, 1]);
    expect(html).toContain('id="stat-total"');
    expect(html).toMatch(/<dd class="stat-value">3<\/dd>/);
    expect(html).toContain('hx-sse:connect="/ui/stream?after=3"');
    expect(html).toContain('<form id="filters"');
    expect(html).toContain('role="log"');
    expect(html).toContain('aria-label="Filter log entries"');
  });

  test('loads htmx, its SSE extension and the page script from /assets, with no inline script or handler', async () => {
    const { ui } = setup();
    const { html, headers } = await page(ui);
    expectInert(html);
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map((m) => /src="([^"?]+)/.exec(m[1])?.[1])).toEqual(['/assets/htmx.min.js', '/assets/hx-sse.js', '/assets/dashboard.js']);
    for (const m of scripts) expect(m[2]).toBe('');
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html).not.toContain('hx-on');
    expect(headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(headers.get('x-content-type-options')).toBe('nosniff');
  });

  test('escapes hostile text in message, source, raw line and metadata keys and values', async () => {
    const { ctx, ui } = setup();
    for (const bad of HOSTILE) {
      storeEntries(ctx, [{ message: `msg ${bad}`, source: `src${bad}`, raw: `raw ${bad}`, metadata: { [`key${bad}`]: `value ${bad}`, nested: { bad } }, level: 'ERROR' }]);
    }
    // The real path as well: raw lines through the pipeline's parser.
    ctx.pipeline.write({ source: 'logs/<script>alert(1)</script>.log', lines: HOSTILE, receivedAt: ctx.clock() });
    const { html } = await page(ui);
    expectInert(html);
    expect(html).toContain('msg &lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('key&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('value &quot;&gt;&lt;svg onload=alert(1)&gt;');
    // Sources appear as <option>s of the source filter, escaped too.
    expect(html).toContain('<option value="src&lt;img src=x onerror=alert(1)&gt;">');
    // Templates in the Patterns panel are log text too.
    const panel = html.slice(html.indexOf('<div id="patterns"'), html.indexOf('id="rules-card"'));
    expect(panel).toContain('<span class="template">msg &lt;img src=x onerror=&lt;*&gt;)&gt;</span>');

    const fragment = await page(ui, '/ui/tail');
    expectInert(fragment.html);
    expect(fragment.html).toContain('msg &lt;script&gt;alert(1)&lt;/script&gt;');
  });

  test('shows alerts with their sample lines, and rules with their state', async () => {
    const { ctx, ui } = setup();
    storeEntries(ctx, [{ message: 'connection refused to db:5432 <img src=x onerror=alert(1)>', level: 'ERROR', source: 'db.log' }]);
    const { html } = await page(ui);
    expect(html).toContain('Connection Failed');
    expect(html).toMatch(/<li class="alert state-firing" id="alert-\d+"><details open="">/);
    expect(html).toContain('<ol class="samples" aria-label="Sample lines">');
    expect(html).toContain('connection refused to db:5432 &lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<li class="rule state-firing">');
    expect(html).toContain('<li class="rule state-ok">'); // High Error Rate has not fired
    expectInert(html);
  });

  test('charts entries per minute, top sources, top errors and HTTP status classes', async () => {
    const { ctx, ui } = setup();
    storeEntries(ctx, [
      { message: 'GET /a', source: 'access.log', metadata: { status: 200 } },
      { message: 'GET /b', source: 'access.log', metadata: { status: 503 } },
      { message: 'GET /c', source: 'access.log', metadata: { status: '404' } },
      { message: 'timeout after 30s to 10.0.0.1:5432', level: 'ERROR', source: 'app.log' },
      { message: 'timeout after 12s to 10.0.0.2:5432', level: 'ERROR', source: 'app.log' },
    ]);
    const { html } = await page(ui);
    expect(html).toContain('aria-label="Entries per minute by level: 5 in the last 60 minutes, peak 5 entries per minute"');
    expect(html).toContain('aria-label="HTTP responses per minute by status class: 3 in the last 60 minutes');
    expect(html).toMatch(/<span class="name" title="access.log">access.log<\/span><span class="num">3<\/span>/);
    expect(html).toMatch(/class="template"[^>]*>timeout after &lt;\*&gt; to &lt;\*&gt;<\/span><span class="num">2<\/span>/);
    // The Patterns panel: every pattern of the last hour, a link to the tail filtered to it.
    const panel = html.slice(html.indexOf('<div id="patterns"'), html.indexOf('id="rules-card"'));
    expect([...panel.matchAll(/<span class="template">([^<]*)<\/span>/g)].map((m) => m[1])).toEqual([
      'GET &lt;*&gt;', 'timeout after &lt;*&gt; to &lt;*&gt;',
    ]);
    const id = ctx.pipeline.store.all()[3]!.pattern!;
    expect(panel).toContain(`href="/?pattern=${id}"`);
    expect(panel).toContain('<polyline points=');
    const filtered = await page(ui, `/?pattern=${id}`);
    expect(rowIds(filtered.html)).toEqual([5, 4]);
    expect(filtered.html).toContain('<input type="hidden" name="pattern" value="' + id + '"/>');
    expect(filtered.html).toContain('<code>timeout after &lt;*&gt; to &lt;*&gt;</code>');
  });

  test('lists watched files and ingest sources with rate, lag and last error', async () => {
    const { ctx, ui } = setup();
    const status = { dev: 1, inode: 2, offset: 100, size: 4196, lines: 10, lastErrorAt: null, lastError: null };
    ctx.fileStatus = [{ ...status, name: 'logs/app.log', kind: 'file', path: '/var/log/app.log', lag: 4096 }];
    ctx.ingestStatus = [{ ...status, name: 'checkout<b>', kind: 'ingest', path: null, lag: 0, lastError: 'spool write failed: <ENOSPC>', lastErrorAt: '2026-11-30T10:00:00.000Z' }];
    storeEntries(ctx, [{ message: 'x', source: 'logs/app.log' }, { message: 'y', source: 'logs/app.log' }]);
    const { html } = await page(ui);
    expect(html).toContain('<span class="src-name" title="/var/log/app.log">logs/app.log</span>');
    expect(html).toContain('4.0 KiB');
    expect(html).toContain('<td class="num">12/min</td><td class="num">2</td>'); // 2 entries over the 10-second window
    expect(html).toContain('checkout&lt;b&gt;');
    expect(html).toContain('spool write failed: &lt;ENOSPC&gt;');
  });
});

describe('filters', () => {
  function seed(ctx: MemoryContext): void {
    storeEntries(ctx, [
      { message: 'debug noise', level: 'DEBUG', source: 'a.log' },
      { message: 'user logged in', level: 'INFO', source: 'a.log' },
      { message: 'disk almost full', level: 'WARNING', source: 'b.log' },
      { message: 'Timeout talking to db', level: 'ERROR', source: 'b.log' },
      { message: 'kernel panic', level: 'CRITICAL', source: 'a.log' },
    ]);
  }

  test('a minimum level keeps that level and worse', async () => {
    const { ctx, ui } = setup();
    seed(ctx);
    expect(rowIds((await page(ui, '/?level=WARNING')).html)).toEqual([5, 4, 3]);
    expect(rowIds((await page(ui, '/?level=error')).html)).toEqual([5, 4]);
  });

  test('source, text (case-insensitive) and regex filters, alone and combined', async () => {
    const { ctx, ui } = setup();
    seed(ctx);
    expect(rowIds((await page(ui, '/?source=b.log')).html)).toEqual([4, 3]);
    expect(rowIds((await page(ui, '/?q=TIMEOUT')).html)).toEqual([4]);
    expect(rowIds((await page(ui, '/?q=^(disk|kernel)&regex=1')).html)).toEqual([5, 3]);
    expect(rowIds((await page(ui, '/?q=^(disk|kernel)')).html)).toEqual([]); // not a regex without regex=1
    expect(rowIds((await page(ui, '/?source=a.log&level=INFO')).html)).toEqual([5, 2]);
  });

  test('the form shows the filter it was given, so a bookmarked URL reopens the same view', async () => {
    const { ctx, ui } = setup();
    seed(ctx);
    const { html } = await page(ui, '/?level=ERROR&source=b.log&q=db%20%22x%22&regex=1&order=oldest');
    expect(html).toContain('<option value="ERROR" selected="">Error and above</option>');
    expect(html).toContain('<option value="b.log" selected="">b.log</option>');
    expect(html).toContain('value="db &quot;x&quot;"');
    expect(html).toMatch(/<input type="checkbox" name="regex" value="1" id="filter-regex" checked=""/);
    expect(html).toContain('<input type="hidden" name="order" id="filter-order" value="oldest"/>');
    expect(html).toContain('data-order="oldest"');
    // The live stream carries the same filter.
    expect(html).toContain('hx-sse:connect="/ui/stream?level=ERROR&amp;source=b.log&amp;q=db+%22x%22&amp;regex=1&amp;after=5"');
  });

  test('oldest first lists rows in arrival order', async () => {
    const { ctx, ui } = setup();
    seed(ctx);
    expect(rowIds((await page(ui, '/?order=oldest')).html)).toEqual([1, 2, 3, 4, 5]);
  });

  test('an invalid regex shows the problem instead of rows, and the stream sends panels only', async () => {
    const { ctx, ui } = setup();
    seed(ctx);
    const { status, html } = await page(ui, '/?q=(unclosed&regex=1');
    expect(status).toBe(200);
    expect(html).toContain('role="alert"');
    expect(html).toContain('q is not a valid regular expression');
    expect(rowIds(html)).toEqual([]);
    expect(html).toContain('hx-sse:connect="/ui/stream?rows=0"');
    expect(html).toContain('value="(unclosed"'); // what the user typed stays in the box
  });

  test('the tail fragment answers a filter change with the bookmarkable URL', async () => {
    const { ctx, ui } = setup();
    seed(ctx);
    const res = await ui.routes.request('/ui/tail?level=WARNING&source=&q=&order=newest');
    expect(res.headers.get('hx-replace-url')).toBe('/?level=WARNING');
    const html = await res.text();
    expect(html.startsWith('<div id="tail"')).toBe(true);
    expect(rowIds(html)).toEqual([5, 4, 3]);
    const cleared = await ui.routes.request('/ui/tail?level=&source=&q=');
    expect(cleared.headers.get('hx-replace-url')).toBe('/');
  });

  test('the page keeps at most 500 rows, the newest', async () => {
    const { ctx, ui } = setup();
    storeEntries(ctx, Array.from({ length: 700 }, (_, i) => ({ message: `line ${i}` })));
    const ids = rowIds((await page(ui)).html);
    expect(ids).toHaveLength(500);
    expect(ids[0]).toBe(700);
    expect(ids[499]).toBe(201);
  });
});

describe('assets', () => {
  test('serves htmx and its SSE extension from node_modules, and the page files from static/', async () => {
    const { ui } = setup();
    const htmx = await ui.routes.request('/assets/htmx.min.js');
    expect(htmx.status).toBe(200);
    expect(htmx.headers.get('content-type')).toContain('javascript');
    expect(await htmx.text()).toContain('4.0');
    const sse = await ui.routes.request('/assets/hx-sse.js');
    expect(await sse.text()).toMatch(/registerExtension\(["']sse["']/);
    const css = await ui.routes.request('/assets/dashboard.css');
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(await css.text()).toContain('prefers-color-scheme: dark');
    const js = await ui.routes.request('/assets/dashboard.js');
    const source = await js.text();
    expect(source).not.toContain('innerHTML');
    expect(source).not.toContain('eval(');
  });

  test('answers a matching ETag with 304 and an unknown name with 404', async () => {
    const { ui } = setup();
    const first = await ui.routes.request('/assets/dashboard.js');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]{16}"$/);
    const again = await ui.routes.request('/assets/dashboard.js', { headers: { 'If-None-Match': etag as string } });
    expect(again.status).toBe(304);
    expect((await ui.routes.request('/assets/../package.json')).status).toBe(404);
    expect((await ui.routes.request('/assets/nope.js')).status).toBe(404);
  });

  test('the page links each asset with a content hash, so a new version is never served from cache', async () => {
    const { ui } = setup();
    const { html } = await page(ui);
    expect(html).toMatch(/href="\/assets\/dashboard\.css\?v=[\w-]{8}"/);
  });
});

describe('silences from the dashboard', () => {
  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    body: new URLSearchParams(fields).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'HX-Request': 'true' },
  });

  test('the form creates a silence through the alert engine and answers with the new list', async () => {
    const { ctx, ui, app } = setupApp();
    const res = await app.request('http://127.0.0.1/ui/silences', form({ rule: 'Connection Failed', key: 'db<1>', duration: '3600', comment: 'deploying <db>' }));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Silenced Connection Failed / db&lt;1&gt; for 1 hour');
    expect(html).toContain('<hx-partial hx-target="#silence-list" hx-swap="innerHTML">');
    expect(html).toContain('deploying &lt;db&gt;');
    const [silence] = ctx.pipeline.alerts.silences();
    expect(silence).toMatchObject({ rule: 'Connection Failed', key: 'db<1>', comment: 'deploying <db>', status: 'active' });
    expect(Date.parse(silence.endsAt) - T0).toBe(3600_000);

    const page1 = await page(ui);
    expect(page1.html).toContain(`id="silence-${silence.id}"`);

    const removed = await app.request(`http://127.0.0.1/ui/silences/${silence.id}`, { method: 'DELETE', headers: { 'HX-Request': 'true' } });
    expect(removed.status).toBe(200);
    expect(await removed.text()).toContain('No active silences.');
    expect(ctx.pipeline.alerts.silences()).toEqual([]);
  });

  test('a silence without a reason is refused with the engine\'s message, and nothing is created', async () => {
    const { ctx, ui, app } = setupApp();
    const res = await app.request('http://127.0.0.1/ui/silences', form({ rule: '*', duration: '900', comment: '  ' }));
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('a comment is required');
    expect(ctx.pipeline.alerts.silences()).toEqual([]);
  });

  test('a silence posted from another site is refused (CSRF)', async () => {
    const { ctx, ui, app } = setupApp();
    const crossOrigin = form({ rule: '*', duration: '900', comment: 'evil' });
    crossOrigin.headers = { ...crossOrigin.headers, Origin: 'https://evil.example' } as typeof crossOrigin.headers;
    expect((await app.request('http://127.0.0.1:3000/ui/silences', crossOrigin)).status).toBe(403);
    const fetchSite = form({ rule: '*', duration: '900', comment: 'evil' });
    fetchSite.headers = { ...fetchSite.headers, 'Sec-Fetch-Site': 'cross-site' } as typeof fetchSite.headers;
    expect((await app.request('http://127.0.0.1:3000/ui/silences', fetchSite)).status).toBe(403);
    expect(ctx.pipeline.alerts.silences()).toEqual([]);
    const sameOrigin = form({ rule: '*', duration: '900', comment: 'fine' });
    sameOrigin.headers = { ...sameOrigin.headers, Origin: 'http://127.0.0.1:3000' } as typeof sameOrigin.headers;
    expect((await app.request('http://127.0.0.1:3000/ui/silences', sameOrigin)).status).toBe(200);
  });
});
