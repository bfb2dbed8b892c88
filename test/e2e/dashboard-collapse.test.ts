// Collapse repeats in a real headless Chromium: the filter-bar toggle, the URL, and live rows of the
// same pattern folding into the newest row with a growing ×N (dashboard.js, which leaves an opened row
// alone), history folded by the server.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, type Browser } from './browser.ts';
import { pythonLine, startDashboardServer, type DashboardServer } from './launcher.ts';
import { openPage } from './page.ts';

let server: DashboardServer;
let browser: Browser;

beforeAll(async () => {
  const history = ['job 1 finished', 'job 2 finished', 'job 3 finished', 'cache warmed'].map((m) => pythonLine('INFO', m));
  server = await startDashboardServer({ files: { 'app.log': `${history.join('\n')}\n` } });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Rows on screen, top to bottom: message and the ×N badge ('' without one). */
const shown = (page: import('playwright-core').Page) =>
  page.$$eval('#rows > details.row', (rows) => rows.map((r) => `${r.querySelector('.msg')?.textContent ?? ''} ${r.querySelector('.repeat')?.textContent ?? ''}`.trim()));

describe('collapse repeats', () => {
  test('the toggle folds history, lives in the URL, and live rows of one pattern fold into ×N', async () => {
    const { page, errors } = await openPage(browser, server.url);
    expect((await shown(page)).slice(0, 4)).toEqual(['cache warmed', 'job 3 finished', 'job 2 finished', 'job 1 finished']);

    await page.check('#filter-collapse');
    await page.waitForURL(/collapse=1/);
    await page.waitForFunction(() => document.querySelector('#tail')?.getAttribute('data-collapse') === '1');
    expect((await shown(page)).slice(0, 2)).toEqual(['cache warmed', 'job 3 finished ×3']);
    await page.waitForSelector('#live-status[data-state="live"]', { timeout: 10_000 });

    server.append('app.log', [pythonLine('INFO', 'job 4 finished'), pythonLine('INFO', 'job 5 finished')]);
    await page.waitForFunction(() => document.querySelector('#rows > details.row .repeat')?.textContent === '×2', undefined, { timeout: 5000 });
    expect((await shown(page)).slice(0, 3)).toEqual(['job 5 finished ×2', 'cache warmed', 'job 3 finished ×3']);

    server.append('app.log', [pythonLine('INFO', 'job 6 finished')]);
    await page.waitForFunction(() => document.querySelector('#rows > details.row .repeat')?.textContent === '×3', undefined, { timeout: 5000 });
    expect((await shown(page)).slice(0, 3)).toEqual(['job 6 finished ×3', 'cache warmed', 'job 3 finished ×3']);

    // A reload keeps the view (the URL carries the toggle).
    await page.reload();
    await page.waitForSelector('#live-status[data-state="live"]', { timeout: 10_000 });
    expect(await page.isChecked('#filter-collapse')).toBe(true);
    expect((await shown(page)).slice(0, 3)).toEqual(['job 6 finished ×3', 'cache warmed', 'job 3 finished ×3']);

    // A row the user opened is not folded away: the next line of its pattern starts a new row.
    await page.click('#rows > details.row:first-child > summary');
    server.append('app.log', [pythonLine('INFO', 'job 7 finished')]);
    await page.waitForFunction(() => document.querySelector('#rows > details.row .msg')?.textContent === 'job 7 finished', undefined, { timeout: 5000 });
    expect((await shown(page)).slice(0, 2)).toEqual(['job 7 finished', 'job 6 finished ×3']);
    expect(errors).toEqual([]);
    await page.close();
  });
});
