// Public face of history: what the pipeline feeds (append) and what the web layer reads (search,
// histogram, scan, stats). With history disabled, the same reader answers from the ring buffer, so the
// API behaves alike, only over less time.
import type { LogEntry } from '../../types.ts';
import type { LogStore } from '../log-store.ts';
import { histogram, scanForward, searchPage, type MemoryEntry, type Snapshot } from './reader.ts';
import type { HistoryStore } from './store.ts';
import type { HistogramBucket, HistogramRequest, HistoryEntry, HistoryPage, HistoryQuery, HistoryStats, PageRequest } from './types.ts';

export type { HistoryConfig } from './config.ts';
export { historySchema, parseDuration, parseSize } from './config.ts';
export { HistoryStore } from './store.ts';
export type * from './types.ts';

/** Where the pipeline hands entries (synchronous, never blocks). */
export interface HistorySink {
  append(entries: readonly LogEntry[]): void;
}

export interface HistoryReader {
  /** True when entries are kept on disk; false: answers come from the ring buffer only. */
  readonly persistent: boolean;
  search(request: PageRequest): Promise<HistoryPage>;
  histogram(request: HistogramRequest): Promise<HistogramBucket[]>;
  /** Every match, oldest first, in batches (for replaying rules over a range); stops when visit returns false. */
  scan(query: HistoryQuery, visit: (entries: HistoryEntry[]) => boolean | void): Promise<void>;
  stats(): HistoryStats | null;
}

export function storeReader(store: HistoryStore): HistoryReader {
  return {
    persistent: true,
    search: (request) => store.search(request),
    histogram: (request) => store.histogram(request),
    scan: (query, visit) => store.scan(query, visit),
    stats: () => store.stats(),
  };
}

/** The ring buffer seen as a (short) history: sequence numbers are entry ids. */
export function ringReader(ring: Pick<LogStore, 'all'>): HistoryReader {
  const snapshot = (): Snapshot => ({ memory: ring.all().map((entry): MemoryEntry => ({ seq: entry.id, entry })), segments: [] });
  return {
    persistent: false,
    search: (request) => searchPage(snapshot(), request),
    histogram: (request) => histogram(snapshot(), request),
    scan: (query, visit) => scanForward(snapshot(), query, visit),
    stats: () => null,
  };
}
