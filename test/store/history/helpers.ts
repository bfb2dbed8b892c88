import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryStore, type HistoryTimers } from '../../../src/store/history/store.ts';
import type { AppendEntry, HistoryEntry, HistoryOptions, PageRequest } from '../../../src/store/history/types.ts';

/** Timers that never fire: tests drive writing with flush() and the clock with `now`. */
export const manualTimers: HistoryTimers = { setInterval: () => 0, clearInterval: () => {} };

export interface TestHistory {
  store: HistoryStore;
  dir: string;
  clock: { now: number };
  reopen(overrides?: Partial<HistoryOptions>): Promise<HistoryStore>;
}

export function tempDir(prefix = 'lw-hist-'): string {
  return join(mkdtempSync(join(tmpdir(), prefix)), 'history');
}

export async function openHistory(overrides: Partial<HistoryOptions> = {}, dir = tempDir()): Promise<TestHistory> {
  const clock = { now: Date.UTC(2026, 11, 1, 12, 0, 0) };
  const options = (extra: Partial<HistoryOptions>): HistoryOptions => ({
    dir,
    clock: () => clock.now,
    maxAgeMs: 7 * 86_400_000,
    maxBytes: 1 << 30,
    ...overrides,
    ...extra,
  });
  const result: TestHistory = {
    store: await HistoryStore.open(options({}), manualTimers),
    dir,
    clock,
    async reopen(extra = {}) {
      result.store = await HistoryStore.open(options(extra), manualTimers);
      return result.store;
    },
  };
  return result;
}

/** Every entry matching, newest first, by following the cursor page by page. */
export async function allPages(store: HistoryStore, request: PageRequest = {}, limit = 50): Promise<HistoryEntry[]> {
  const out: HistoryEntry[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 100_000; guard++) {
    const page = await store.search({ ...request, limit, cursor });
    out.push(...page.entries);
    if (page.next === null) return out;
    cursor = page.next;
  }
  throw new Error('paging did not end');
}

let counter = 0;

export function makeEntry(fields: Partial<AppendEntry> = {}): AppendEntry {
  counter++;
  const message = fields.message ?? `message ${counter}`;
  return {
    id: fields.id ?? counter,
    time: fields.time ?? Date.UTC(2026, 11, 1, 11, 0, 0) + counter,
    level: fields.level ?? 'INFO',
    message,
    source: fields.source ?? 'logs/app.log',
    format: fields.format ?? 'generic',
    metadata: fields.metadata ?? {},
    raw: fields.raw ?? `2026-12-01 INFO ${message}`,
    receivedAt: fields.receivedAt ?? Date.UTC(2026, 11, 1, 12, 0, 0),
    ...(fields.pattern === undefined ? {} : { pattern: fields.pattern }),
  };
}

/** Every file under a folder, relative paths. */
export function filesUnder(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, `${prefix}${name}/`));
    else out.push(`${prefix}${name}`);
  }
  return out;
}
