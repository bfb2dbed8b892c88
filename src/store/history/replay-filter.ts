// After a crash, sources read again what they had not checkpointed (file offsets are saved about once a
// second, the ingest spool's position likewise). Those lines reach history a second time, while the
// journal already holds them. This filter, built at start only when a journal had to be recovered (a
// graceful stop leaves none), drops a source's incoming entries while they repeat, in order, the tail
// history holds for that source; at the first entry that does not, or once the tail is used up, that
// source is passed through again for good. The whole filter ends after `windowMs`.
import type { AppendEntry, HistoryEntry } from './types.ts';

/** Entries per source kept to compare with (a second of input at high rates). */
const MAX_TAIL = 50_000;

interface SourceTail {
  prints: string[];
  /** Index of the next expected entry; -1 until the first replayed entry is found. */
  at: number;
}

function fingerprint(entry: AppendEntry): string {
  return `${entry.time}\u0000${entry.raw}`;
}

export class ReplayFilter {
  private readonly tails = new Map<string, SourceTail>();
  private dropped = 0;

  constructor(
    history: readonly HistoryEntry[],
    private readonly until: number,
  ) {
    for (const entry of history) {
      let tail = this.tails.get(entry.source);
      if (tail === undefined) this.tails.set(entry.source, (tail = { prints: [], at: -1 }));
      tail.prints.push(fingerprint(entry));
    }
    for (const tail of this.tails.values()) if (tail.prints.length > MAX_TAIL) tail.prints = tail.prints.slice(-MAX_TAIL);
  }

  /** Entries dropped as repeats so far. */
  get repeats(): number {
    return this.dropped;
  }

  /** False once it can drop nothing more (the caller then forgets it). */
  active(now: number): boolean {
    return this.tails.size > 0 && now < this.until;
  }

  /** Whether the entry repeats what history holds for its source (then it is not appended). */
  isRepeat(entry: AppendEntry): boolean {
    const tail = this.tails.get(entry.source);
    if (tail === undefined) return false;
    const print = fingerprint(entry);
    // The first entry a source sends again is where its checkpoint was: anywhere in the tail.
    const at = tail.at < 0 ? tail.prints.indexOf(print) : tail.prints[tail.at] === print ? tail.at : -1;
    if (at < 0) {
      this.tails.delete(entry.source);
      return false;
    }
    tail.at = at + 1;
    if (tail.at >= tail.prints.length) this.tails.delete(entry.source);
    this.dropped++;
    return true;
  }
}
