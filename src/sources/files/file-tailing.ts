// The file source's orchestrator: lifecycle (start, stop, status) and the pump. Everything else is a
// piece of its own beside it: path discovery, watch hints, the registry of followed files, the resume
// plan, history, the followed file itself and the checkpointer.
//
// Reading is serialized per source name (a chain of files, oldest first: the rest of a rotated file is
// read before its successor); watch events and the periodic scan only *kick* a chain, so the two can
// never read the same bytes twice.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import process from 'node:process';
import type { LineBatch } from '../../types.ts';
import { loadCheckpoint } from '../checkpoint-file.ts';
import { DescriptorBudget } from '../descriptor-budget.ts';
import { ErrorReporter } from '../error-reporter.ts';
import { findByKey } from '../file-identity.ts';
import { ReadSlots } from '../read-slots.ts';
import { systemTimers, type TimerHandle, type Timers } from '../../timers.ts';
import type { FileSources, FileSourcesOptions, SourceStatus } from '../types.ts';
import { caughtUp } from './caught-up.ts';
import { Checkpointer } from './checkpointer.ts';
import { followCopy } from './copies.ts';
import { yieldToLoop } from './yield-to-loop.ts';
import { foundAt, PathDiscovery } from './discovery.ts';
import { FollowedFile } from './followed-file.ts';
import { loadHistory } from './history.ts';
import { partialBatch } from './read-cursor.ts';
import { FileRegistry, type SourceChain } from './registry.ts';
import { planResume } from './resume.ts';
import type { FileIo } from './types.ts';
import { WatchHints, type WatchDir } from './watch-hints.ts';

const READ_SLOTS = 8;
/** Event-triggered scans are at least this far apart (an event flood costs one scan per period). */
const MIN_SCAN_GAP_MS = 50;

export interface FileTailingOptions extends FileSourcesOptions {
  /** How directories are watched (default fs.watch); a test passes one that never fires, and drives reads by `scanNow`. */
  watchDir?: WatchDir;
}

export class FileTailing implements FileSources {
  private readonly options: FileSourcesOptions;
  private readonly timers: Timers;
  private readonly errors: ErrorReporter;
  private readonly io: FileIo;
  private readonly discovery: PathDiscovery;
  private readonly registry = new FileRegistry();
  private readonly hints: WatchHints;
  private readonly checkpointer: Checkpointer;
  private readonly descriptors: DescriptorBudget;
  private state: 'new' | 'starting' | 'running' | 'stopping' | 'stopped' = 'new';
  private globs: string[] = [];
  private scanTimer: TimerHandle | undefined;
  private soonScan: TimerHandle | undefined;
  private scanning: Promise<void> | null = null;
  private rescan = false;
  private lastScanAt = 0;
  /** Files made by the resume plan, not yet in the registry: the budget may close them too. */
  private planning: FollowedFile[] = [];

  constructor(options: FileTailingOptions) {
    this.options = options;
    this.timers = options.timers ?? systemTimers;
    this.errors = new ErrorReporter(options.logger);
    this.descriptors = new DescriptorBudget(options.files.maxOpenFiles, () => this.evictIdle());
    const { files } = options;
    this.io = {
      descriptors: this.descriptors,
      slots: new ReadSlots(READ_SLOTS, files.readChunkBytes),
      errors: this.errors,
      clock: options.clock,
      timers: this.timers,
      chunkBytes: files.readChunkBytes,
      maxLineBytes: files.maxLineBytes,
      partialLineTimeoutMs: files.partialLineTimeoutMs,
      wake: (source) => this.kick(this.registry.chain(source)),
    };
    this.discovery = new PathDiscovery(options.watch, options.cwd ?? process.cwd(), this.errors, options.clock);
    this.hints = new WatchHints(this.errors, (dir, event, filename) => this.onWatchEvent(dir, event, filename), options.watchDir);
    const snapshot = () => ({ globs: this.globs, files: this.registry.chains().flatMap((chain) => chain.files) });
    this.checkpointer = new Checkpointer(options.stateDir, snapshot, this.errors, options.clock, this.timers);
  }

  private get now(): number {
    return this.options.clock();
  }

  // ── lifecycle ──────────────────────────────────────────────────────────────────────────────────

  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error('file sources can be started once; create new ones to start again');
    this.state = 'starting';
    await mkdir(this.options.stateDir, { recursive: true });
    const saved = await loadCheckpoint(this.options.stateDir, this.options.logger);
    const plan = await planResume(saved, { io: this.io, discovery: this.discovery, logger: this.options.logger, made: (file) => this.planning.push(file) });
    for (const file of plan.files) this.registry.add(file);
    // Files planned but not followed (another path to a followed file, a reused inode) give their descriptor back.
    for (const file of this.planning) if (!this.registry.has(file.key) || this.registry.get(file.key) !== file) await file.close();
    this.planning = [];
    this.globs = plan.globs;
    // Files resumed at a checkpoint load no backfill when history warmed the buffer: history holds those lines.
    await loadHistory(plan.firstStart, this.options.historyWarmed === true ? [] : plan.resumed, plan.mtimes, this.options.files, this.io.slots, this.options.clock, (batch) => this.write(batch));
    for (const file of this.registry.files()) await file.takeFingerprint();
    // Saved before anything is read live: a crash from here on never mistakes these files for new ones.
    await this.checkpointer.write();

