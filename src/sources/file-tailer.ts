// One followed file (one device + inode): where it is read up to, what is processed, and how a read
// becomes a batch whose commit hook advances the checkpoint.
import type { Buffer } from 'node:buffer';
import type { LineBatch } from '../types.ts';
import { EMPTY_FINGERPRINT, type Fingerprint } from './file-identity.ts';
import { LineSplitter } from './line-splitter.ts';

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
}

export interface TailerInit {
  source: string;
  path: string;
  realPath: string;
  dev: number;
  ino: number;
  key: string;
  offset: number;
  maxLineBytes: number;
  format?: string;
  timezone?: string;
  now: number;
}

export class FileTailer {
  /** Source name; fixed once the file is followed (a resumed file keeps the name it had). */
  source: string;
  /** Absolute path the file was found at. */
  path: string;
  /** The file behind symlinks: where to look for it after a restart. */
  realPath: string;
  readonly dev: number;
  readonly ino: number;
  readonly key: string;
  readonly format: string | undefined;
  readonly timezone: string | undefined;
  fd: number | null = null;
  cursor: ReadCursor;
  /** File size at the last look. */
  size = 0;
  /** Hash of the first bytes of the current content. */
  fingerprint: Fingerprint = EMPTY_FINGERPRINT;
  /** When it left its glob path (renamed, deleted, replaced); null while live. */
  rotatedAt: number | null = null;
  /** Link count 0: deleted, only reachable through the open descriptor. */
  deleted = false;
  lastDataAt: number;
  lastUsedAt: number;
  lines = 0;
  backfilled = 0;
  lastError: string | null = null;
  lastErrorAt: number | null = null;
  /** Offset in the last checkpoint written (null until one holds this file). */
  checkpointOffset: number | null = null;
  /** When the state in that checkpoint was taken. */
  checkpointAt: number | null = null;
  /** A read (or stat) on the descriptor is in flight. */
  reading = false;
  /** The scan saw the file grow: check that it still starts with the same bytes before reading on. */
  verifyContent = false;
  /** The unfinished last line has waited long enough: emit it at the next look. */
  partialDue = false;
  /** Size of the unfinished line when its wait started. */
  partialBytes = 0;
  partialTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly maxLineBytes: number;

  constructor(init: TailerInit) {
    this.source = init.source;
    this.path = init.path;
    this.realPath = init.realPath;
    this.dev = init.dev;
    this.ino = init.ino;
    this.key = init.key;
    this.format = init.format;
    this.timezone = init.timezone;
    this.maxLineBytes = init.maxLineBytes;
    this.cursor = new ReadCursor(init.offset, init.maxLineBytes);
    this.lastDataAt = init.now;
    this.lastUsedAt = init.now;
  }

  get isRotated(): boolean {
    return this.rotatedAt !== null;
  }

  get truncatedLines(): number {
    return this.cursor.splitter.truncatedLines;
  }

  /** Starts over at byte 0 with a new cursor; returns the old one (with the old content's state). */
  restartFromZero(): ReadCursor {
    const old = this.cursor;
    this.cursor = new ReadCursor(0, this.maxLineBytes);
    this.fingerprint = EMPTY_FINGERPRINT;
    return old;
  }

  /**
   * Splits `length` bytes just read at the cursor into a batch (null when they finish no line).
   * The cursor advances past them.
   */
  consume(chunk: Buffer, length: number, receivedAt: number): LineBatch | null {
    const cursor = this.cursor;
    const lines: string[] = [];
    const ends: number[] = [];
    cursor.splitter.push(chunk, length, cursor.readOffset, lines, ends);
    cursor.readOffset += length;
    this.lastDataAt = receivedAt;
    if (lines.length === 0) return null;
    this.lines += lines.length;
    return this.batch(cursor, lines, ends, receivedAt, false);
  }

  /** The unfinished line as a batch of its own (it waited too long, or its file is gone). */
  flushPartial(receivedAt: number): LineBatch | null {
    const cursor = this.cursor;
    const lines: string[] = [];
    const ends: number[] = [];
    if (!cursor.splitter.flushPartial(cursor.readOffset, lines, ends)) return null;
    this.lines += 1;
    return this.batch(cursor, lines, ends, receivedAt, false);
  }

  batch(cursor: ReadCursor, lines: string[], ends: number[], receivedAt: number, backfill: boolean): LineBatch {
    const batch: LineBatch = { source: this.source, lines, receivedAt };
    if (this.format !== undefined) batch.format = this.format;
    if (this.timezone !== undefined) batch.timezone = this.timezone;
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

  setError(err: NodeJS.ErrnoException | string, now: number): void {
    this.lastError = typeof err === 'string' ? err : describeError(err);
    this.lastErrorAt = now;
  }

  clearError(): void {
    this.lastError = null;
    this.lastErrorAt = null;
  }
}

/** `EACCES: permission denied` style text for status rows. */
export function describeError(err: NodeJS.ErrnoException): string {
  // Node's messages already start with the code ("EMFILE: too many open files, open '…'"); Bun's may not.
  return err.code === undefined || err.message.startsWith(err.code) ? err.message : `${err.code}: ${err.message}`;
}
