// Lines accepted over HTTP: written to the spool (so a 202 means they survive a crash), handed to the
// pipeline, and replayed at the next start if the pipeline had not finished them.
//
// Writes are grouped: every request waiting while one write runs goes into the next write (and the
// next fsync, when enabled), so throughput does not depend on one disk round trip per request.
import { Buffer } from 'node:buffer';
import { mkdir, open, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { LineBatch } from '../types.ts';
import { describeError, ErrorReporter } from './error-reporter.ts';
import { loadCommitted, saveCommitted as writeCommitted } from './spool-checkpoint.ts';
import { encodeRecord, listSegments, readSegment, segmentName, type ParsedSegment, type SegmentFile, type SpoolRecord } from './spool-segments.ts';
import type { IngestPart, IngestSpool, IngestSpoolOptions, SourceStatus } from './types.ts';

export const SPOOL_DIR = 'spool';
interface Pending {
  parts: IngestPart[];
  lines: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

/** Lines handed to the pipeline, in spool order, until all of them are processed. */
interface InFlight {
  start: number;
  count: number;
  done: number;
  source: string;
}

interface IngestSourceStats {
  lines: number;
  /** Spool position after the source's last line. */
  position: number;
}

export function createIngestSpool(options: IngestSpoolOptions): IngestSpool {
  return new Spool(options);
}

class Spool implements IngestSpool {
  private readonly dir: string;
  private readonly errors: ErrorReporter;
  private state: 'new' | 'open' | 'closing' | 'closed' = 'new';
  private segments: SegmentFile[] = [];
  private handle: FileHandle | null = null;
  /** Sequence number of the next line written. */
  private nextSeq = 0;
  /** Every line before it has been processed by the pipeline. */
  private committed = 0;
  private savedCommitted = -1;
  private savedAt: number | null = null;
  private inFlight: InFlight[] = [];
  private inFlightHead = 0;
  private queue: Pending[] = [];
  private writing: Promise<void> | null = null;
  private saving: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly sources = new Map<string, IngestSourceStats>();
  private lastError: string | null = null;
  private lastErrorAt: number | null = null;

  constructor(private readonly options: IngestSpoolOptions) {
    this.dir = join(options.stateDir, SPOOL_DIR);
    this.errors = new ErrorReporter(options.logger);
  }

  async open(): Promise<void> {
    if (this.state !== 'new') throw new Error('the ingest spool can be opened once');
    await mkdir(this.dir, { recursive: true });
    this.segments = await listSegments(this.dir, async (path) => (await stat(path)).size);
    const saved = await loadCommitted(this.dir, this.options.logger);

    const parsed = new Map<SegmentFile, ParsedSegment>();
    const last = this.segments[this.segments.length - 1];
    if (last !== undefined) {
      const tail = await readSegment(last);
      parsed.set(last, tail);
      if (tail.validBytes < last.size) {
        // A write cut short by a crash: that request was never acknowledged, so it is dropped.
        this.options.logger.warn(`ingest spool ${last.path}: dropping an incomplete last record (${last.size - tail.validBytes} bytes)`);
        const handle = await open(last.path, 'r+');
        await handle.truncate(tail.validBytes);
        await handle.close();
        last.size = tail.validBytes;
      }
      this.nextSeq = tail.endSeq;
    }
    const first = this.segments[0]?.seq ?? 0;
    this.nextSeq = Math.max(this.nextSeq, saved ?? 0);
    this.committed = Math.min(Math.max(saved ?? first, first), this.nextSeq);
    this.savedCommitted = saved ?? -1;

    await this.replay(parsed);
    await this.openForAppend();
    this.state = 'open';
    this.timer = setInterval(() => void this.saveCommitted(), this.options.ingest.checkpointIntervalMs);
    this.timer.unref?.();
  }

  accept(parts: IngestPart[]): Promise<void> {
    if (this.state !== 'open') return Promise.reject(new Error('the ingest spool is not open (LogWatch is starting or stopping)'));
    let lines = 0;
    for (const part of parts) lines += part.lines.length;
    if (lines === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.queue.push({ parts, lines, resolve, reject });
      this.writing ??= this.writeLoop();
    });
  }

  async close(): Promise<void> {
    if (this.state !== 'open') {
      this.state = 'closed';
      return;
    }
    this.state = 'closing';
    clearInterval(this.timer);
    await this.writing;
    for (const source of this.sources.keys()) {
      try {
        this.options.sink.flush(source);
      } catch (err) {
        this.options.logger.error(`flushing ${source} failed: ${(err as Error).message}`);
      }
    }
    await this.saveCommitted();
    await this.handle?.close();
    this.handle = null;
    this.state = 'closed';
  }

  status(): SourceStatus[] {
    const lag = new Map<string, number>();
    for (let i = this.inFlightHead; i < this.inFlight.length; i++) {
      const entry = this.inFlight[i];
      lag.set(entry.source, (lag.get(entry.source) ?? 0) + entry.count - entry.done);
    }
    const size = this.segments.reduce((sum, segment) => sum + segment.size, 0);
    return [...this.sources].map(([name, stats]) => ({
      name,
      kind: 'ingest' as const,
      path: this.dir,
      dev: null,
      inode: null,
      offset: stats.position,
      size,
      lag: lag.get(name) ?? 0,
      lines: stats.lines,
      lastError: this.lastError,
      lastErrorAt: this.lastErrorAt === null ? null : new Date(this.lastErrorAt).toISOString(),
      state: 'live' as const,
      committedOffset: this.committed,
      checkpointOffset: this.savedCommitted < 0 ? null : this.savedCommitted,
      checkpointAt: this.savedAt === null ? null : new Date(this.savedAt).toISOString(),
      backfilled: 0,
      truncatedLines: 0,
    }));
  }

  // ── startup replay ─────────────────────────────────────────────────────────────────────────────

  /**
   * History first (the last `backfillLines` processed lines, as backfill: shown, no alerts), then the
   * lines accepted but not processed before the stop or crash (processed now, for real).
   */
  private async replay(parsed: Map<SegmentFile, ParsedSegment>): Promise<void> {
    const historyFrom = Math.max(this.segments[0]?.seq ?? 0, this.committed - this.options.ingest.backfillLines);
    if (historyFrom >= this.nextSeq) return;
    let replayed = 0;
    for (let i = 0; i < this.segments.length; i++) {
      const segment = this.segments[i];
      const end = this.segments[i + 1]?.seq ?? this.nextSeq;
      if (end <= historyFrom) continue;
      let contents = parsed.get(segment);
      if (contents === undefined) {
        try {
          contents = await readSegment(segment);
        } catch (err) {
          this.options.logger.error(`ingest spool ${segment.path} is unreadable (${(err as Error).message}); skipping it`);
          continue;
        }
      }
      for (const record of contents.records) replayed += this.replayRecord(record, historyFrom);
    }
    if (replayed > 0) this.options.logger.info(`ingest spool: replayed ${replayed} lines accepted but not processed before the last stop`);
  }

  /** Returns how many not-yet-processed lines it handed over. */
  private replayRecord(record: SpoolRecord, historyFrom: number): number {
    let seq = record.seq;
    let replayed = 0;
    for (const part of record.parts) {
      const start = seq;
      const end = seq + part.lines.length;
      seq = end;
      const fromHistory = Math.max(start, historyFrom);
      const toHistory = Math.min(end, this.committed);
      if (fromHistory < toHistory) {
        this.deliver(part, part.lines.slice(fromHistory - start, toHistory - start), fromHistory, record.receivedAt, true);
      }
      const fromLive = Math.max(start, this.committed);
      if (fromLive < end) {
        this.deliver(part, part.lines.slice(fromLive - start), fromLive, record.receivedAt, false);
        replayed += end - fromLive;
      }
    }
    return replayed;
  }

  // ── writing ────────────────────────────────────────────────────────────────────────────────────

  private async writeLoop(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const group = this.queue;
        this.queue = [];
        await this.writeGroup(group);
      }
    } finally {
      this.writing = null;
    }
  }

  /** One write (and fsync) for every waiting request; each is accepted, or refused, as a whole. */
  private async writeGroup(group: Pending[]): Promise<void> {
    const receivedAt = this.options.clock();
    let seq = this.nextSeq;
    const starts: number[] = [];
    let text = '';
    for (const request of group) {
      starts.push(seq);
      text += `${encodeRecord(seq, receivedAt, request.parts)}\n`;
      seq += request.lines;
    }
    const bytes = Buffer.from(text);
    try {
      await this.write(bytes);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      this.lastError = describeError(e);
      this.lastErrorAt = receivedAt;
      this.errors.report('write', e.code ?? 'error', `cannot write the ingest spool in ${this.dir}: ${describeError(e)}; requests are refused until it works`, 'error');
      const refused = new Error(`the ingest spool could not be written: ${e.message}`);
      for (const request of group) request.reject(refused);
      return;
    }
    this.errors.recover('write');
    this.lastError = null;
    this.lastErrorAt = null;
    this.nextSeq = seq;
    for (let i = 0; i < group.length; i++) {
      let lineSeq = starts[i];
      for (const part of group[i].parts) {
        this.deliver(part, part.lines, lineSeq, receivedAt, false);
        lineSeq += part.lines.length;
      }
    }
    // Before answering: a client that waited for its 202 then finds the spool within its cap.
    await this.enforceCap();
    for (const request of group) request.resolve();
  }

  /** Appends at the end of the current segment; a failed write is cut back off, leaving nothing of it. */
  private async write(bytes: Buffer): Promise<void> {
    let segment = this.segments[this.segments.length - 1];
    if (segment === undefined || this.handle === null || (segment.size > 0 && segment.size + bytes.length > this.options.ingest.spoolSegmentBytes)) {
      await this.startSegment();
      segment = this.segments[this.segments.length - 1];
    }
    const handle = this.handle as FileHandle;
    const at = segment.size;
    try {
      let done = 0;
      while (done < bytes.length) {
        const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, at + done);
        done += bytesWritten;
      }
      if (this.options.ingest.fsync) await handle.datasync();
    } catch (err) {
      await handle.truncate(at).catch(() => {});
      throw err;
    }
    segment.size = at + bytes.length;
  }

  private async openForAppend(): Promise<void> {
    const last = this.segments[this.segments.length - 1];
    if (last === undefined || last.size >= this.options.ingest.spoolSegmentBytes) {
      await this.startSegment();
      return;
    }
    this.handle = await open(last.path, 'r+');
  }

  private async startSegment(): Promise<void> {
    await this.handle?.close();
    this.handle = null;
    const path = join(this.dir, segmentName(this.nextSeq));
    this.handle = await open(path, 'w');
    const last = this.segments[this.segments.length - 1];
    if (last !== undefined && last.seq === this.nextSeq) last.size = 0;
    else this.segments.push({ seq: this.nextSeq, path, size: 0 });
  }

  /** Deletes whole segments, oldest first, while over the cap; never one with lines not yet processed. */
  private async enforceCap(): Promise<void> {
    let total = this.segments.reduce((sum, segment) => sum + segment.size, 0);
    while (total > this.options.ingest.spoolMaxBytes && this.segments.length > 1 && this.segments[1].seq <= this.committed) {
      const oldest = this.segments.shift() as SegmentFile;
      total -= oldest.size;
      await unlink(oldest.path).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') this.options.logger.warn(`cannot delete old spool file ${oldest.path}: ${describeError(err)}`);
      });
    }
    if (total > this.options.ingest.spoolMaxBytes && this.segments.length > 1) {
      this.errors.report('cap', 'over', `the ingest spool holds ${total} bytes, over ingest.spoolMaxBytes, because lines are still being processed`);
    } else {
      this.errors.recover('cap');
    }
  }

  // ── handing to the pipeline, and commits ───────────────────────────────────────────────────────

  private deliver(part: IngestPart, lines: string[], start: number, receivedAt: number, backfill: boolean): void {
    if (lines.length === 0) return;
    const configured = this.options.ingest.sources[part.source];
    const batch: LineBatch = { source: part.source, lines, receivedAt };
    const format = part.format ?? configured?.format;
    if (format !== undefined) batch.format = format;
    if (configured?.timezone !== undefined) batch.timezone = configured.timezone;
    let stats = this.sources.get(part.source);
    if (stats === undefined) {
      stats = { lines: 0, position: 0 };
      this.sources.set(part.source, stats);
    }
    if (backfill) {
      batch.backfill = true;
    } else {
      stats.lines += lines.length;
      stats.position = start + lines.length;
      const entry: InFlight = { start, count: lines.length, done: 0, source: part.source };
      this.inFlight.push(entry);
      batch.onCommit = (held) => this.commit(entry, held);
    }
    try {
      this.options.sink.write(batch);
      // A request's lines are all there is until the next one: a held entry need not wait its full hold.
      this.options.sink.caughtUp?.(part.source);
    } catch (err) {
      this.options.logger.error(`processing ingested lines of ${part.source} failed: ${(err as Error).message}`);
      batch.onCommit?.(0);
    }
  }

  private commit(entry: InFlight, held: number): void {
    const done = held <= 0 ? entry.count : held < entry.count ? entry.count - held : 0;
    if (done <= entry.done) return;
    entry.done = done;
    const list = this.inFlight;
    let head = this.inFlightHead;
    while (head < list.length && list[head].done === list[head].count) head++;
    this.committed = head < list.length ? list[head].start + list[head].done : Math.max(this.committed, list[list.length - 1].start + list[list.length - 1].count);
    if (head > 1024 && head * 2 > list.length) {
      this.inFlight = list.slice(head);
      head = 0;
    }
    this.inFlightHead = head;
  }

  private saveCommitted(): Promise<void> {
    const run = this.saving.then(async () => {
      const committed = this.committed;
      const takenAt = this.options.clock();
      if (committed === this.savedCommitted) return;
      try {
        await writeCommitted(this.dir, committed);
        this.savedCommitted = committed;
        this.savedAt = takenAt;
        this.errors.recover('checkpoint');
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        this.errors.report('checkpoint', e.code ?? 'error', `cannot save the ingest spool checkpoint in ${this.dir}: ${describeError(e)}; retrying`, 'error');
      }
    });
    this.saving = run;
    return run;
  }
}
