// One followed file (one device + inode). It owns its descriptor: it opens it under the descriptor budget,
// checks it is still the file identified, reads at its cursor and closes it. Nothing outside sets its
// state; `readToEnd()` says what happened: `eof`, `replaced` (truncated or rewritten), `error` or `more`.
import type { Buffer } from 'node:buffer';
import type { LineBatch } from '../../types.ts';
import type { FileCheckpoint } from '../checkpoint-file.ts';
import { describeError } from '../error-reporter.ts';
import { closeQuietly, readAt, statFd } from '../fd-io.ts';
import { EMPTY_FINGERPRINT, FINGERPRINT_BYTES, fingerprintMatches, readFingerprint, statKey, type Fingerprint } from '../file-identity.ts';
import type { SourceStatus } from '../types.ts';
import { openIdentified } from './open-file.ts';
import { PartialLineWait } from './partial-line.ts';
import { batchOf, partialBatch, ReadCursor } from './read-cursor.ts';
import type { FileFound, FileIo, OldContent, ReadResult } from './types.ts';

const CHUNKS_PER_CALL = 8; // at most per `readToEnd()` call: the caller calls again on `more`

export class FollowedFile {
  private sourceNow: string;
  readonly dev: number;
  readonly ino: number;
  readonly key: string;
  readonly format: string | undefined;
  readonly timezone: string | undefined;
  private pathNow: string;
  private realPathNow: string;
  private fd: number | null = null;
  private cursor: ReadCursor;
  private sizeNow: number;
  private fingerprintNow: Fingerprint = EMPTY_FINGERPRINT;
  /** When it left its glob path (renamed, deleted, replaced); null while live. */
  private rotatedAt: number | null = null;
  private deletedNow = false;
  private lastDataAt: number;
  private lastUsed: number;
  private lines = 0;
  private backfilled = 0;
  private lastError: string | null = null;
  private lastErrorAt: number | null = null;
  private checkpointOffset: number | null = null;
  private checkpointAt: number | null = null;
  /** A read (or stat) on the descriptor is in flight: never closed for the budget then (a reused number would be read as this file). */
  private reading = false;
  /** The scan saw the file grow: check that it still starts with the same bytes before reading on. */
  private verifyContent = false;
  private readonly partial: PartialLineWait;

  constructor(
    private readonly io: FileIo,
    found: FileFound,
    offset: number | ReadCursor,
  ) {
    this.sourceNow = found.source;
    this.pathNow = found.path;
    this.realPathNow = found.realPath;
    this.dev = found.stats.dev;
    this.ino = found.stats.ino;
    this.key = statKey(found.stats);
    this.format = found.format;
    this.timezone = found.timezone;
    this.sizeNow = found.stats.size;
    this.cursor = typeof offset === 'number' ? new ReadCursor(offset, io.maxLineBytes) : offset;
    const now = io.clock();
    this.lastDataAt = now;
    this.lastUsed = now;
    this.partial = new PartialLineWait(io.timers, io.partialLineTimeoutMs, () => io.wake(this.source));
  }

  // ── what it is ─────────────────────────────────────────────────────────────────────────────────

  /** Absolute path the file was found at. */
  /** Source name; fixed once the file is followed (a resumed file keeps the name it had). */
  get source(): string { return this.sourceNow; }
  get path(): string { return this.pathNow; }
  /** The file behind symlinks: where to look for it after a restart. */
  get realPath(): string { return this.realPathNow; }
  get isOpen(): boolean { return this.fd !== null; }
  get isRotated(): boolean { return this.rotatedAt !== null; }
  get isReading(): boolean { return this.reading; }
  /** Link count 0 at the last look: only reachable through the open descriptor. */
  get deleted(): boolean { return this.deletedNow; }
  get size(): number { return this.sizeNow; }
  get readOffset(): number { return this.cursor.readOffset; }
  get hasPartialLine(): boolean { return this.cursor.splitter.pendingBytes > 0; }
  /** Read to the size last seen. */
  get isIdle(): boolean { return this.cursor.readOffset >= this.sizeNow; }
  get lastUsedAt(): number { return this.lastUsed; }
  get hasError(): boolean { return this.lastError !== null; }
  get fingerprint(): Fingerprint { return this.fingerprintNow; }
  /** Since when a rotated file has had nothing new. */
  get quietSince(): number {
    return Math.max(this.rotatedAt ?? 0, this.lastDataAt);
  }

