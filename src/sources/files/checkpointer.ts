// The checkpointer (Vector's checkpointer.rs): per followed file the offset processed up to, written
// atomically every `checkpointIntervalMs`, soon after a change of the set of files, and at stop. Writes
// are queued one after the other; each writes the state at its turn, and an unchanged state is not
// written again.
import type { Clock } from '../../types.ts';
import { saveCheckpoint, serializeCheckpoint, type FileCheckpoint } from '../checkpoint-file.ts';
import { describeError, type ErrorReporter } from '../error-reporter.ts';
import type { TimerHandle, Timers } from '../../timers.ts';
import type { FollowedFile } from './followed-file.ts';

export interface CheckpointState {
  /** Absolute forms of the globs already started with. */
  globs: string[];
  /** Followed files, oldest first per source. */
  files: FollowedFile[];
}

export class Checkpointer {
  private interval: TimerHandle | undefined;
  private soonTimer: TimerHandle | undefined;
  private running = false;
  private queue: Promise<void> = Promise.resolve();
  private lastText = '';

  constructor(
    private readonly stateDir: string,
    private readonly state: () => CheckpointState,
    private readonly errors: ErrorReporter,
    private readonly clock: Clock,
    private readonly timers: Timers,
  ) {}

  /** Writes every `intervalMs` from now on. */
  start(intervalMs: number): void {
    this.running = true;
    this.interval = this.timers.setInterval(() => void this.write(), intervalMs);
  }

  /** No timed writes any more (`write()` still works: the final checkpoint). */
  stop(): void {
    this.running = false;
    this.timers.clearInterval(this.interval);
    this.timers.clearTimeout(this.soonTimer);
    this.soonTimer = undefined;
  }

  /** A write at the next turn of the event loop (the set of files changed), once however often asked. */
  soon(): void {
    if (this.soonTimer !== undefined || !this.running) return;
    this.soonTimer = this.timers.setTimeout(() => {
      this.soonTimer = undefined;
      void this.write();
    }, 0);
  }

  /** Queues a write of the state at its turn; resolves once written (or failed, which is logged once). */
  write(): Promise<void> {
    const run = this.queue.then(() => this.saveNow());
    this.queue = run.catch(() => {});
    return this.queue;
  }

  private async saveNow(): Promise<void> {
    const takenAt = this.clock();
    const { globs, files } = this.state();
    const entries: FileCheckpoint[] = files.map((file) => file.checkpointEntry());
    // Unchanged state is not written again: the file on disk already says the same.
    const text = JSON.stringify([globs, entries]);
    if (text !== this.lastText) {
      try {
        // savedAt is only ever compared with file birth times, which the file system stamps with the wall
        // clock: it is wall-clock time, whatever clock is injected (they differ only under a fake clock).
        await saveCheckpoint(this.stateDir, serializeCheckpoint({ version: 1, savedAt: Date.now(), globs, files: entries }));
        this.lastText = text;
        this.errors.recover('checkpoint');
      } catch (err) {
        this.errors.report(
          'checkpoint',
          (err as NodeJS.ErrnoException).code ?? 'error',
          `cannot write the file checkpoint in ${this.stateDir}: ${describeError(err as NodeJS.ErrnoException)}; retrying`,
          'error',
        );
        return;
      }
    }
    files.forEach((file, i) => file.checkpointed(entries[i].offset, takenAt));
  }
}
