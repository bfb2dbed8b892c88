// History on disk. The pipeline calls append() on its hot path: it only queues (no I/O, no encoding).
// A writer running on a timer encodes queued entries into rows and appends them to the journal (the
// entries are then durable: flush() resolves), keeps them in memory as the unsealed tail, and seals
// the tail into an immutable compressed segment when it reaches segmentBytes or segmentAgeMs.
//
// Crash invariant (journal, not rebuild): an entry is acknowledged once the journal write holding it
// completed, i.e. when a flush() called after its append() resolved. At open, each journal left by a
// crash is cut to its whole records and sealed, skipping rows whose sequence numbers a segment already
// holds (a crash after a segment's rename but before its journal's deletion): nothing acknowledged is
// lost and nothing is sealed twice. Entries queued but not yet journaled at a crash are lost to
// history, at most flushIntervalMs of them, unless their source reads them again. The sources replay
// what they had not checkpointed; what of it history already holds is recognised and left out
// (replay-filter.ts), so a crash doubles nothing either.
//
// Bounded: at most maxQueued entries wait; past that, entries are dropped from history (counted in
// stats().dropped and warned about), never the pipeline slowed: the ring, alerts and the stream still
// see them. Back-pressure would stall parsing behind a slow disk, which the design forbids.
import { mkdir, readdir, unlink } from 'node:fs/promises';
import { systemTimers, type Timers } from '../../timers.ts';
import { join } from 'node:path';
import { encodeRow, decodeRow, rowElided } from './codec.ts';
import { Catalog, partitionName, segmentFileName } from './catalog.ts';
import { Journal, recoverJournal } from './journal.ts';
import { histogram, scanForward, searchPage, type MemoryEntry, type Snapshot } from './reader.ts';
import { ReplayFilter } from './replay-filter.ts';
import { writeSegment, type SealRow } from './segment.ts';
import type { AppendEntry, HistogramBucket, HistogramRequest, HistoryEntry, HistoryOptions, HistoryPage, HistoryQuery, HistoryStats, PageRequest } from './types.ts';

const JOURNAL = /^journal-(\d{16})\.jnl$/;
const RETENTION_INTERVAL_MS = 60_000;
/** How long after a start that recovered a journal repeats of the sources' replay are looked for. */
const REPLAY_WINDOW_MS = 5 * 60_000;
/** Unsealed tail kept in memory at most while sealing fails, in segments' worth. */
const MAX_TAIL_SEGMENTS = 8;
/** Entries encoded and journaled per writer step (about 4 MiB of rows for typical lines). */
const PASS_ENTRIES = 10_000;

interface TailRow extends MemoryEntry {
  row: string;
  /** The row leaves the metadata to the reader (see elidable). */
  elide: boolean;
}

/** The store schedules only intervals (journal flushes, retention). */
export type HistoryTimers = Pick<Timers, 'setInterval' | 'clearInterval'>;

export class HistoryStore {
  private readonly segmentBytes: number;
  private readonly segmentAgeMs: number;
  private readonly blockBytes: number;
  private readonly maxQueued: number;
  private readonly warn: (message: string) => void;
  private queue: AppendEntry[] = [];
  private nextSeq: number;
  private tail: TailRow[] = [];
  private tailBytes = 0;
  private tailStartedAt = 0;
  private journal: Journal | null = null;
  private durableSeq: number;
  private waiters: Array<{ seq: number; resolve: () => void; reject: (err: Error) => void }> = [];
  private writing: Promise<void> | null = null;
  private flushTimer: unknown;
  private retentionTimer: unknown;
  private dropped = 0;
  private expiredSegments = 0;
  private closed = false;
  private lastWarning = '';
  private replay: ReplayFilter | null = null;

  private constructor(
    private readonly options: HistoryOptions,
    private readonly catalog: Catalog,
    private readonly timers: HistoryTimers,
  ) {
    this.segmentBytes = options.segmentBytes ?? 4 << 20;
    this.segmentAgeMs = options.segmentAgeMs ?? 60_000;
    this.blockBytes = options.blockBytes ?? 256 << 10;
    this.maxQueued = options.maxQueued ?? 200_000;
    this.warn = options.warn ?? (() => {});
    this.nextSeq = catalog.nextSeq;
    this.durableSeq = this.nextSeq;
  }