  // ── transitions (the registry calls the path ones) ─────────────────────────────────────────────

  /** Left its glob path (renamed, deleted, replaced): followed until it goes quiet. */
  rotatedAway(): void {
    this.rotatedAt ??= this.io.clock();
  }

  /** A followed file shows up at a glob path (renamed into the glob, or a symlink now points at it). */
  returnedTo(path: string): void {
    this.pathNow = path;
    this.rotatedAt = null;
  }

  /** Before it is followed: the checkpoint knows this file, under this name, processed up to `offset`. */
  resumeAs(source: string, offset: number): void {
    this.sourceNow = source;
    this.startAt(offset);
  }

  /** Reading starts at `offset` (resumed, or the end of history on a first start, or 0). */
  startAt(offset: number): void {
    this.cursor = new ReadCursor(offset, this.io.maxLineBytes);
  }

  /** The content is known to start with these bytes (a resumed or copied content). */
  knownContent(fingerprint: Fingerprint): void {
    this.fingerprintNow = fingerprint;
  }

  /** Starts over at byte 0 with a new cursor; returns the old content, which a copy may carry on with. */
  restartFromZero(): OldContent {
    const old = { cursor: this.cursor, fingerprint: this.fingerprintNow };
    this.cursor = new ReadCursor(0, this.io.maxLineBytes);
    this.fingerprintNow = EMPTY_FINGERPRINT;
    this.partial.cancel();
    return old;
  }

  /** The scan saw this size; true when there is something to read (or to check). */
  noticeSize(size: number): boolean {
    if (size > this.sizeNow && this.fingerprintNow.length === FINGERPRINT_BYTES) this.verifyContent = true;
    this.sizeNow = size;
    return size !== this.cursor.readOffset || this.verifyContent;
  }

  /** Size and link count from the open descriptor (rotated files: written late? deleted?). False on error. */
  async refresh(): Promise<boolean> {
    if (this.fd === null) return false;
    try {
      const stats = await statFd(this.fd);
      this.sizeNow = stats.size;
      this.deletedNow = stats.nlink === 0;
      return true;
    } catch (err) {
      this.fail(err as NodeJS.ErrnoException, 'checking');
      return false;
    }
  }

  /** Takes the fingerprint of the first bytes if it has none yet (or `again`: it grew past a short one). */
  async takeFingerprint(again = false): Promise<void> {
    if (this.fd === null || (this.fingerprintNow.length > 0 && !again)) return;
    try {
      this.fingerprintNow = await readFingerprint(this.fd);
    } catch {
      // Kept empty; taken at a later read.
    }
  }

  /** True when the content still starts with `fingerprint` (false too when it cannot be read). */
  async startsWith(fingerprint: Fingerprint): Promise<boolean> {
    if (this.fd === null) return false;
    this.reading = true;
    try {
      return await fingerprintMatches(this.fd, fingerprint);
    } catch {
      return false;
    } finally {
      this.reading = false;
    }
  }

  // ── descriptor ─────────────────────────────────────────────────────────────────────────────────

