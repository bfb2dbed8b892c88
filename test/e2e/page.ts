// A dashboard page in the test browser, with what it logged, and ways to read its rows.
import type { ConsoleMessage, Dialog, Page } from 'playwright-core';
import type { Browser } from './browser.ts';

/** A page on the dashboard that records console errors, page errors and dialogs. */
export interface Watched {
  page: Page;
  errors: string[];
  dialogs: string[];
}

export interface DashboardPageOptions {
  colorScheme?: 'light' | 'dark';
  width?: number;
  height?: number;
}

/** Opens `url` + `path` in a new page and waits until its live stream is connected. */
export async function openPage(browser: Browser, url: string, path = '/', options: DashboardPageOptions = {}): Promise<Watched> {
  const page = await browser.context.newPage();
  if (options.colorScheme !== undefined) await page.emulateMedia({ colorScheme: options.colorScheme });
  await page.setViewportSize({ width: options.width ?? 1440, height: options.height ?? 1000 });
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (msg: ConsoleMessage) => {
    if (msg.type() === 'error' || msg.type() === 'warning') errors.push(`${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('dialog', (dialog: Dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  // A trap: any payload that runs sets it. Installed through the DevTools protocol, not the page (CSP).
  await page.addInitScript(() => {
    (window as unknown as { __pwned: number }).__pwned = 0;
  });
  await page.goto(url + path);
  await page.waitForSelector('#live-status[data-state="live"]', { timeout: 10_000 });
  return { page, errors, dialogs };
}

/** Messages of the rows on screen, top to bottom. */
export function rowMessages(page: Page): Promise<string[]> {
  return page.$$eval('#rows > details.row .msg', (els) => els.map((e) => e.textContent ?? ''));
}

export function waitForRow(page: Page, text: string, timeout = 5000): Promise<unknown> {
  return page.waitForFunction(
    (needle) => [...document.querySelectorAll('#rows > details.row .msg')].some((e) => (e.textContent ?? '').includes(needle)),
    text,
    { timeout },
  );
}

let counter = 0;
/** A marker unique to this run, so tests never see each other's lines. */
export function marker(name: string): string {
  return `${name}-${Date.now().toString(36)}-${++counter}`;
}