  /** Opens (or creates) the history in `options.dir`, sealing what a crash left in journals. */
  static async open(options: HistoryOptions, timers: HistoryTimers = systemTimers): Promise<HistoryStore> {
    const warn = options.warn ?? (() => {});
    const catalog = await Catalog.load(options.dir, warn);
    const store = new HistoryStore(options, catalog, timers);
    await store.recover();
    await store.enforceRetention();
    store.journal = await Journal.create(store.journalPath(store.nextSeq), store.nextSeq, options.fsync === true);
    store.flushTimer = timers.setInterval(() => store.kick(), options.flushIntervalMs ?? 200);
    store.retentionTimer = timers.setInterval(() => void store.enforceRetention(), RETENTION_INTERVAL_MS);
    return store;
  }

  /** Queues entries for history; synchronous and cheap (the pipeline's hot path). */
  append(entries: readonly AppendEntry[]): void {
    if (this.closed) return;
    if (this.replay !== null) {
      if (this.replay.active(this.options.clock())) entries = entries.filter((entry) => !(this.replay as ReplayFilter).isRepeat(entry));
      if (!this.replay.active(this.options.clock())) {
        if (this.replay.repeats > 0) this.warn(`history: left out ${this.replay.repeats} entries the sources read again after the crash (already in history)`);
        this.replay = null;
      }
    }
    let room = this.maxQueued - this.queue.length;
    for (let i = 0; i < entries.length; i++) {
      if (room <= 0) {
        this.dropped += entries.length - i;
        this.warnOnce(`history: writing cannot keep up; ${this.dropped} entries dropped from history so far (they are still shown and alerted on)`);
        return;
      }
      this.queue.push(entries[i]);
      this.nextSeq++;
      room--;
    }
  }