  /**
   * Opens the file and checks it is still the one identified (a path can change hands between a stat
   * and an open). False when it cannot be opened now; the error is shown and retried later.
   */
  async open(path = this.pathNow): Promise<boolean> {
    if (this.fd !== null) return true;
    const opened = await openIdentified(path, this.key, this.io.descriptors, this.io.errors, this.isRotated);
    if (opened.fd === null) {
      if (opened.err !== null && opened.quiet) this.setError(opened.err);
      else if (opened.err !== null) this.fail(opened.err, 'opening');
      return this.fd !== null;
    }
    if (this.fd !== null) {
      // Opened twice concurrently: keep the first.
      await closeQuietly(opened.fd);
      this.io.descriptors.release();
      return true;
    }
    this.fd = opened.fd;
    this.sizeNow = opened.size;
    if (this.lastError !== null) this.recovered();
    return true;
  }

  /** Closes the descriptor (reopened, and checked by device + inode, at the next read). */
  async close(): Promise<void> {
    const closing = this.detach();
    this.io.descriptors.serve();
    await closing;
  }

  /** For the budget's eviction: the descriptor is taken away and its slot is free at once. */
  detach(): Promise<void> {
    const fd = this.fd;
    if (fd === null) return Promise.resolve();
    this.fd = null;
    this.io.descriptors.freed();
    return closeQuietly(fd);
  }

  // ── reading ────────────────────────────────────────────────────────────────────────────────────

  /** Reads from the cursor to the end of the file (a bounded amount per call: `more` says to call again). */
  async readToEnd(): Promise<ReadResult> {
    this.reading = true;
    try {
      return await this.readOpen();
    } finally {
      this.reading = false;
      if (this.io.descriptors.hasWaiters) this.io.descriptors.serve();
    }
  }

  private async readOpen(): Promise<ReadResult> {
    const batches: LineBatch[] = [];
    if (this.fd === null && !(await this.open())) return { batches, end: 'error' };
    const fd = this.fd as number;
    if (this.verifyContent) {
      this.verifyContent = false;
      try {
        if (!(await fingerprintMatches(fd, this.fingerprintNow))) return { batches, end: 'replaced' };
      } catch (err) {
        this.fail(err as NodeJS.ErrnoException, 'reading');
        return { batches, end: 'error' };
      }
    }
    const chunk = this.io.chunkBytes;
    for (let i = 0; i < CHUNKS_PER_CALL; i++) {
      const buffer = await this.io.slots.acquire();
      let n: number;
      try {
        n = await readAt(fd, buffer, chunk, this.cursor.readOffset);
      } catch (err) {
        this.io.slots.release(buffer);
        this.fail(err as NodeJS.ErrnoException, 'reading');
        return { batches, end: 'error' };
      }
      // Closed while the read was in flight (stop or retirement): the bytes are read again later.
      if (this.fd !== fd) {
        this.io.slots.release(buffer);
        return { batches, end: 'eof' };
      }
      if (n === 0) {
        this.io.slots.release(buffer);
        if (!(await this.refresh())) return { batches, end: 'error' };
        if (this.sizeNow < this.cursor.readOffset) return { batches, end: 'replaced' };
        this.atEndOfFile(batches);
        return { batches, end: 'eof' };
      }
      this.consume(buffer, n, batches);
      this.io.slots.release(buffer);
      if (this.fingerprintNow.length < FINGERPRINT_BYTES && this.cursor.readOffset > this.fingerprintNow.length) {
        await this.takeFingerprint(true);
      }
      if (n < chunk) {
        this.atEndOfFile(batches);
        return { batches, end: 'eof' };
      }
    }
    return { batches, end: 'more' };
  }

  private consume(buffer: Buffer, n: number, batches: LineBatch[]): void {
    const now = this.io.clock();
    const { lines, ends } = this.cursor.consume(buffer, n);
    this.lastDataAt = now;
    this.lastUsed = now;
    if (this.lastError !== null) this.recovered();
    if (this.cursor.readOffset > this.sizeNow) this.sizeNow = this.cursor.readOffset;
    if (lines.length === 0) return;
    this.lines += lines.length;
    batches.push(batchOf(this, this.cursor, lines, ends, now, false));
  }

  /** An unfinished last line is emitted once it has waited `partialLineTimeoutMs` without growing. */
  private atEndOfFile(batches: LineBatch[]): void {
    if (!this.partial.atEnd(this.cursor.splitter.pendingBytes)) return;
    const batch = this.flushPartial();
    if (batch !== null) batches.push(batch);
  }

