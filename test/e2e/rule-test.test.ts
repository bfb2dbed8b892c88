// "Test on history" in a real headless Chromium: the form posts with htmx (same origin, so the gate lets
// it through), the answer lists when and for which keys the rule would have fired, log text as text.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, type Browser } from './browser.ts';
import { pythonLine, startDashboardServer, type DashboardServer } from './launcher.ts';
import { openPage } from './page.ts';

let server: DashboardServer;
let browser: Browser;

beforeAll(async () => {
  server = await startDashboardServer({
    files: { 'app.log': '' },
    config: { rules: [{ name: 'Errors by message', level: 'ERROR', groupBy: 'message', threshold: 2, window: 600 }] },
  });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('Test on history', () => {
  test('replays a configured rule over history and shows when and for which keys it would have fired', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    server.append('app.log', [pythonLine('ERROR', hostile), pythonLine('ERROR', hostile), pythonLine('INFO', 'fine')]);
    const { page, errors } = await openPage(browser, server.url);
    await page.waitForFunction(() => document.querySelectorAll('#rows > details.row').length >= 3, undefined, { timeout: 10_000 });
    // History is written within 200 ms of parsing; test until the answer includes the firing.
    let outcome = '';
    for (let attempt = 0; attempt < 20 && !outcome.includes('would have fired 1×'); attempt++) {
      await page.selectOption('#rule-test-range', '-1h');
      await page.click('#rule-test-form button[type="submit"]');
      await page.waitForSelector('#rule-test-result .rule-test-outcome', { timeout: 5000 });
      outcome = (await page.textContent('#rule-test-result')) ?? '';
      if (!outcome.includes('would have fired 1×')) await page.waitForTimeout(250);
    }
    expect(outcome).toContain('Errors by message: would have fired 1×');
    expect(await page.$$eval('#rule-test-result .rule-test-events .alert-key', (keys) => keys.map((k) => k.textContent))).toEqual([hostile]);
    expect(await page.$('#rule-test-result img')).toBeNull();
    expect(errors).toEqual([]);
    await page.close();
  });
});