  /** Resolves once every entry appended before the call is in the journal (acknowledged). */
  flush(): Promise<void> {
    const seq = this.nextSeq;
    if (this.durableSeq >= seq) return this.sync();
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ seq, resolve, reject }));
    this.kick();
    return done;
  }

  /** One writer pass now, as the timer runs it: writes the queue, seals the tail if it is due. */
  async sync(): Promise<void> {
    // A pass already running may have looked at the clock and the queue before the caller changed them.
    while (this.writing !== null) await this.writing;
    this.kick();
    while (this.writing !== null) await this.writing;
  }

  /** Entries waiting for the writer (cheap: for callers that pace themselves). */
  /**
   * True when open() sealed journals a stop without shutdown left (a crash, kill -9): the sources will
   * send again what they read since their last checkpoint, for a while.
   */
  get recoveredFromCrash(): boolean {
    return this.replay !== null;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Writes what is queued, seals the tail (the next start has nothing to recover) and stops. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.timers.clearInterval(this.flushTimer);
    this.timers.clearInterval(this.retentionTimer);
    await this.flush();
    await this.writing;
    this.closed = true;
    if (this.tail.length > 0) {
      await this.seal();
      return;
    }
    // The journal holds only unsealed rows: with an empty tail it is empty.
    const journal = this.journal;
    this.journal = null;
    await journal?.close();
    if (journal !== null) await unlink(journal.path).catch(() => {});
  }

  search(request: PageRequest): Promise<HistoryPage> {
    return searchPage(this.snapshot(), request);
  }

  histogram(request: HistogramRequest): Promise<HistogramBucket[]> {
    return histogram(this.snapshot(), request);
  }

  /** Every match, oldest first, in batches; see reader.ts scanForward. */
  scan(query: HistoryQuery, visit: (entries: HistoryEntry[]) => boolean | void): Promise<void> {
    return scanForward(this.snapshot(), query, visit);
  }

  stats(): HistoryStats {
    let oldest = Number.POSITIVE_INFINITY;
    let newest = Number.NEGATIVE_INFINITY;
    let entries = 0;
    let rawBytes = 0;
    for (const segment of this.catalog.segments) {
      if (segment.minTime < oldest) oldest = segment.minTime;
      if (segment.maxTime > newest) newest = segment.maxTime;
      entries += segment.count;
      rawBytes += segment.rawBytes;
    }
    for (const { entry } of this.tail) {
      if (entry.time < oldest) oldest = entry.time;
      if (entry.time > newest) newest = entry.time;
    }
    for (const entry of this.queue) {
      if (entry.time < oldest) oldest = entry.time;
      if (entry.time > newest) newest = entry.time;
    }
    entries += this.tail.length + this.queue.length;
    const sealed = this.catalog.bytes;
    return {
      bytes: sealed + (this.journal?.bytes ?? 0),
      entries,
      segments: this.catalog.segments.length,
      rawBytes,
      compressionRatio: sealed === 0 ? 0 : rawBytes / sealed,
      oldest: entries === 0 ? null : oldest,
      newest: entries === 0 ? null : newest,
      queued: this.queue.length,
      dropped: this.dropped,
      expiredSegments: this.expiredSegments,
    };
  }

  /** Drops the oldest segments past maxAge or over maxBytes (also runs after each seal and every minute). */
  async enforceRetention(): Promise<void> {
    const budget = this.options.maxBytes - (this.journal?.bytes ?? 0);
    const expired = this.catalog.expire(this.options.clock(), this.options.maxAgeMs, Math.max(0, budget));
    if (expired.length === 0) return;
    this.expiredSegments += expired.length;
    await Catalog.remove(expired, this.warn);
  }

  // ── writing ────────────────────────────────────────────────────────────────────────────────────

  private snapshot(): Snapshot {
    return { memory: this.memory(), segments: this.catalog.segments.slice(), rebuild: this.options.metadata?.rebuild };
  }

  private memory(): MemoryEntry[] {
    const out: MemoryEntry[] = this.tail.slice();
    const first = this.nextSeq - this.queue.length;
    for (let i = 0; i < this.queue.length; i++) out.push({ seq: first + i, entry: this.queue[i] });
    return out;
  }

  private kick(): void {
    if (this.closed || this.writing !== null) return;
    if (this.queue.length === 0 && !this.sealDue()) return;
    this.writing = this.writeLoop().finally(() => {
      this.writing = null;
      // Entries appended between the loop's last check and now (a flush() that found it still running).
      if (this.waiters.length > 0) this.kick();
    });
  }

  /**
   * Whether the entry's metadata can be left out of its row: a parser deferred it (nobody has read it, so
   * nobody has changed it) and the injected rebuilder knows its format.
   */
  private elidable(entry: AppendEntry): boolean {
    const metadata = this.options.metadata;
    return metadata !== undefined && (entry as { metadataDeferred?: unknown }).metadataDeferred === true && metadata.formats.has(entry.format);
  }

  private sealDue(): boolean {
    return this.tail.length > 0 && (this.tailBytes >= this.segmentBytes || this.options.clock() - this.tailStartedAt >= this.segmentAgeMs);
  }

  private async writeLoop(): Promise<void> {
    while (this.queue.length > 0 || this.sealDue()) {
      if (this.queue.length > 0) {
        // At most a segment's worth per pass, so a burst still seals at about segmentBytes.
        const take = Math.min(this.queue.length, PASS_ENTRIES);
        const batch = take === this.queue.length ? this.queue : this.queue.slice(0, take);
        const firstSeq = this.nextSeq - this.queue.length;
        this.queue = take === this.queue.length ? [] : this.queue.slice(take);
        const rows: string[] = new Array(batch.length);
        if (this.tail.length === 0) this.tailStartedAt = this.options.clock();
        for (let i = 0; i < batch.length; i++) {
          const elide = this.elidable(batch[i]);
          const row = encodeRow(batch[i], elide);
          rows[i] = row;
          this.tail.push({ seq: firstSeq + i, entry: batch[i], row, elide });
          this.tailBytes += row.length + 1;
        }
        try {
          await (this.journal as Journal).append(firstSeq, rows);
          this.durableSeq = firstSeq + batch.length;
          this.settle(null);
        } catch (err) {
          // The rows stay in the tail and are sealed with it when the disk works again; only their
          // acknowledgement fails.
          this.warnOnce(`history: cannot write the journal in ${this.options.dir}: ${(err as Error).message}`);
          this.durableSeq = firstSeq + batch.length;
          this.settle(err as Error);
        }
      }
      if (this.sealDue()) {
        try {
          await this.seal();
        } catch (err) {
          this.warnOnce(`history: cannot seal a segment in ${this.options.dir}: ${(err as Error).message}; retrying`);
          this.boundTail();
          return;
        }
      }
    }
  }

  /**
   * While segments cannot be written (a full or read-only disk), the unsealed tail would grow without
   * end: past MAX_TAIL_SEGMENTS segments' worth, its oldest entries are dropped (counted) instead.
   */
  private boundTail(): void {
    const limit = this.segmentBytes * MAX_TAIL_SEGMENTS;
    if (this.tailBytes <= limit) return;
    let cut = 0;
    while (cut < this.tail.length && this.tailBytes > limit / 2) this.tailBytes -= this.tail[cut++].row.length + 1;
    this.tail = this.tail.slice(cut);
    this.dropped += cut;
    this.warn(`history: ${cut} unsealed entries dropped from memory because segments cannot be written in ${this.options.dir}`);
  }

  private settle(error: Error | null): void {
    const still: typeof this.waiters = [];
    for (const waiter of this.waiters) {
      if (waiter.seq > this.durableSeq) still.push(waiter);
      else if (error === null) waiter.resolve();
      else waiter.reject(error);
    }
    this.waiters = still;
  }

  /** Seals the whole tail: a new journal takes later rows, the segment is renamed in, the old journal deleted. */
  private async seal(): Promise<void> {
    const rows = this.tail;
    const firstSeq = rows[0].seq;
    const old = this.journal as Journal;
    const nextSeq = rows[rows.length - 1].seq + 1;
    // Closing: no journal after this one (an unwritten one would only be an empty file to recover).
    this.journal = this.closed ? null : await Journal.create(this.journalPath(nextSeq), nextSeq, this.options.fsync === true);
    await old.close();
    const meta = await this.writeRows(rows, firstSeq);
    // In one step for readers: the rows leave memory as the segment that holds them joins the catalog.
    this.catalog.add(meta);
    this.tail = this.tail.slice(rows.length);
    this.tailBytes = 0;
    for (const row of this.tail) this.tailBytes += row.row.length + 1;
    await unlink(old.path).catch(() => {});
    await this.enforceRetention();
  }

  private async writeRows(rows: readonly SealRow[], firstSeq: number) {
    const folder = join(this.options.dir, partitionName(this.options.clock()));
    await mkdir(folder, { recursive: true });
    return writeSegment(join(folder, segmentFileName(firstSeq)), rows, firstSeq, this.blockBytes, this.options.fsync === true);
  }

  /** Seals what journals left by a crash hold, exactly once. */
  private async recover(): Promise<void> {
    const names = (await readdir(this.options.dir)).filter((name) => JOURNAL.test(name)).sort();
    for (const name of names) {
      const path = join(this.options.dir, name);
      const { firstSeq, rows } = await recoverJournal(path);
      const sealedUpTo = this.catalog.nextSeq;
      const seal: SealRow[] = [];
      let start = -1;
      for (let i = 0; i < rows.length; i++) {
        const seq = firstSeq + i;
        if (seq < sealedUpTo) continue;
        if (start < 0) start = seq;
        const row = JSON.parse(rows[i]) as Parameters<typeof decodeRow>[0];
        seal.push({ entry: decodeRow(row, seq), elide: rowElided(row) });
      }
      if (seal.length > 0) {
        this.catalog.add(await this.writeRows(seal, start));
        this.options.warn?.(`history: sealed ${seal.length} entries a stop without shutdown left in ${name}`);
      }
      await unlink(path);
    }
    this.nextSeq = this.catalog.nextSeq;
    this.durableSeq = this.nextSeq;
    if (names.length > 0) {
      // A stop without shutdown: the newest history (the journals just sealed and the segment before
      // them) is what the sources may send again.
      const recent: HistoryEntry[] = [];
      await scanForward({ memory: [], segments: this.catalog.segments.slice(-2) }, {}, (batch) => {
        recent.push(...batch);
      });
      this.replay = new ReplayFilter(recent, this.options.clock() + REPLAY_WINDOW_MS);
    }
  }

  private journalPath(firstSeq: number): string {
    return join(this.options.dir, `journal-${String(firstSeq).padStart(16, '0')}.jnl`);
  }

  private warnOnce(message: string): void {
    const kind = message.slice(0, 40);
    if (kind === this.lastWarning) return;
    this.lastWarning = kind;
    this.warn(message);
  }
}
