// Watch hints (Vector's file_watcher notifications): fs.watch on the directories of followed files. An
// event never reads anything itself; it only tells the orchestrator which name changed, which then kicks
// that file's reader or brings the next scan forward. A lost or failed watch costs latency, never lines:
// the periodic scan covers every directory.
import { watch as fsWatch } from 'node:fs';
import { describeError, type ErrorReporter } from '../error-reporter.ts';

/** Beyond this many directories, the periodic scan alone notices changes (inotify watches are limited). */
export const MAX_WATCHED_DIRS = 4096;

export interface DirWatcher {
  close(): void;
  on(event: 'error', listener: (err: NodeJS.ErrnoException) => void): unknown;
}

/** Starts watching a directory (fs.watch by default; tests pass one that never fires). */
export type WatchDir = (dir: string, listener: (event: string, filename: string | null) => void) => DirWatcher;

export const watchDirWithFs: WatchDir = (dir, listener) =>
  fsWatch(dir, { persistent: false }, (event, filename) => listener(event, filename === null ? null : filename.toString()));

export class WatchHints {
  private readonly watchers = new Map<string, DirWatcher>();

  constructor(
    private readonly errors: ErrorReporter,
    private readonly onEvent: (dir: string, event: string, filename: string | null) => void,
    private readonly watchDir: WatchDir = watchDirWithFs,
  ) {}

  /** Watches exactly these directories (up to MAX_WATCHED_DIRS): new ones are added, gone ones closed. */
  sync(dirs: Set<string>): void {
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
        const watcher = this.watchDir(dir, (event, filename) => this.onEvent(dir, event, filename));
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

  close(): void {
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }
}
