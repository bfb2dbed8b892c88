// The dashboard in a real headless Chromium against the real server (a child process tailing a temp
// folder): live lines, filters, pause, alerts, hostile input and load. Screenshots: screenshots.test.ts.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { waitFor } from '../helpers/wait.ts';
import { launchBrowser, type Browser } from './browser.ts';
import { pythonLine, startDashboardServer, type DashboardServer } from './launcher.ts';
import { marker, openPage, rowMessages, waitForRow, type DashboardPageOptions, type Watched } from './page.ts';

const RULES = [
  { name: 'High Error Rate', level: 'ERROR', threshold: 3, window: 60, cooldown: 300 },
  { name: 'Connection Failed', pattern: 'connection failed|connection refused', threshold: 1, window: 60, cooldown: 300 },
  { name: 'E2E marker', pattern: 'e2e-alert-marker', threshold: 1, window: 60, cooldown: 0 },
  { name: 'E2E silence', pattern: 'e2e-silence-marker', threshold: 1, window: 60, cooldown: 0 },
];

let server: DashboardServer;
let browser: Browser;

beforeAll(async () => {
  server = await startDashboardServer({
    config: { rules: RULES },
    files: { 'app.log': `${[pythonLine('INFO', 'history: service started'), pythonLine('WARNING', 'history: cache cold')].join('\n')}\n` },
  });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A dashboard page on the shared server. */
function openDashboard(path = '/', options: DashboardPageOptions = {}): Promise<Watched> {
  return openPage(browser, server.url, path, options);
}

async function serverStats(): Promise<{ sources: Record<string, number>; total_logs: number }> {
  return (await (await fetch(`${server.url}/api/stats`)).json()) as { sources: Record<string, number>; total_logs: number };
}

describe('the live dashboard', () => {
  test('loads with no console errors, shows history and connects live', async () => {
    const { page, errors, dialogs } = await openDashboard();
    expect(await page.title()).toMatch(/LogWatch/);
    const messages = await rowMessages(page);
    expect(messages).toContain('history: service started');
    expect(await page.locator('#cards .stat').count()).toBe(6);
    expect(await page.locator('#chart-minutes svg[role="img"]').count()).toBe(1);
    // A live message arrives (and is swapped in) before the console is judged.
    const text = marker('live');
    server.append('app.log', [pythonLine('INFO', text)]);
    await waitForRow(page, text);
    expect(errors).toEqual([]);
    expect(dialogs).toEqual([]);
    await page.close();
  });

  test('a line appended to a watched file appears within 2 s, newest on top', async () => {
    const { page, errors } = await openDashboard();
    const text = marker('appended');
    const start = Date.now();
    server.append('app.log', [pythonLine('INFO', text)]);
    await waitForRow(page, text, 2000);
    const elapsed = Date.now() - start;
    expect(elapsed).toBeLessThan(2000);
    expect((await rowMessages(page))[0]).toBe(text);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('the level filter applies to history and to live lines, and lives in the URL', async () => {
    const before = marker('before');
    server.append('app.log', [pythonLine('INFO', `${before} info`), pythonLine('ERROR', `${before} error`)]);
    const { page, errors } = await openDashboard();
    await waitForRow(page, `${before} error`);
    await page.selectOption('#filter-level', 'ERROR');
    await page.waitForURL(/level=ERROR/);
    await page.waitForFunction(() => [...document.querySelectorAll('#rows > details.row .lvl')].every((e) => ['ERROR', 'CRITICAL'].includes(e.textContent ?? '')));
    const history = await rowMessages(page);
    expect(history).toContain(`${before} error`);
    expect(history).not.toContain(`${before} info`);

    const live = marker('live');
    server.append('app.log', [pythonLine('INFO', `${live} info`), pythonLine('ERROR', `${live} error`)]);
    await waitForRow(page, `${live} error`);
    expect(await rowMessages(page)).not.toContain(`${live} info`);

    // The URL is the view: reloading it keeps the filter.
    await page.reload();
    await page.waitForSelector('#live-status[data-state="live"]');
    expect(await page.inputValue('#filter-level')).toBe('ERROR');
    expect(await rowMessages(page)).not.toContain(`${live} info`);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('the text filter applies to history and to live lines; `/` focuses it', async () => {
    const word = marker('needle');
    server.append('app.log', [pythonLine('INFO', `payment ${word} history`), pythonLine('INFO', 'unrelated history')]);
    const { page, errors } = await openDashboard();
    await waitForRow(page, `payment ${word} history`);
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('filter-q');
    await page.keyboard.type(word);
    await page.waitForURL(new RegExp(`q=${word}`));
    await page.waitForFunction((w) => {
      const rows = [...document.querySelectorAll('#rows > details.row .msg')];
      return rows.length > 0 && rows.every((e) => (e.textContent ?? '').includes(w));
    }, word);
    expect(await rowMessages(page)).toEqual([`payment ${word} history`]);

    server.append('app.log', [pythonLine('INFO', `live without it`), pythonLine('ERROR', `live ${word} arrives`)]);
    await waitForRow(page, `live ${word} arrives`);
    expect(await rowMessages(page)).toEqual([`live ${word} arrives`, `payment ${word} history`]);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('pause holds new lines and counts them; resume shows them in order', async () => {
    const { page, errors } = await openDashboard();
    await page.click('#pause');
    expect(await page.getAttribute('#pause', 'aria-pressed')).toBe('true');
    const held = marker('held');
    server.append('app.log', Array.from({ length: 5 }, (_, i) => pythonLine('INFO', `${held} ${i}`)));
    await page.waitForFunction(() => /5 new lines waiting/.test(document.querySelector('#held-count')?.textContent ?? ''), undefined, { timeout: 5000 });
    expect((await rowMessages(page)).filter((m) => m.startsWith(held))).toEqual([]);
    expect(await page.textContent('#pause')).toBe('Resume (5 new)');

    await page.click('#pause');
    const shown = (await rowMessages(page)).filter((m) => m.startsWith(held));
    expect(shown).toEqual([4, 3, 2, 1, 0].map((i) => `${held} ${i}`));
    expect(await page.textContent('#held-count')).toBe('');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('newest first toggles to oldest first and back, and the URL follows', async () => {
    const { page } = await openDashboard();
    const a = marker('order');
    server.append('app.log', [pythonLine('INFO', `${a} first`), pythonLine('INFO', `${a} second`)]);
    await waitForRow(page, `${a} second`);
    await page.click('#order-toggle');
    expect(page.url()).toContain('order=oldest');
    const oldest = (await rowMessages(page)).filter((m) => m.startsWith(a));
    expect(oldest).toEqual([`${a} first`, `${a} second`]);
    const rows = await rowMessages(page);
    expect(rows.at(-1)).toBe(`${a} second`);
    await page.click('#order-toggle');
    expect(page.url()).not.toContain('order=');
    expect((await rowMessages(page))[0]).toBe(`${a} second`);
    await page.close();
  });

  test('a row expands to all of its fields, its metadata and the raw line', async () => {
    const { page } = await openDashboard();
    const m = marker('expand');
    server.append('app.log', [pythonLine('ERROR', `${m} details please`)]);
    await waitForRow(page, m);
    const row = page.locator('#rows > details.row', { hasText: m });
    await row.locator('summary').click();
    expect(await row.getAttribute('open')).not.toBeNull();
    const fields = await row.locator('.fields dt').allTextContents();
    expect(fields).toEqual(expect.arrayContaining(['Timestamp', 'Received', 'Source', 'Format', 'Id', 'logger']));
    expect(await row.locator('pre.raw').textContent()).toContain(` - app - ERROR - ${m} details please`);
    await page.close();
  });

  test('an alert appears in the alerts panel with its sample line, and the rule shows firing', async () => {
    const { page, errors } = await openDashboard();
    const m = marker('e2e-alert-marker');
    server.append('app.log', [pythonLine('WARNING', `${m} tripped`)]);
    const alert = page.locator('#alerts li.alert', { hasText: 'E2E marker' }).first();
    await alert.waitFor({ timeout: 5000 });
    expect(await alert.locator('.samples').textContent()).toContain(`${m} tripped`);
    expect(await alert.locator('.badge').first().textContent()).toBe('Firing');
    expect(await page.locator('#rules li.rule', { hasText: 'E2E marker' }).locator('.badge').textContent()).toMatch(/Firing/);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('silencing from the UI: prefilled from the alert, then listed', async () => {
    const { page, errors } = await openDashboard();
    const m = marker('e2e-silence-marker');
    server.append('app.log', [pythonLine('WARNING', `${m} to silence`)]);
    const alert = page.locator('#alerts li.alert', { hasText: m }).first();
    await alert.waitFor({ timeout: 5000 });
    await alert.locator('button[data-silence-rule]').click();
    expect(await page.inputValue('#silence-rule')).toBe('E2E silence');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('silence-comment');
    await page.keyboard.type(`quiet please ${m}`);
    await page.click('#silence-form button[type="submit"]');
    await page.locator('#silence-feedback .feedback.ok').waitFor();
    await page.locator('#silence-list li', { hasText: `quiet please ${m}` }).waitFor();
    expect(await page.inputValue('#silence-comment')).toBe(''); // reset for the next one

    await page.locator('#silence-list li', { hasText: `quiet please ${m}` }).locator('button').click();
    await page.locator('#silence-list li', { hasText: `quiet please ${m}` }).waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('hostile log text', () => {
  const payloads = [
    '<img src=x onerror="window.__pwned=1;alert(1)">',
    '<script>window.__pwned=1;alert(2)</script>',
    'javascript:window.__pwned=1',
    '<a href="javascript:alert(3)">click me</a>',
    '"><svg onload="window.__pwned=1;alert(4)">',
    "'><iframe srcdoc=\"<script>parent.__pwned=1</script>\">",
  ];

  test('never executes and renders as text: message, source name, metadata keys and values', async () => {
    const { page, errors, dialogs } = await openDashboard();
    const m = marker('hostile');
    server.append('app.log', payloads.map((p) => pythonLine('ERROR', `${m} ${p}`)));
    server.append('worker.log', payloads.map((p, i) => JSON.stringify({ level: 'error', message: `${m} json ${i}`, [p]: p, nested: { [p]: [p] } })));
    server.append(`"><img src=x onerror=alert(5)>.log`, [pythonLine('ERROR', `${m} from a hostile file name`)]);
    const ingest = await fetch(`${server.url}/api/ingest?source=${encodeURIComponent('<script>alert(6)</script>')}`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: payloads.map((p) => `${m} ingested ${p}`).join('\n'),
    });
    expect(ingest.status).toBe(202);

    await waitForRow(page, `${m} ingested`);
    await waitForRow(page, `${m} json ${payloads.length - 1}`);
    await waitForRow(page, `${m} from a hostile file name`);
    // Open every hostile row so its details are rendered too.
    for (const summary of await page.locator('#rows > details.row', { hasText: m }).locator('summary').all()) await summary.click();
    // The panels refresh with the hostile names (the sources panel is checked below).
    await page.waitForFunction(
      (name) => (document.querySelector('#sources')?.textContent ?? '').includes(name),
      '"><img src=x onerror=alert(5)>.log',
      { timeout: 5000 },
    );

    const verdict = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned: number }).__pwned,
      injected: document.querySelectorAll('main img, main iframe, main script, #rows svg, #rows a, main [onerror], main [onload]').length,
    }));
    expect(verdict).toEqual({ pwned: 0, injected: 0 });
    expect(dialogs).toEqual([]);
    const text = (await page.locator('#rows').textContent()) ?? '';
    for (const p of payloads) expect(text).toContain(`${m} ${p}`);
    for (const p of payloads) expect(text).toContain(p); // metadata keys and values, as text
    expect((await page.locator('#sources').textContent()) ?? '').toContain('"><img src=x onerror=alert(5)>.log');

    // The server-rendered page holds the same text: reload and check again.
    await page.reload();
    await page.waitForSelector('#live-status[data-state="live"]');
    for (const summary of await page.locator('#rows > details.row', { hasText: m }).locator('summary').all()) await summary.click();
    expect(await page.evaluate(() => (window as unknown as { __pwned: number }).__pwned)).toBe(0);
    expect(await page.evaluate(() => document.querySelectorAll('main img, main iframe, main script, #rows svg, #rows a').length)).toBe(0);
    expect(await page.locator('#filter-source option', { hasText: '<script>alert(6)</script>' }).count()).toBe(1);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('under load', () => {
  test('2 000 lines/s for 10 s: the page stays responsive and keeps at most 500 rows', async () => {
    const { page, errors } = await openDashboard();
    await page.evaluate(() => {
      const w = window as unknown as { __maxGap: number; __last: number };
      w.__maxGap = 0;
      w.__last = performance.now();
      const frame = (t: number) => {
        w.__maxGap = Math.max(w.__maxGap, t - w.__last);
        w.__last = t;
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
    const run = marker('load');
    // A fixed amount of load: 100 writes of 200 lines, one every 100 ms (a loaded machine may stretch the
    // ten seconds, never shrink the load).
    const TOTAL = 20_000;
    let written = 0;
    const writer = setInterval(() => {
      if (written >= TOTAL) return;
      server.append('load.log', Array.from({ length: 200 }, () => pythonLine('INFO', `${run} line ${written++}`)));
    }, 100);
    const latencies: number[] = [];
    const rowCounts: number[] = [];
    try {
      while (written < TOTAL) {
        const t = Date.now();
        rowCounts.push(await page.evaluate(() => document.querySelectorAll('#rows > *').length));
        latencies.push(Date.now() - t);
        await new Promise((r) => setTimeout(r, 250));
      }
    } finally {
      clearInterval(writer);
    }
    const last = `${run} line ${written - 1}`;
    await waitForRow(page, last, 10_000);
    // What the server counted, not what this test wrote: every line arrived, and the load was real.
    const loadSource = 'logs/load.log';
    await waitFor(async () => (await serverStats()).sources[loadSource] === written, { timeoutMs: 10_000, message: `the server to count all ${written} lines of ${loadSource}` });
    const counted = (await serverStats()).sources[loadSource];
    const maxGap = await page.evaluate(() => (window as unknown as { __maxGap: number }).__maxGap);
    const held = await page.evaluate(() => document.querySelectorAll('#rows > *').length);
    console.log(`load: ${counted} lines in 10 s; page round trip max ${Math.max(...latencies)} ms, median ${[...latencies].sort((a, b) => a - b)[latencies.length >> 1]} ms; longest frame gap ${Math.round(maxGap)} ms; rows ${Math.max(...rowCounts)} max`);
    expect(counted).toBe(TOTAL);
    expect(Math.max(...rowCounts, held)).toBeLessThanOrEqual(500);
    // Generous bounds for a shared 2-core CI machine that also runs the server and the writer:
    // typical round trips are tens of milliseconds; a frozen page would take seconds.
    const sorted = [...latencies].sort((a, b) => a - b);
    expect(sorted[sorted.length >> 1]).toBeLessThan(250);
    expect(sorted.at(-1)).toBeLessThan(2000);
    expect(maxGap).toBeLessThan(2000);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
