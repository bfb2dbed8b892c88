// After a restart, the dashboard's list and charts are as they were: the ring is warmed from history's
// newest entries, as backfill (shown, counted, learned from; never alerted, never written to history
// again, never forwarded). When this loads anything, the ingest spool loads no backfill of its own:
// its processed lines are the same lines, already in history, and would be shown twice.
import type { HistoryEntry, HistoryReader } from './store/history/index.ts';
import type { LogEntry } from './types.ts';

export interface WarmTarget {
  emit(entries: LogEntry[], options: { backfill: boolean }): unknown;
}

/** Reads history's newest `count` entries (by the order they were stored) and emits them oldest first as backfill. */
export async function warmFromHistory(history: Pick<HistoryReader, 'search'>, target: WarmTarget, count: number): Promise<number> {
  const newestFirst: HistoryEntry[] = [];
  let cursor: string | undefined;
  while (newestFirst.length < count) {
    const page = await history.search({ limit: count - newestFirst.length, cursor });
    newestFirst.push(...page.entries);
    if (page.next === null || page.entries.length === 0) break;
    cursor = page.next;
  }
  if (newestFirst.length === 0) return 0;
  // The ring keeps arrival order, which is history's sequence; the pattern is the analyzer's to set again.
  const entries = newestFirst
    .sort((a, b) => a.seq - b.seq)
    .map(({ seq: _seq, pattern: _pattern, ...entry }): LogEntry => entry);
  // In batches, as sources deliver them, so one huge array never sits in the analyzer at once.
  for (let i = 0; i < entries.length; i += 1000) target.emit(entries.slice(i, i + 1000), { backfill: true });
  return entries.length;
}