  /** Stops waiting for the unfinished line (stopping, or retiring the file). */
  stopWaiting(): void { this.partial.cancel(); }

  /** The unfinished line as a batch of its own (it waited too long, or its file is gone). */
  flushPartial(): LineBatch | null {
    const batch = partialBatch(this, this.cursor, this.io.clock());
    if (batch !== null) this.lines += 1;
    return batch;
  }

  // ── history ────────────────────────────────────────────────────────────────────────────────────

  /**
   * Runs `use` on the open descriptor (reopened if the budget closed it, checked by device + inode).
   * Null when the file cannot be opened or `use` fails (the error is shown as `doing` failed).
   */
  async withDescriptor<T>(doing: string, use: (fd: number) => Promise<T>): Promise<T | null> {
    if (this.fd === null && !(await this.open())) return null;
    this.reading = true;
    try {
      return await use(this.fd as number);
    } catch (err) {
      this.fail(err as NodeJS.ErrnoException, doing);
      return null;
    } finally {
      this.reading = false;
    }
  }

  /** Lines before the cursor loaded as history (never committed: they are before the checkpoint). */
  historyBatch(lines: string[], receivedAt: number): LineBatch {
    this.backfilled += lines.length;
    return batchOf(this, this.cursor, lines, [], receivedAt, true);
  }

  // ── errors, status, checkpoint ─────────────────────────────────────────────────────────────────

  /** Shows the error in status and logs it once (until it recovers). */
  fail(err: NodeJS.ErrnoException, doing: string): void {
    this.setError(err);
    const hint = err.code === 'EACCES' ? ' (check the file permissions)' : '';
    this.io.errors.report(`file:${this.key}`, err.code ?? 'error', `${doing} ${this.pathNow} (${this.source}) failed: ${describeError(err)}${hint}; retrying`);
  }

  private setError(err: NodeJS.ErrnoException): void {
    this.lastError = describeError(err);
    this.lastErrorAt = this.io.clock();
  }

  private recovered(): void {
    this.lastError = null;
    this.lastErrorAt = null;
    this.io.errors.recover(`file:${this.key}`);
  }

  status(): SourceStatus {
    return {
      name: this.source,
      kind: 'file',
      path: this.pathNow,
      dev: this.dev,
      inode: this.ino,
      offset: this.cursor.readOffset,
      size: this.sizeNow,
      lag: Math.max(0, this.sizeNow - this.cursor.readOffset),
      lines: this.lines,
      lastError: this.lastError,
      lastErrorAt: this.lastErrorAt === null ? null : new Date(this.lastErrorAt).toISOString(),
      state: this.isRotated ? 'rotated' : 'live',
      committedOffset: this.cursor.committed,
      checkpointOffset: this.checkpointOffset,
      checkpointAt: this.checkpointAt === null ? null : new Date(this.checkpointAt).toISOString(),
      backfilled: this.backfilled,
      truncatedLines: this.cursor.splitter.truncatedLines,
    };
  }

  /** Its checkpoint entry: everything before `offset` is processed. */
  checkpointEntry(): FileCheckpoint {
    const entry: FileCheckpoint = {
      source: this.source,
      path: this.pathNow,
      realPath: this.realPathNow,
      dev: this.dev,
      ino: this.ino,
      offset: this.cursor.committed,
      fpLength: this.fingerprintNow.length,
      fpHash: this.fingerprintNow.hash,
      rotated: this.isRotated,
    };
    if (this.format !== undefined) entry.format = this.format;
    if (this.timezone !== undefined) entry.timezone = this.timezone;
    return entry;
  }

  /** A checkpoint holding `offset` for this file was written (shown in status). */
  checkpointed(offset: number, at: number): void {
    this.checkpointOffset = offset;
    this.checkpointAt = at;
  }
}
