// Screenshots of the dashboard (light and dark, desktop and phone) against a server with an hour of demo history.
import { copyFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, type Browser } from './browser.ts';
import { DemoTraffic } from './demo-traffic.ts';
import { pythonLine, REPO_ROOT, startDashboardServer } from './launcher.ts';
import { openPage } from './page.ts';

const SCREENSHOTS = join(REPO_ROOT, 'screenshots');

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('screenshots', () => {
  /** An hour of plausible history in three files, so the charts have something to show. */
  function demoHistory(): Record<string, string> {
    const traffic = new DemoTraffic(7);
    const files: Record<string, string[]> = {};
    const now = Date.now();
    for (let i = 0; i < 2400; i++) {
      // Busier lately, with a burst twenty minutes ago.
      const ago = 60 * 60_000 * (1 - (i / 2400) ** 0.8);
      const burst = i % 9 === 0 ? 20 * 60_000 + (i % 120) * 500 : ago;
      const { source, line } = traffic.next(now - burst);
      (files[basename(source)] ??= []).push(line);
    }
    return Object.fromEntries(Object.entries(files).map(([name, lines]) => [name, `${lines.join('\n')}\n`]));
  }

  test('light and dark, desktop and phone, saved under screenshots/', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const demo = await startDashboardServer({ files: demoHistory() });
    const traffic = new DemoTraffic(99);
    const writer = setInterval(() => {
      for (let i = 0; i < 3; i++) {
        const { source, line } = traffic.next(Date.now());
        demo.append(basename(source), [line]);
      }
    }, 100);
    try {
      demo.append('app.log', [
        pythonLine('ERROR', 'connection refused to db:5432'),
        pythonLine('ERROR', 'timeout after 30s calling inventory-service'),
        pythonLine('ERROR', 'payment provider returned 502'),
      ]);
      const shots: Array<{ name: string; scheme: 'light' | 'dark'; width: number; height: number }> = [
        { name: 'dashboard-light.png', scheme: 'light', width: 1440, height: 1000 },
        { name: 'dashboard-dark.png', scheme: 'dark', width: 1440, height: 1000 },
        { name: 'dashboard-phone-light.png', scheme: 'light', width: 390, height: 844 },
        { name: 'dashboard-phone-dark.png', scheme: 'dark', width: 390, height: 844 },
      ];
      for (const shot of shots) {
        const { page, errors } = await openPage(browser, demo.url, '/', { colorScheme: shot.scheme, width: shot.width, height: shot.height });
        await page.locator('#alerts li.alert').first().waitFor();
        // Charts and panels filled: the minute chart has bars and the top errors list the errors appended above.
        await page.locator('#chart-minutes svg rect:not(.hit)').first().waitFor();
        await page.locator('#top-errors', { hasText: 'connection refused' }).waitFor();
        await page.screenshot({ path: join(SCREENSHOTS, shot.name), fullPage: shot.width > 800 });
        if (shot.width > 800) await page.screenshot({ path: join(SCREENSHOTS, shot.name.replace('.png', '-top.png')) });
        expect(errors).toEqual([]);
        await page.close();
      }
    } finally {
      clearInterval(writer);
      await demo.stop();
    }
    // LOGWATCH_DOCS_SCREENSHOT=1 refreshes the README's picture (a tracked file, so not on every run).
    if (process.env.LOGWATCH_DOCS_SCREENSHOT === '1') {
      mkdirSync(join(REPO_ROOT, 'docs'), { recursive: true });
      copyFileSync(join(SCREENSHOTS, 'dashboard-light-top.png'), join(REPO_ROOT, 'docs', 'dashboard.png'));
    }
  }, 90_000);
});
