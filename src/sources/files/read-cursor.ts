// Where one content of a file is read up to and processed up to, and how bytes read at the cursor become a
// batch whose commit hook advances the checkpoint.
import type { Buffer } from 'node:buffer';
import type { LineBatch } from '../../types.ts';
import { LineSplitter } from '../line-splitter.ts';

/**
 * The reading state of one content of a file. A truncated file gets a new cursor (it is read again
 * from 0); the old one moves with the old bytes (to the copy, after copy-and-truncate), so commit
 * hooks of batches still in the pipeline keep advancing the right offset.
 */
export class ReadCursor {
  /** Bytes handed to the splitter. */
  readOffset: number;
  /** Every byte before this offset has been processed by the pipeline: what a checkpoint records. */
  committed: number;
  readonly splitter: LineSplitter;

  constructor(offset: number, maxLineBytes: number) {
    this.readOffset = offset;
    this.committed = offset;
    this.splitter = new LineSplitter(maxLineBytes);
  }

  commit(offset: number): void {
    if (offset > this.committed) this.committed = offset;
  }

  /** Splits `length` bytes just read at the cursor; the cursor advances past them. */
  consume(chunk: Buffer, length: number): { lines: string[]; ends: number[] } {
    const lines: string[] = [];
    const ends: number[] = [];
    this.splitter.push(chunk, length, this.readOffset, lines, ends);
    this.readOffset += length;
    return { lines, ends };
  }

  /** The unfinished line as if it were complete (null when none): its writer never finished it, or its file is gone. */
  takePartial(): { lines: string[]; ends: number[] } | null {
    const lines: string[] = [];
    const ends: number[] = [];
    return this.splitter.flushPartial(this.readOffset, lines, ends) ? { lines, ends } : null;
  }
}

/** What every batch of a file carries. */
export interface BatchLabel {
  source: string;
  format?: string;
  timezone?: string;
}

/**
 * A batch of lines of `cursor`'s content. Live batches commit through the cursor they were read with
 * (`ends[i]` is the offset after line i); history (backfill) is never committed: it is before the checkpoint.
 */
export function batchOf(label: BatchLabel, cursor: ReadCursor, lines: string[], ends: number[], receivedAt: number, backfill: boolean): LineBatch {
  const batch: LineBatch = { source: label.source, lines, receivedAt };
  if (label.format !== undefined) batch.format = label.format;
  if (label.timezone !== undefined) batch.timezone = label.timezone;
  if (backfill) {
    batch.backfill = true;
    return batch;
  }
  batch.onCommit = (held: number) => {
    const n = ends.length;
    if (held <= 0) cursor.commit(ends[n - 1]);
    else if (held < n) cursor.commit(ends[n - 1 - held]);
  };
  return batch;
}

/** The cursor's unfinished line as a batch of its own (null when none): it waited too long, or its content is gone. */
export function partialBatch(label: BatchLabel, cursor: ReadCursor, receivedAt: number): LineBatch | null {
  const taken = cursor.takePartial();
  return taken === null ? null : batchOf(label, cursor, taken.lines, taken.ends, receivedAt, false);
}
