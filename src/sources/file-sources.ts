// Follows every file the watch globs match: by device + inode, through rotation (rename, copy and
// truncate, delete and recreate, symlink switch) and restarts, reading each byte once.
//
// Reading is serialized per source name (a chain of files, oldest first: the rest of a rotated file is
// read before its successor); fs.watch events and the periodic scan only *kick* a chain, so the two can
// never read the same bytes twice.
import { watch, type FSWatcher, type Stats } from 'node:fs';
import { mkdir, realpath, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import process from 'node:process';
import type { LineBatch } from '../types.ts';
import { loadCheckpoint, saveCheckpoint, serializeCheckpoint, type FileCheckpoint } from './checkpoint-file.ts';
import { ErrorReporter } from './error-reporter.ts';
import { closeQuietly, openForRead, readAt, statFd } from './fd-io.ts';
import {
  EMPTY_FINGERPRINT,
  FINGERPRINT_BYTES,
  fileKey,
  findByKey,
  findCopy,
  fingerprintMatches,
  readFingerprint,
  statKey,
  type Fingerprint,
} from './file-identity.ts';
import { DescriptorBudget } from './descriptor-budget.ts';
import { findLastLines, readLineRange, type LineRange } from './file-history.ts';
import { describeError, FileTailer, ReadCursor } from './file-tailer.ts';
import { compileGlob, walkGlob, type CompiledGlob, type GlobMatch } from './glob.ts';
import { ReadSlots } from './read-slots.ts';
import type { FileSources, FileSourcesOptions, SourceStatus } from './types.ts';

/** Files of one source name, oldest first; read in that order, one read at a time. */
interface SourceChain {
  name: string;
  tailers: FileTailer[];
  pumping: Promise<void> | null;
  dirty: boolean;
}

interface MatchedFile extends GlobMatch {
  glob: CompiledGlob;
}

interface Probe {
  stats: Stats;
  key: string;
  realPath: string;
}

/** A path that matched but cannot be followed (shown in status until it works). */
interface PathError {
  name: string;
  path: string;
  error: string;
  at: number;
}

/** Beyond this many directories, the periodic scan alone notices changes (inotify watches are limited). */
const MAX_WATCHED_DIRS = 4096;
const READ_SLOTS = 8;
/** Event-triggered scans are at least this far apart (an event flood costs one scan per period). */
const MIN_SCAN_GAP_MS = 50;

export function createFileSources(options: FileSourcesOptions): FileSources {
  return new FileTailing(options);
}

class FileTailing implements FileSources {
  private readonly options: FileSourcesOptions;
  private readonly globs: CompiledGlob[];
  private readonly chains = new Map<string, SourceChain>();
  private readonly byKey = new Map<string, FileTailer>();
  /** Live files by the absolute path a glob matched. */
  private readonly byPath = new Map<string, FileTailer>();
  /** Live files by path and real path: what watch events name. */
  private readonly byWatchPath = new Map<string, FileTailer>();
  private readonly pathErrors = new Map<string, PathError>();
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly errors: ErrorReporter;
  private readonly slots: ReadSlots;
  private state: 'new' | 'starting' | 'running' | 'stopping' | 'stopped' = 'new';
  /** Descriptors open, or reserved for an open in progress. */
  private readonly descriptors: DescriptorBudget;
  private knownGlobs: string[] = [];
  private scanTimer: ReturnType<typeof setInterval> | undefined;
  private checkpointTimer: ReturnType<typeof setInterval> | undefined;
  private soonScan: ReturnType<typeof setTimeout> | undefined;
  private soonCheckpoint: ReturnType<typeof setTimeout> | undefined;
  private scanning: Promise<void> | null = null;
  private rescan = false;
  private lastScanAt = 0;
  private checkpointing: Promise<void> = Promise.resolve();
  private lastCheckpointText = '';

  constructor(options: FileSourcesOptions) {
    this.options = options;
    const cwd = options.cwd ?? process.cwd();
    this.globs = options.watch.map((entry) =>
      typeof entry === 'string' ? compileGlob(entry, cwd) : compileGlob(entry.path, cwd, { format: entry.format, timezone: entry.timezone }),
    );
    this.errors = new ErrorReporter(options.logger);
    this.slots = new ReadSlots(READ_SLOTS, options.files.readChunkBytes);
    this.descriptors = new DescriptorBudget(options.files.maxOpenFiles, () => this.evictIdle());
  }

  private get now(): number {
    return this.options.clock();
  }

  // ── start ──────────────────────────────────────────────────────────────────────────────────────

  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error('file sources can be started once; create new ones to start again');
    this.state = 'starting';
    await mkdir(this.options.stateDir, { recursive: true });
    const saved = await loadCheckpoint(this.options.stateDir, this.options.logger);
    const known = new Set(saved?.globs ?? []);
    this.knownGlobs = [...known];
    const savedByKey = new Map((saved?.files ?? []).map((entry) => [fileKey(entry.dev, entry.ino), entry]));
    const accounted = new Set<string>();
    // Per source: files resumed at a checkpoint come before files new to LogWatch.
    const resumedLive: FileTailer[] = [];
    const freshLive: FileTailer[] = [];
    const copies: FileTailer[] = [];
    const firstStart: FileTailer[] = [];
    const resumed: FileTailer[] = [];
    const mtimes = new Map<FileTailer, number>();

    const dirs = new Set<string>();
    for (const match of await this.walkAll(dirs)) {
      const probe = await this.probe(match);
      if (probe === null || this.byKey.has(probe.key)) continue;
      let entry = savedByKey.get(probe.key);
      const tailer = this.newTailer(match.name, match.path, probe, 0, match.glob);
      if (!(await this.openTailer(tailer)) && tailer.lastError === null) continue;
      mtimes.set(tailer, probe.stats.mtimeMs);
      if (entry !== undefined) {
        accounted.add(probe.key);
        const fingerprint = fingerprintOf(entry);
        if (tailer.fd !== null && (probe.stats.size < entry.offset || !(await fingerprintMatches(tailer.fd, fingerprint)))) {
          // The content does not continue the checkpointed one: copied and truncated while down (the
          // copy has the rest), truncated, or the inode was freed and reused. This file is new.
          const copy = await this.recoverCopy(entry, fingerprint);
          if (copy !== null) copies.push(copy);
          entry = undefined;
        }
      }
      if (entry !== undefined) {
        // Resume where the last run left off, under the name it had.
        const offset = entry.offset;
        tailer.source = entry.source;
        tailer.cursor = new ReadCursor(offset, this.options.files.maxLineBytes);
        if (offset > 0) resumed.push(tailer);
        this.register(tailer);
        resumedLive.push(tailer);
        continue;
      }
      // New to LogWatch: history then the end on a glob's first start, else (it appeared while
      // LogWatch was down) from its first byte.
      if (!known.has(match.glob.absolute)) firstStart.push(tailer);
      this.register(tailer);
      freshLive.push(tailer);
    }

    // Checkpointed files no glob matches now: rotated away while down, or still followed at the stop.
    const predecessors = new Map<string, FileTailer[]>();
    for (const entry of saved?.files ?? []) {
      const key = fileKey(entry.dev, entry.ino);
      if (accounted.has(key) || this.byKey.has(key)) continue;
      accounted.add(key);
      for (const tailer of await this.recoverRotated(entry, saved?.savedAt)) {
        this.register(tailer);
        const list = predecessors.get(tailer.source) ?? [];
        list.push(tailer);
        predecessors.set(tailer.source, list);
      }
    }
    for (const copy of copies) {
      this.register(copy);
      const list = predecessors.get(copy.source) ?? [];
      list.push(copy);
      predecessors.set(copy.source, list);
    }
    for (const [name, list] of predecessors) this.chain(name).tailers.push(...list);
    for (const tailer of [...resumedLive, ...freshLive]) this.chain(tailer.source).tailers.push(tailer);

    for (const tailer of [...resumedLive, ...freshLive]) dirs.add(dirname(tailer.realPath));
    await this.loadHistory(firstStart, resumed, mtimes);
    for (const tailer of this.byKey.values()) {
      if (tailer.fd !== null && tailer.fingerprint.length === 0) tailer.fingerprint = await this.safeFingerprint(tailer);
    }
    for (const glob of this.globs) if (!known.has(glob.absolute)) this.knownGlobs.push(glob.absolute);
    // Saved before anything is read live: a crash from here on never mistakes these files for new ones.
    await this.writeCheckpoint();

    this.state = 'running';
    this.syncWatchers(dirs);
    this.scanTimer = setInterval(() => void this.scan(), this.options.files.scanIntervalMs);
    this.checkpointTimer = setInterval(() => void this.writeCheckpoint(), this.options.files.checkpointIntervalMs);
    this.scanTimer.unref?.();
    this.checkpointTimer.unref?.();
    this.lastScanAt = this.now;
    for (const chain of this.chains.values()) this.kick(chain);
  }

  /**
   * Loads history: the last lines of files met for the first time (which are then tailed from the
   * end of their last complete line) and of files resumed at a checkpoint (lines before it), so the
   * buffer is not empty after a restart. The budget goes to the most recently written files.
   */
  private async loadHistory(firstStart: FileTailer[], resumed: FileTailer[], mtimes: Map<FileTailer, number>): Promise<void> {
    const { backfillLines, backfillTotalLines, maxLineBytes } = this.options.files;
    const all = [...firstStart, ...resumed].sort((a, b) => (mtimes.get(b) ?? 0) - (mtimes.get(a) ?? 0));
    const isFirst = new Set(firstStart);
    const buffer = await this.slots.acquire();
    try {
      // Newest first, so the budget goes to the most recently written files; each takes only the
      // lines it really has, leaving the rest of the budget to older files.
      let budget = backfillTotalLines;
      const plans: Array<{ tailer: FileTailer; range: LineRange }> = [];
      for (const tailer of all) {
        if (tailer.fd === null) await this.openTailer(tailer);
        const fd = tailer.fd;
        if (fd === null) {
          if (isFirst.has(tailer)) tailer.cursor = new ReadCursor(tailer.size, maxLineBytes);
          continue;
        }
        try {
          const limit = isFirst.has(tailer) ? tailer.size : tailer.cursor.readOffset;
          const range = await findLastLines(fd, limit, Math.min(backfillLines, budget), buffer);
          if (isFirst.has(tailer)) tailer.cursor = new ReadCursor(range.end, maxLineBytes);
          budget -= range.lines;
          if (range.lines > 0) plans.push({ tailer, range });
        } catch (err) {
          this.tailerError(tailer, err as NodeJS.ErrnoException, 'reading history of');
          if (isFirst.has(tailer)) tailer.cursor = new ReadCursor(tailer.size, maxLineBytes);
        }
      }
      // Read oldest first, so the most recently written file's history is the newest in the buffer.
      for (const { tailer, range } of plans.reverse()) {
        // Reopened when the descriptor budget closed it meanwhile (checked by device + inode).
        if (tailer.fd === null) await this.openTailer(tailer);
        const fd = tailer.fd;
        if (fd === null) continue;
        try {
          const receivedAt = this.now;
          const cursor = tailer.cursor;
          tailer.backfilled += await readLineRange(fd, range, maxLineBytes, buffer, (batchLines) =>
            this.write(tailer.batch(cursor, batchLines, [], receivedAt, true)),
          );
        } catch (err) {
          this.tailerError(tailer, err as NodeJS.ErrnoException, 'reading history of');
        }
      }
    } finally {
      this.slots.release(buffer);
    }
  }

  /**
   * A checkpointed file no glob matches now (renamed away while down, or still followed at the stop),
   * looked for by inode next to where it was. Returns what to read, oldest first: the file from its
   * checkpoint; or, when its content was replaced meanwhile (copied and truncated, then renamed), the
   * copy from the checkpoint and then the file's new content from 0.
   */
  private async recoverRotated(entry: FileCheckpoint, savedAt: number | undefined): Promise<FileTailer[]> {
    const key = fileKey(entry.dev, entry.ino);
    const fingerprint = fingerprintOf(entry);
    let found: { path: string; stats: Stats } | null = null;
    for (const candidate of new Set([entry.realPath, entry.path])) {
      try {
        const stats = await stat(candidate);
        if (statKey(stats) === key) {
          found = { path: candidate, stats };
          break;
        }
      } catch {
        // Not there any more.
      }
    }
    found ??= (await findByKey(dirname(entry.realPath), key)) ?? (await findByKey(dirname(entry.path), key));
    if (found === null) {
      const copy = await this.recoverCopy(entry, fingerprint);
      if (copy !== null) return [copy];
      this.options.logger.info(
        `${entry.source}: ${entry.realPath} was removed while LogWatch was stopped; lines written to it after the last checkpoint could not be read`,
      );
      return [];
    }
    const realPath = await realpath(found.path).catch(() => found.path);
    const tailer = this.newTailer(entry.source, found.path, { stats: found.stats, key, realPath }, entry.offset, entryOptions(entry));
    tailer.rotatedAt = this.now;
    if (!(await this.openTailer(tailer, found.path))) return [];
    if (found.stats.size >= entry.offset && (await fingerprintMatches(tailer.fd as number, fingerprint))) {
      tailer.fingerprint = fingerprint;
      return [tailer];
    }
    const copy = await this.recoverCopy(entry, fingerprint);
    const out = copy === null ? [] : [copy];
    // Born after the checkpoint: another file that got the freed inode, not this source's.
    const born = found.stats.birthtimeMs;
    if (savedAt !== undefined && born > 0 && born > savedAt) {
      await this.closeTailer(tailer);
      return out;
    }
    tailer.cursor = new ReadCursor(0, this.options.files.maxLineBytes);
    out.push(tailer);
    return out;
  }

  /** After a copy-and-truncate while LogWatch was down: the copy holds the rest of the old content. */
  private async recoverCopy(entry: FileCheckpoint, fingerprint: Fingerprint): Promise<FileTailer | null> {
    const found = await findCopy(dirname(entry.realPath), fingerprint, entry.offset, new Set(this.byKey.keys()).add(fileKey(entry.dev, entry.ino)));
    if (found === null) return null;
    const realPath = await realpath(found.path).catch(() => found.path);
    const tailer = this.newTailer(entry.source, found.path, { stats: found.stats, key: statKey(found.stats), realPath }, entry.offset, entryOptions(entry));
    tailer.rotatedAt = this.now;
    if (!(await this.openTailer(tailer, found.path))) return null;
    tailer.fingerprint = fingerprint;
    this.options.logger.info(`${entry.source}: was copied and truncated while LogWatch was stopped; reading the rest from ${found.path}`);
    return tailer;
  }

  // ── stop ───────────────────────────────────────────────────────────────────────────────────────

  async stop(): Promise<void> {
    if (this.state === 'new') {
      this.state = 'stopped';
      return;
    }
    if (this.state !== 'running') return;
    this.state = 'stopping';
    clearInterval(this.scanTimer);
    clearInterval(this.checkpointTimer);
    clearTimeout(this.soonScan);
    clearTimeout(this.soonCheckpoint);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
    await this.scanning;
    // Reads waiting for a descriptor go ahead (and return at once): nothing may wait forever now.
    this.descriptors.unlimit();
    await Promise.all([...this.chains.values()].map((chain) => chain.pumping));

    // Rotated and deleted files may be gone at the next start: read what is left of them now.
    const deadline = this.now + this.options.files.stopTimeoutMs;
    for (const chain of this.chains.values()) {
      for (const tailer of chain.tailers) {
        if (!tailer.isRotated) continue;
        await this.drain(chain, tailer, deadline);
        if (tailer.deleted) this.emitPartial(tailer);
      }
    }
    for (const chain of this.chains.values()) {
      for (const tailer of chain.tailers) clearTimeout(tailer.partialTimer);
      try {
        this.options.sink.flush(chain.name);
      } catch (err) {
        this.options.logger.error(`flushing ${chain.name} failed: ${(err as Error).message}`);
      }
    }
    await this.writeCheckpoint();
    for (const tailer of this.byKey.values()) await this.closeTailer(tailer);
    this.state = 'stopped';
  }

  // ── status ─────────────────────────────────────────────────────────────────────────────────────

  status(): SourceStatus[] {
    const rows: SourceStatus[] = [];
    for (const chain of this.chains.values()) {
      for (const t of chain.tailers) {
        rows.push({
          name: t.source,
          kind: 'file',
          path: t.path,
          dev: t.dev,
          inode: t.ino,
          offset: t.cursor.readOffset,
          size: t.size,
          lag: Math.max(0, t.size - t.cursor.readOffset),
          lines: t.lines,
          lastError: t.lastError,
          lastErrorAt: t.lastErrorAt === null ? null : new Date(t.lastErrorAt).toISOString(),
          state: t.isRotated ? 'rotated' : 'live',
          committedOffset: t.cursor.committed,
          checkpointOffset: t.checkpointOffset,
          checkpointAt: t.checkpointAt === null ? null : new Date(t.checkpointAt).toISOString(),
          backfilled: t.backfilled,
          truncatedLines: t.truncatedLines,
        });
      }
    }
    for (const e of this.pathErrors.values()) {
      rows.push({
        name: e.name,
        kind: 'file',
        path: e.path,
        dev: null,
        inode: null,
        offset: 0,
        size: 0,
        lag: 0,
        lines: 0,
        lastError: e.error,
        lastErrorAt: new Date(e.at).toISOString(),
        state: 'live',
        committedOffset: 0,
        checkpointOffset: null,
        checkpointAt: null,
        backfilled: 0,
        truncatedLines: 0,
      });
    }
    return rows;
  }

  // ── scanning and watching ──────────────────────────────────────────────────────────────────────

  private async walkAll(dirs: Set<string>): Promise<MatchedFile[]> {
    const out: MatchedFile[] = [];
    const seen = new Set<string>();
    for (const glob of this.globs) {
      const matches = await walkGlob(glob, {
        onDirectory: (dir) => dirs.add(dir),
        onError: (path, err) => this.pathError(glob.pattern, path, err),
      });
      for (const match of matches) {
        if (seen.has(match.path)) continue;
        seen.add(match.path);
        out.push({ ...match, glob });
      }
    }
    return out;
  }

  /** Stat through symlinks; a matched path that is not a readable regular file is skipped or shown as an error. */
  private async probe(match: MatchedFile): Promise<Probe | null> {
    let stats: Stats;
    try {
      stats = await stat(match.path);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code !== 'ENOENT') this.pathError(match.name, match.path, e);
      return null;
    }
    if (!stats.isFile()) return null;
    this.clearPathError(match.path);
    const realPath = await realpath(match.path).catch(() => match.path);
    return { stats, key: statKey(stats), realPath };
  }

  private scanSoon(): void {
    if (this.soonScan !== undefined || this.state !== 'running') return;
    const wait = Math.max(0, this.lastScanAt + MIN_SCAN_GAP_MS - this.now);
    this.soonScan = setTimeout(() => {
      this.soonScan = undefined;
      void this.scan();
    }, wait);
    this.soonScan.unref?.();
  }

  private scan(): Promise<void> {
    if (this.state !== 'running') return Promise.resolve();
    if (this.scanning !== null) {
      this.rescan = true;
      return this.scanning;
    }
    this.scanning = Promise.resolve()
      .then(async () => {
        do {
          this.rescan = false;
          this.lastScanAt = this.now;
          await this.scanOnce();
        } while (this.rescan && this.state === 'running');
      })
      .catch((err: unknown) => this.options.logger.error(`scanning watched files failed: ${(err as Error).message}; retrying at the next scan`))
      .finally(() => {
        this.scanning = null;
      });
    return this.scanning;
  }

  private async scanOnce(): Promise<void> {
    const dirs = new Set<string>();
    const matches = await this.walkAll(dirs);
    const seenPaths = new Set<string>();
    const seenKeys = new Set<string>();
    let changed = false;
    for (const match of matches) {
      if (this.state !== 'running') return;
      const probe = await this.probe(match);
      if (probe === null) continue;
      seenPaths.add(match.path);
      seenKeys.add(probe.key);
      const current = this.byPath.get(match.path);
      if (current !== undefined && current.key === probe.key) {
        this.noticeSize(current, probe.stats.size);
        continue;
      }
      if (current !== undefined) this.rotateAway(current);
      const known = this.byKey.get(probe.key);
      if (known !== undefined) {
        // A file already followed shows up here (renamed into the glob, or a symlink now points at it).
        known.path = match.path;
        known.rotatedAt = null;
        this.byPath.set(match.path, known);
        this.byWatchPath.set(match.path, known);
        this.byWatchPath.set(known.realPath, known);
        this.noticeSize(known, probe.stats.size);
        continue;
      }
      // A new file since start: read from its first byte.
      const tailer = this.newTailer(match.name, match.path, probe, 0, match.glob);
      if (!(await this.openTailer(tailer)) && tailer.lastError === null) continue;
      if (this.state !== 'running' || this.byKey.has(tailer.key)) {
        await this.closeTailer(tailer);
        continue;
      }
      this.register(tailer);
      const chain = this.chain(tailer.source);
      chain.tailers.push(tailer);
      this.kick(chain);
      changed = true;
    }
    for (const [path, tailer] of this.byPath) {
      if (seenPaths.has(path)) continue;
      this.byPath.delete(path);
      if (!seenKeys.has(tailer.key)) this.rotateAway(tailer);
    }
    await this.checkRotated();
    for (const tailer of this.byKey.values()) {
      // Files that could not be opened are retried at each scan (closed idle ones only when they grow).
      if (tailer.fd === null && tailer.lastError !== null && !tailer.isRotated) this.kick(this.chain(tailer.source));
      if (!tailer.isRotated) dirs.add(dirname(tailer.realPath));
    }
    this.syncWatchers(dirs);
    if (changed) this.checkpointSoon();
  }

  /** Follows rotated files: reads late writes, retires them once drained and quiet for `followRotatedMs`. */
  private async checkRotated(): Promise<void> {
    const now = this.now;
    for (const tailer of [...this.byKey.values()]) {
      if (!tailer.isRotated) continue;
      const chain = this.chain(tailer.source);
      if (tailer.fd === null && !(await this.reopenRotated(tailer))) {
        if (chain.pumping === null) await this.retire(chain, tailer);
        continue;
      }
      try {
        const stats = await statFd(tailer.fd as number);
        tailer.size = stats.size;
        tailer.deleted = stats.nlink === 0;
      } catch (err) {
        this.tailerError(tailer, err as NodeJS.ErrnoException, 'checking');
        continue;
      }
      if (tailer.size !== tailer.cursor.readOffset) {
        this.kick(chain);
        continue;
      }
      const quietSince = Math.max(tailer.rotatedAt as number, tailer.lastDataAt);
      if (now - quietSince >= this.options.files.followRotatedMs && chain.pumping === null) await this.retire(chain, tailer);
    }
  }

  /** A file closed while idle (too many open) was rotated meanwhile: look for it next to where it was. */
  private async reopenRotated(tailer: FileTailer): Promise<boolean> {
    const found = await findByKey(dirname(tailer.realPath), tailer.key);
    if (found !== null && (await this.openTailer(tailer, found.path))) return true;
    this.options.logger.info(`${tailer.source}: ${tailer.path} was rotated away while closed and cannot be found; it is no longer followed`);
    return false;
  }

  private noticeSize(tailer: FileTailer, size: number): void {
    if (size > tailer.size && tailer.fingerprint.length === FINGERPRINT_BYTES) tailer.verifyContent = true;
    tailer.size = size;
    if (size !== tailer.cursor.readOffset || tailer.verifyContent) this.kick(this.chain(tailer.source));
  }

  private rotateAway(tailer: FileTailer): void {
    if (tailer.rotatedAt === null) tailer.rotatedAt = this.now;
    for (const [path, t] of this.byPath) if (t === tailer) this.byPath.delete(path);
    for (const [path, t] of this.byWatchPath) if (t === tailer) this.byWatchPath.delete(path);
    this.kick(this.chain(tailer.source));
    this.checkpointSoon();
  }

  private async retire(chain: SourceChain, tailer: FileTailer): Promise<void> {
    this.emitPartial(tailer);
    clearTimeout(tailer.partialTimer);
    await this.closeTailer(tailer);
    this.byKey.delete(tailer.key);
    chain.tailers = chain.tailers.filter((t) => t !== tailer);
    if (chain.tailers.length === 0) this.chains.delete(chain.name);
    this.checkpointSoon();
  }

  private syncWatchers(dirs: Set<string>): void {
    if (this.state !== 'running') return;
    for (const [dir, watcher] of this.watchers) {
      if (!dirs.has(dir)) {
        watcher.close();
        this.watchers.delete(dir);
      }
    }
    for (const dir of dirs) {
      if (this.watchers.has(dir)) continue;
      if (this.watchers.size >= MAX_WATCHED_DIRS) {
        this.errors.report('watch-limit', 'limit', `watching more than ${MAX_WATCHED_DIRS} directories; the others are checked by the periodic scan only`);
        break;
      }
      try {
        const watcher = watch(dir, { persistent: false }, (event, filename) => this.onWatchEvent(dir, event, filename));
        watcher.on('error', (err: NodeJS.ErrnoException) => {
          this.errors.report(`watch:${dir}`, err.code ?? 'error', `watching ${dir} failed (${describeError(err)}); the periodic scan covers it`);
          watcher.close();
          this.watchers.delete(dir);
        });
        this.watchers.set(dir, watcher);
        this.errors.recover(`watch:${dir}`);
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        const hint = e.code === 'ENOSPC' ? ' (inotify watch limit reached: raise fs.inotify.max_user_watches)' : '';
        this.errors.report(`watch:${dir}`, e.code ?? 'error', `cannot watch ${dir}: ${describeError(e)}${hint}; the periodic scan covers it`);
      }
    }
  }

  /** Watch events are hints: they kick the file named, or bring the next scan forward. */
  private onWatchEvent(dir: string, event: string, filename: string | Buffer | null): void {
    if (this.state !== 'running') return;
    if (filename !== null) {
      const tailer = this.byWatchPath.get(`${dir}/${filename.toString()}`);
      if (tailer !== undefined) {
        this.kick(this.chain(tailer.source));
        // Created, deleted or renamed: the path may hold another file now.
        if (event === 'rename') this.scanSoon();
        return;
      }
    }
    // Unknown name: a file created, renamed or deleted, or a rotated file written late.
    for (const tailer of this.byKey.values()) if (tailer.isRotated) this.kick(this.chain(tailer.source));
    this.scanSoon();
  }

  // ── reading ────────────────────────────────────────────────────────────────────────────────────

  private chain(name: string): SourceChain {
    let chain = this.chains.get(name);
    if (chain === undefined) {
      chain = { name, tailers: [], pumping: null, dirty: false };
      this.chains.set(name, chain);
    }
    return chain;
  }

  private kick(chain: SourceChain): void {
    if (this.state !== 'running') return;
    chain.dirty = true;
    if (chain.pumping === null) chain.pumping = Promise.resolve().then(() => this.pump(chain));
  }

  /** Reads the chain's files in order until none has more; restarts from the oldest when it changed. */
  private async pump(chain: SourceChain): Promise<void> {
    try {
      while (chain.dirty && this.state === 'running') {
        chain.dirty = false;
        for (const tailer of chain.tailers.slice()) {
          if (!chain.tailers.includes(tailer)) continue;
          if (await this.drain(chain, tailer)) {
            chain.dirty = true;
            break;
          }
          if (this.state !== 'running') break;
        }
      }
    } catch (err) {
      this.options.logger.error(`reading ${chain.name} failed: ${(err as Error).message}; retrying at the next scan`);
    } finally {
      chain.pumping = null;
    }
  }

  /**
   * Reads one file to its end. Returns true when the chain changed (a copy of the old content was
   * put before this file), so reading must start over from the oldest file.
   */
  private async drain(chain: SourceChain, tailer: FileTailer, deadline?: number): Promise<boolean> {
    // While set, the descriptor is never closed for the budget: a closed and reused number could
    // otherwise be read as if it were this file.
    tailer.reading = true;
    try {
      return await this.drainOpen(chain, tailer, deadline);
    } finally {
      tailer.reading = false;
      if (this.descriptors.hasWaiters) this.descriptors.serve();
    }
  }

  private async drainOpen(chain: SourceChain, tailer: FileTailer, deadline: number | undefined): Promise<boolean> {
    if (tailer.fd === null && !(await this.openTailer(tailer))) return false;
    const fd = tailer.fd as number;
    if (tailer.verifyContent) {
      tailer.verifyContent = false;
      let same: boolean;
      try {
        same = await fingerprintMatches(fd, tailer.fingerprint);
      } catch (err) {
        this.tailerError(tailer, err as NodeJS.ErrnoException, 'reading');
        return false;
      }
      if (!same) return this.contentReplaced(chain, tailer);
    }
    const chunk = this.options.files.readChunkBytes;
    for (;;) {
      // A pump stops at once when LogWatch stops; the final read of rotated files has a deadline.
      if (this.state !== 'running' && (deadline === undefined || this.now > deadline)) return false;
      const buffer = await this.slots.acquire();
      let n: number;
      try {
        n = await readAt(fd, buffer, chunk, tailer.cursor.readOffset);
      } catch (err) {
        this.slots.release(buffer);
        this.tailerError(tailer, err as NodeJS.ErrnoException, 'reading');
        return false;
      }
      if (tailer.fd !== fd) {
        // Closed while the read was in flight (stop or retirement): the bytes are read again later.
        this.slots.release(buffer);
        return false;
      }
      if (n === 0) {
        this.slots.release(buffer);
        let stats: Stats;
        try {
          stats = await statFd(fd);
        } catch (err) {
          this.tailerError(tailer, err as NodeJS.ErrnoException, 'checking');
          return false;
        }
        tailer.size = stats.size;
        tailer.deleted = stats.nlink === 0;
        if (stats.size < tailer.cursor.readOffset) return this.contentReplaced(chain, tailer);
        this.atEndOfFile(chain, tailer);
        return false;
      }
      const batch = tailer.consume(buffer, n, this.now);
      this.slots.release(buffer);
      if (tailer.lastError !== null) this.recovered(tailer);
      tailer.lastUsedAt = this.now;
      if (tailer.cursor.readOffset > tailer.size) tailer.size = tailer.cursor.readOffset;
      if (batch !== null) this.write(batch);
      if (tailer.fingerprint.length < FINGERPRINT_BYTES && tailer.cursor.readOffset > tailer.fingerprint.length) {
        tailer.fingerprint = await this.safeFingerprint(tailer);
      }
      if (n < chunk) {
        this.atEndOfFile(chain, tailer);
        return false;
      }
    }
  }

  /**
   * The file shrank or no longer starts with the bytes it did: copied and truncated, or truncated and
   * rewritten. The rest of the old content is read from a copy when one is found next to it; the
   * file itself is read again from 0.
   */
  private async contentReplaced(chain: SourceChain, tailer: FileTailer): Promise<boolean> {
    const oldFingerprint = tailer.fingerprint;
    const old = tailer.restartFromZero();
    clearTimeout(tailer.partialTimer);
    tailer.partialDue = false;
    let copy: FileTailer | null = null;
    const found = await findCopy(dirname(tailer.realPath), oldFingerprint, old.readOffset, new Set(this.byKey.keys()));
    if (found !== null && !this.byKey.has(statKey(found.stats))) {
      const realPath = await realpath(found.path).catch(() => found.path);
      copy = this.newTailer(tailer.source, found.path, { stats: found.stats, key: statKey(found.stats), realPath }, 0, tailer);
      copy.cursor = old;
      copy.fingerprint = oldFingerprint;
      copy.rotatedAt = this.now;
      if (await this.openTailer(copy, found.path)) {
        this.register(copy);
        chain.tailers.splice(chain.tailers.indexOf(tailer), 0, copy);
      } else {
        copy = null;
      }
    }
    if (copy === null) {
      // The old content is gone: what was read of its unfinished last line is all there is.
      const lines: string[] = [];
      const ends: number[] = [];
      if (old.splitter.flushPartial(old.readOffset, lines, ends)) this.write(tailer.batch(old, lines, ends, this.now, false));
    }
    this.options.logger.info(
      `${tailer.source}: ${tailer.path} was truncated or rewritten; reading it again from the start${copy === null ? '' : ` after the rest of its copy ${copy.path}`}`,
    );
    this.checkpointSoon();
    return true;
  }

  /** An unfinished last line is emitted once it has waited `partialLineTimeoutMs` without growing. */
  private atEndOfFile(chain: SourceChain, tailer: FileTailer): void {
    const pending = tailer.cursor.splitter.pendingBytes;
    if (pending === 0) {
      clearTimeout(tailer.partialTimer);
      tailer.partialTimer = undefined;
      tailer.partialDue = false;
      this.caughtUp(tailer);
      return;
    }
    if (tailer.partialDue) {
      tailer.partialDue = false;
      this.emitPartial(tailer);
      this.caughtUp(tailer);
      return;
    }
    // The wait starts when the unfinished line last grew, not at every look at the file.
    if (pending === tailer.partialBytes && tailer.partialTimer !== undefined) return;
    tailer.partialBytes = pending;
    clearTimeout(tailer.partialTimer);
    tailer.partialTimer = setTimeout(() => {
      tailer.partialTimer = undefined;
      tailer.partialDue = true;
      this.kick(chain);
    }, this.options.files.partialLineTimeoutMs);
    tailer.partialTimer.unref?.();
  }

  private emitPartial(tailer: FileTailer): void {
    const batch = tailer.flushPartial(this.now);
    if (batch !== null) this.write(batch);
  }

  /**
   * Every line written so far is handed over: a held multi-line entry need not wait its full hold. The
   * check says whether the file grew since (a write whose watch event is late): then the entry waits on.
   */
  private caughtUp(tailer: FileTailer): void {
    const fd = tailer.fd;
    const more = async (): Promise<boolean> => {
      if (fd === null || tailer.fd !== fd) return false;
      try {
        return (await statFd(fd)).size > tailer.cursor.readOffset;
      } catch {
        return false;
      }
    };
    try {
      this.options.sink.caughtUp?.(tailer.source, more);
    } catch (err) {
      this.options.logger.error(`releasing the held entry of ${tailer.source} failed: ${(err as Error).message}`);
    }
  }

  /** Hands a batch to the pipeline. A failing pipeline must not stop tailing (nor replay the batch forever). */
  private write(batch: LineBatch): void {
    try {
      this.options.sink.write(batch);
      this.errors.recover('sink');
    } catch (err) {
      this.errors.report('sink', 'throw', `processing lines of ${batch.source} failed: ${(err as Error).message}`, 'error');
      batch.onCommit?.(0);
    }
  }

  // ── descriptors ────────────────────────────────────────────────────────────────────────────────

  private newTailer(source: string, path: string, probe: Probe, offset: number, options: { format?: string; timezone?: string }): FileTailer {
    const tailer = new FileTailer({
      source,
      path,
      realPath: probe.realPath,
      dev: probe.stats.dev,
      ino: probe.stats.ino,
      key: probe.key,
      offset,
      maxLineBytes: this.options.files.maxLineBytes,
      format: options.format,
      timezone: options.timezone,
      now: this.now,
    });
    tailer.size = probe.stats.size;
    return tailer;
  }

  private register(tailer: FileTailer): void {
    this.byKey.set(tailer.key, tailer);
    if (tailer.isRotated) return;
    this.byPath.set(tailer.path, tailer);
    this.byWatchPath.set(tailer.path, tailer);
    this.byWatchPath.set(tailer.realPath, tailer);
  }

  /**
   * Opens the file and checks it is still the one identified (a path can change hands between a stat
   * and an open). False when it cannot be opened now; the error is shown and retried later.
   */
  private async openTailer(tailer: FileTailer, path = tailer.path): Promise<boolean> {
    if (tailer.fd !== null) return true;
    await this.descriptors.reserve();
    if (tailer.fd !== null) {
      this.descriptors.release();
      return true;
    }
    let fd: number;
    try {
      fd = await openForRead(path);
    } catch (err) {
      this.descriptors.release();
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'EMFILE' || e.code === 'ENFILE') {
        // A process-wide condition: one message, a smaller budget, and the open is retried later.
        // Leave a quarter of what was open for the rest of the process (client connections, state files).
        const limit = this.descriptors.shrink();
        this.errors.report('emfile', 'emfile', `too many open files: keeping at most ${limit} files open from now on (raise the limit with ulimit -n)`);
        tailer.setError(e, this.now);
        return false;
      }
      if (e.code === 'ENOENT' && tailer.isRotated) return false;
      this.tailerError(tailer, e, 'opening');
      return false;
    }
    try {
      const stats = await statFd(fd);
      if (statKey(stats) !== tailer.key) {
        await closeQuietly(fd);
        this.descriptors.release();
        return false;
      }
      tailer.size = stats.size;
    } catch (err) {
      await closeQuietly(fd);
      this.descriptors.release();
      this.tailerError(tailer, err as NodeJS.ErrnoException, 'opening');
      return false;
    }
    if (tailer.fd !== null) {
      // Opened twice concurrently: keep the first.
      await closeQuietly(fd);
      this.descriptors.release();
      return true;
    }
    tailer.fd = fd;
    if (tailer.lastError !== null) this.recovered(tailer);
    return true;
  }

  /** Waits for room under the descriptor budget (closing an idle file if that makes room) and takes it. */
  /**
   * Closes the least recently read live file, preferably one read to its end (it is reopened, and
   * checked by device + inode, when it grows). Rotated files keep theirs: it is their only way in.
   */
  private evictIdle(): boolean {
    let victim: FileTailer | undefined;
    let victimIdle = false;
    for (const tailer of this.byKey.values()) {
      if (tailer.fd === null || tailer.isRotated || tailer.reading) continue;
      const idle = tailer.cursor.readOffset >= tailer.size;
      if (victim === undefined || (idle && !victimIdle) || (idle === victimIdle && tailer.lastUsedAt < victim.lastUsedAt)) {
        victim = tailer;
        victimIdle = idle;
      }
    }
    if (victim === undefined) return false;
    void this.detach(victim);
    return true;
  }

  private async closeTailer(tailer: FileTailer): Promise<void> {
    const closing = this.detach(tailer);
    this.descriptors.serve();
    await closing;
  }

  /** Takes the descriptor away from the file and closes it; its budget slot is free at once. */
  private async detach(tailer: FileTailer): Promise<void> {
    const fd = tailer.fd;
    if (fd === null) return;
    tailer.fd = null;
    this.descriptors.freed();
    await closeQuietly(fd);
  }

  private async safeFingerprint(tailer: FileTailer): Promise<Fingerprint> {
    if (tailer.fd === null) return tailer.fingerprint;
    try {
      return await readFingerprint(tailer.fd);
    } catch {
      return tailer.fingerprint;
    }
  }

  // ── errors ─────────────────────────────────────────────────────────────────────────────────────

  private tailerError(tailer: FileTailer, err: NodeJS.ErrnoException, doing: string): void {
    tailer.setError(err, this.now);
    const hint = err.code === 'EACCES' ? ' (check the file permissions)' : '';
    this.errors.report(`file:${tailer.key}`, err.code ?? 'error', `${doing} ${tailer.path} (${tailer.source}) failed: ${describeError(err)}${hint}; retrying`);
  }

  private recovered(tailer: FileTailer): void {
    tailer.clearError();
    this.errors.recover(`file:${tailer.key}`);
  }

  private pathError(name: string, path: string, err: NodeJS.ErrnoException): void {
    const hint = err.code === 'EACCES' ? ' (check the permissions)' : '';
    this.pathErrors.set(path, { name, path, error: describeError(err), at: this.now });
    this.errors.report(`path:${path}`, err.code ?? 'error', `cannot read ${path} (${name}): ${describeError(err)}${hint}; retrying at each scan`);
  }

  private clearPathError(path: string): void {
    if (this.pathErrors.delete(path)) this.errors.recover(`path:${path}`);
  }

  // ── checkpoints ────────────────────────────────────────────────────────────────────────────────

  private checkpointSoon(): void {
    if (this.soonCheckpoint !== undefined || this.state !== 'running') return;
    this.soonCheckpoint = setTimeout(() => {
      this.soonCheckpoint = undefined;
      void this.writeCheckpoint();
    }, 0);
    this.soonCheckpoint.unref?.();
  }

  /** Writes are queued one after the other; each writes the state at its turn. */
  private writeCheckpoint(): Promise<void> {
    const run = this.checkpointing.then(() => this.saveNow());
    this.checkpointing = run.catch(() => {});
    return this.checkpointing;
  }

  private async saveNow(): Promise<void> {
    const takenAt = this.now;
    const files: FileCheckpoint[] = [];
    const written: Array<[FileTailer, number]> = [];
    for (const chain of this.chains.values()) {
      for (const t of chain.tailers) {
        const offset = t.cursor.committed;
        const entry: FileCheckpoint = {
          source: t.source,
          path: t.path,
          realPath: t.realPath,
          dev: t.dev,
          ino: t.ino,
          offset,
          fpLength: t.fingerprint.length,
          fpHash: t.fingerprint.hash,
          rotated: t.isRotated,
        };
        if (t.format !== undefined) entry.format = t.format;
        if (t.timezone !== undefined) entry.timezone = t.timezone;
        files.push(entry);
        written.push([t, offset]);
      }
    }
    // Unchanged state is not written again: the file on disk already says the same.
    const state = JSON.stringify([this.knownGlobs, files]);
    if (state !== this.lastCheckpointText) {
      try {
        await saveCheckpoint(this.options.stateDir, serializeCheckpoint({ version: 1, savedAt: takenAt, globs: this.knownGlobs, files }));
        this.lastCheckpointText = state;
        this.errors.recover('checkpoint');
      } catch (err) {
        this.errors.report(
          'checkpoint',
          (err as NodeJS.ErrnoException).code ?? 'error',
          `cannot write the file checkpoint in ${this.options.stateDir}: ${describeError(err as NodeJS.ErrnoException)}; retrying`,
          'error',
        );
        return;
      }
    }
    for (const [tailer, offset] of written) {
      tailer.checkpointOffset = offset;
      tailer.checkpointAt = takenAt;
    }
  }
}

function fingerprintOf(entry: FileCheckpoint): Fingerprint {
  return entry.fpLength === 0 ? EMPTY_FINGERPRINT : { length: entry.fpLength, hash: entry.fpHash };
}

function entryOptions(entry: FileCheckpoint): { format?: string; timezone?: string } {
  return { format: entry.format, timezone: entry.timezone };
}