    this.state = 'running';
    this.hints.sync(plan.dirs);
    this.scanTimer = this.timers.setInterval(() => void this.scan(), this.options.files.scanIntervalMs);
    this.checkpointer.start(this.options.files.checkpointIntervalMs);
    this.lastScanAt = this.now;
    for (const chain of this.registry.chains()) this.kick(chain);
  }

  async stop(): Promise<void> {
    if (this.state === 'new') {
      this.state = 'stopped';
      return;
    }
    if (this.state !== 'running') return;
    this.state = 'stopping';
    this.timers.clearInterval(this.scanTimer);
    this.timers.clearTimeout(this.soonScan);
    this.checkpointer.stop();
    this.hints.close();
    await this.scanning;
    // Reads waiting for a descriptor go ahead (and return at once): nothing may wait forever now.
    this.descriptors.unlimit();
    await Promise.all(this.registry.chains().map((chain) => chain.pumping));

    // Rotated and deleted files may be gone at the next start: read what is left of them now.
    const deadline = this.now + this.options.files.stopTimeoutMs;
    for (const chain of this.registry.chains()) {
      for (const file of chain.files) {
        if (!file.isRotated) continue;
        await this.drain(file, deadline);
        if (file.deleted) this.writeBatch(file.flushPartial());
      }
    }
    for (const chain of this.registry.chains()) {
      for (const file of chain.files) file.stopWaiting();
      try {
        this.options.sink.flush(chain.name);
      } catch (err) {
        this.options.logger.error(`flushing ${chain.name} failed: ${(err as Error).message}`);
      }
    }
    await this.checkpointer.write();
    for (const file of this.registry.files()) await file.close();
    this.state = 'stopped';
  }

  status(): SourceStatus[] {
    const rows = this.registry.chains().flatMap((chain) => chain.files.map((file) => file.status()));
    return [...rows, ...this.discovery.status()];
  }

  /** A scan now (what the scan timer does); resolves once it is done. For tests driving explicit steps. */
  scanNow = (): Promise<void> => this.scan();

  /** Resolves once no scan and no read is in progress (reads kicked meanwhile included). For tests. */
  async settled(): Promise<void> {
    for (;;) {
      const busy = [this.scanning, ...this.registry.chains().map((chain) => chain.pumping)].filter((p) => p !== null);
      if (busy.length === 0) return;
      await Promise.all(busy);
    }
  }

  // ── scanning ───────────────────────────────────────────────────────────────────────────────────

  private scanSoon(): void {
    if (this.soonScan !== undefined || this.state !== 'running') return;
    const wait = Math.max(0, this.lastScanAt + MIN_SCAN_GAP_MS - this.now);
    this.soonScan = this.timers.setTimeout(() => {
      this.soonScan = undefined;
      void this.scan();
    }, wait);
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
    const matches = await this.discovery.walk(dirs);
    const seenPaths = new Set<string>();
    const seenKeys = new Set<string>();
    let changed = false;
    for (const match of matches) {
      if (this.state !== 'running') return;
      const probe = await this.discovery.probe(match);
      if (probe === null) continue;
      seenPaths.add(match.path);
      seenKeys.add(probe.key);
      const current = this.registry.atPath(match.path);
      if (current !== undefined && current.key === probe.key) {
        this.noticeSize(current, probe.stats.size);
        continue;
      }
      if (current !== undefined) this.rotateAway(current);
      const known = this.registry.get(probe.key);
      if (known !== undefined) {
        // A file already followed shows up here (renamed into the glob, or a symlink now points at it).
        this.registry.returnTo(known, match.path);
        this.noticeSize(known, probe.stats.size);
        continue;
      }
      // A new file since start: read from its first byte.
      const file = new FollowedFile(this.io, foundAt(match, probe), 0);
      if (!(await file.open()) && !file.hasError) continue;
      if (this.state !== 'running' || this.registry.has(file.key)) {
        await file.close();
        continue;
      }
      this.registry.add(file);
      this.kick(this.registry.chain(file.source));
      changed = true;
    }
    for (const [path, file] of this.registry.livePaths()) {
      if (seenPaths.has(path)) continue;
      if (seenKeys.has(file.key)) this.registry.forgetPath(path);
      else this.rotateAway(file);
    }
    await this.checkRotated();
    for (const file of this.registry.files()) {
      // Files that could not be opened are retried at each scan (closed idle ones only when they grow).
      if (!file.isOpen && file.hasError && !file.isRotated) this.kick(this.registry.chain(file.source));
      if (!file.isRotated) dirs.add(dirname(file.realPath));
    }
    if (this.state === 'running') this.hints.sync(dirs);
    if (changed) this.checkpointer.soon();
  }

  /** Follows rotated files: reads late writes, retires them once drained and quiet for `followRotatedMs`. */
  private async checkRotated(): Promise<void> {
    const now = this.now;
    for (const file of this.registry.files()) {
      if (!file.isRotated) continue;
      const chain = this.registry.chain(file.source);
      if (!file.isOpen && !(await this.reopenRotated(file))) {
        if (chain.pumping === null) await this.retire(file);
        continue;
      }
      if (!(await file.refresh())) continue;
      if (file.size !== file.readOffset) {
        this.kick(chain);
        continue;
      }
      if (now - file.quietSince >= this.options.files.followRotatedMs && chain.pumping === null) await this.retire(file);
    }
  }

  /** A file closed while idle (too many open) was rotated meanwhile: look for it next to where it was. */
  private async reopenRotated(file: FollowedFile): Promise<boolean> {
    const found = await findByKey(dirname(file.realPath), file.key);
    if (found !== null && (await file.open(found.path))) return true;
    this.options.logger.info(`${file.source}: ${file.path} was rotated away while closed and cannot be found; it is no longer followed`);
    return false;
  }

  private noticeSize(file: FollowedFile, size: number): void {
    if (file.noticeSize(size)) this.kick(this.registry.chain(file.source));
  }

  private rotateAway(file: FollowedFile): void {
    this.registry.rotateAway(file);
    this.kick(this.registry.chain(file.source));
    this.checkpointer.soon();
  }

  private async retire(file: FollowedFile): Promise<void> {
    this.writeBatch(file.flushPartial());
    file.stopWaiting();
    await file.close();
    this.registry.retire(file);
    this.checkpointer.soon();
  }

  /** Watch events are hints: they kick the file named, or bring the next scan forward. */
  private onWatchEvent(dir: string, event: string, filename: string | null): void {
    if (this.state !== 'running') return;
    if (filename !== null) {
      const file = this.registry.named(`${dir}/${filename}`);
      if (file !== undefined) {
        this.kick(this.registry.chain(file.source));
        // Created, deleted or renamed: the path may hold another file now.
        if (event === 'rename') this.scanSoon();
        return;
      }
    }
    // Unknown name: a file created, renamed or deleted, or a rotated file written late.
    for (const file of this.registry.files()) if (file.isRotated) this.kick(this.registry.chain(file.source));
    this.scanSoon();
  }

  // ── the pump ───────────────────────────────────────────────────────────────────────────────────

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
        for (const file of chain.files.slice()) {
          if (!chain.files.includes(file)) continue;
          if (await this.drain(file)) {
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
   * Reads one file to its end. Returns true when the chain changed (a copy of the old content was put
   * before this file), so reading must start over from the oldest file.
   */
  private async drain(file: FollowedFile, deadline?: number): Promise<boolean> {
    for (;;) {
      // A pump stops at once when LogWatch stops; the final read of rotated files has a deadline.
      if (this.state !== 'running' && (deadline === undefined || this.now > deadline)) return false;
      const { batches, end } = await file.readToEnd();
      for (const batch of batches) this.write(batch);
      if (end === 'more') {
        await yieldToLoop(); // let ingest, timers and the collector run between bounded reads
        continue;
      }
      if (end === 'replaced') return this.contentReplaced(file);
      if (end === 'eof') caughtUp(this.options.sink, file, this.options.logger);
      return false;
    }
  }

  /**
   * The file shrank or no longer starts with the bytes it did: copied and truncated, or truncated and
   * rewritten. The rest of the old content is read from a copy when one is found next to it; the file
   * itself is read again from 0.
   */
  private async contentReplaced(file: FollowedFile): Promise<boolean> {
    const old = file.restartFromZero();
    const copy = await followCopy(this.io, file, old.fingerprint, old.cursor, this.registry.keys());
    if (copy !== null) this.registry.addBefore(copy, file);
    // The old content is gone: what was read of its unfinished last line is all there is.
    if (copy === null) this.writeBatch(partialBatch(file, old.cursor, this.now));
    this.options.logger.info(
      `${file.source}: ${file.path} was truncated or rewritten; reading it again from the start${copy === null ? '' : ` after the rest of its copy ${copy.path}`}`,
    );
    this.checkpointer.soon();
    return true;
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

  private writeBatch(batch: LineBatch | null): void { if (batch !== null) this.write(batch); }
  /** Closes an idle file to make room under the descriptor budget (see FileRegistry.evictionVictim). */
  private evictIdle(): boolean {
    const victim = this.registry.evictionVictim(this.planning);
    if (victim !== undefined) void victim.detach();
    return victim !== undefined;
  }
}
