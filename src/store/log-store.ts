import type { LogEntry } from '../types.ts';
import type { EntryPredicate } from './query.ts';
import { RingBuffer } from './ring-buffer.ts';

/**
 * The recent entries, in arrival order. Ids are assigned here, consecutively, so an id maps to its
 * ring position by arithmetic (SSE replay after `Last-Event-ID` is O(1) to locate).
 */
export class LogStore {
  private readonly ring: RingBuffer<LogEntry>;
  private nextId = 1;

  constructor(capacity: number) {
    this.ring = new RingBuffer(capacity);
  }

  get capacity(): number {
    return this.ring.capacity;
  }

  get size(): number {
    return this.ring.size;
  }

  /** Id of the newest entry (0 before the first). */
  get lastId(): number {
    return this.nextId - 1;
  }

  /** Assigns ids and stores; the oldest entries fall out when the buffer is full. */
  append(entries: readonly LogEntry[]): void {
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      entry.id = this.nextId++;
      this.ring.push(entry);
    }
  }

  byId(id: number): LogEntry | undefined {
    const oldest = this.ring.oldest();
    if (oldest === undefined) return undefined;
    return this.ring.at(id - oldest.id);
  }

  /** The last `limit` entries that match, oldest first. */
  query(match: EntryPredicate, limit: number): LogEntry[] {
    const out: LogEntry[] = [];
    for (let i = this.ring.size - 1; i >= 0 && out.length < limit; i--) {
      const entry = this.ring.at(i) as LogEntry;
      if (match(entry)) out.push(entry);
    }
    return out.reverse();
  }

  /** Entries newer than `afterId` that match, oldest first, at most `limit` (the newest ones kept). */
  after(afterId: number, match: EntryPredicate, limit = Number.POSITIVE_INFINITY): LogEntry[] {
    const oldest = this.ring.oldest();
    if (oldest === undefined || afterId >= this.lastId) return [];
    const start = Math.max(0, afterId + 1 - oldest.id);
    const out: LogEntry[] = [];
    for (let i = start; i < this.ring.size; i++) {
      const entry = this.ring.at(i) as LogEntry;
      if (match(entry)) out.push(entry);
    }
    return out.length > limit ? out.slice(out.length - limit) : out;
  }

  /** Every stored entry, oldest first. */
  all(): LogEntry[] {
    return this.ring.toArray();
  }
}
