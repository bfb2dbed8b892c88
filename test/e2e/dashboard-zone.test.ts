// The dashboard in a real headless Chromium set to a zone with an offset: times in the browser's zone
// with a remembered UTC toggle that the header names, and a new source reaching the source filter
// without a reload (issue 11).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, type Browser } from './browser.ts';
import { pythonLine, startDashboardServer, type DashboardServer } from './launcher.ts';

// 10:15:02.123 UTC is 05:15:02.123 in New York (EST, UTC-5, on 30 November).
const AT = new Date(Date.UTC(2026, 10, 30, 10, 15, 2, 123));

let server: DashboardServer;
let browser: Browser;

beforeAll(async () => {
  server = await startDashboardServer({ files: { 'app.log': `${pythonLine('WARNING', 'zone probe', AT)}\n` } });
  browser = await launchBrowser({ timezoneId: 'America/New_York' });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const probeTime = (page: import('playwright-core').Page) =>
  page.$$eval('#rows > details.row', (rows) => rows.find((r) => r.querySelector('.msg')?.textContent === 'zone probe')?.querySelector('time')?.textContent ?? null);

describe('dashboard times', () => {
  test("are shown in the browser's zone, and in UTC after the toggle, which a reload remembers", async () => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(server.url);
    await page.waitForSelector('#live-status[data-state="live"]', { timeout: 10_000 });
    expect(await probeTime(page)).toBe('05:15:02.123');
    expect(await page.textContent('#tz-toggle')).toBe('Times in America/New_York');

    await page.click('#tz-toggle');
    expect(await probeTime(page)).toBe('10:15:02.123');
    expect(await page.textContent('#tz-toggle')).toBe('All times UTC');

    await page.reload();
    await page.waitForSelector('#live-status[data-state="live"]', { timeout: 10_000 });
    expect(await probeTime(page)).toBe('10:15:02.123');
    expect(await page.textContent('#tz-toggle')).toBe('All times UTC');

    // Back to local time; a live row arrives in it too.
    await page.click('#tz-toggle');
    server.append('app.log', [pythonLine('ERROR', 'live zone probe', AT)]);
    await page.waitForFunction(() => [...document.querySelectorAll('#rows > details.row')].some((r) => r.querySelector('.msg')?.textContent === 'live zone probe'));
    const live = await page.$$eval('#rows > details.row', (rows) => rows.find((r) => r.querySelector('.msg')?.textContent === 'live zone probe')?.querySelector('time')?.textContent);
    expect(live).toBe('05:15:02.123');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a new source reaches the source filter without a reload', async () => {
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await page.waitForSelector('#live-status[data-state="live"]', { timeout: 10_000 });
    const options = () => page.$$eval('#filter-source option', (os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(await options()).not.toContain('late-source');
    const res = await fetch(`${server.url}/api/ingest?source=late-source`, { method: 'POST', body: 'job-42 ERROR payment gateway timeout\n', headers: { 'Content-Type': 'text/plain' } });
    expect(res.status).toBe(202);
    await page.waitForFunction(() => [...document.querySelectorAll('#filter-source option')].some((o) => (o as HTMLOptionElement).value === 'late-source'), undefined, { timeout: 10_000 });
    const values = await options();
    expect(values[0]).toBe('');
    expect(values.slice(1)).toEqual([...values.slice(1)].sort((a, b) => a.localeCompare(b)));
    // Choosing it filters the tail to it.
    await page.selectOption('#filter-source', 'late-source');
    await page.waitForURL(/source=late-source/);
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('#rows > details.row')];
      return rows.length > 0 && rows.every((r) => r.querySelector('.src')?.getAttribute('title') === 'late-source');
    });
    await page.close();
  });
});
