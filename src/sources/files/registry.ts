// The followed files, indexed every way the file source looks them up: by device + inode, by the glob
// path they are live at, by the paths watch events name, and per source name as a chain (oldest first,
// read in that order). Each transition is one method here, so the indexes never disagree.
import type { FollowedFile } from './followed-file.ts';

/** Files of one source name, oldest first; read in that order, one read at a time. */
export interface SourceChain {
  readonly name: string;
  readonly files: readonly FollowedFile[];
  /** The read in progress (the orchestrator's pump), if any. */
  pumping: Promise<void> | null;
  /** Something may have changed since the pump last looked: look again. */
  dirty: boolean;
}

interface MutableChain extends SourceChain {
  files: FollowedFile[];
}

export class FileRegistry {
  private readonly byKey = new Map<string, FollowedFile>();
  /** Live files by the absolute path a glob matched. */
  private readonly byPath = new Map<string, FollowedFile>();
  /** Live files by path and real path: what watch events name. */
  private readonly byWatchPath = new Map<string, FollowedFile>();
  private readonly chainsByName = new Map<string, MutableChain>();

  get(key: string): FollowedFile | undefined {
    return this.byKey.get(key);
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  /** Device + inode keys of every followed file. */
  keys(): Set<string> {
    return new Set(this.byKey.keys());
  }

  files(): FollowedFile[] {
    return [...this.byKey.values()];
  }

  /** The live file a glob matched at `path`. */
  atPath(path: string): FollowedFile | undefined {
    return this.byPath.get(path);
  }

  /** Glob paths with a live file, and the file. */
  livePaths(): Array<[string, FollowedFile]> {
    return [...this.byPath];
  }

  /** The live file a watch event names (by path or real path). */
  named(path: string): FollowedFile | undefined {
    return this.byWatchPath.get(path);
  }

  chains(): SourceChain[] {
    return [...this.chainsByName.values()];
  }

  /** The chain of a source name (created empty when it has none). */
  chain(name: string): SourceChain {
    return this.mutableChain(name);
  }

  /** A file starts being followed: last (newest) in its source's chain, at its glob path unless rotated. */
  add(file: FollowedFile): void {
    this.index(file);
    this.mutableChain(file.source).files.push(file);
  }

  /** A copy of `file`'s old content (copy-and-truncate): read before `file`, from where `file` was. */
  addBefore(copy: FollowedFile, file: FollowedFile): void {
    this.index(copy);
    const files = this.mutableChain(file.source).files;
    const at = files.indexOf(file);
    files.splice(at < 0 ? files.length : at, 0, copy);
  }

  /** Left its glob path (renamed, deleted, replaced): still followed, no longer found by path. */
  rotateAway(file: FollowedFile): void {
    file.rotatedAway();
    this.unindexPaths(file);
  }

  /** A followed file shows up at a glob path (renamed into the glob, or a symlink now points at it). */
  returnTo(file: FollowedFile, path: string): void {
    file.returnedTo(path);
    this.byPath.set(path, file);
    this.byWatchPath.set(path, file);
    this.byWatchPath.set(file.realPath, file);
  }

  /**
   * No glob matches `path` now, but its file is still matched elsewhere (it moved within the glob), so
   * it stays live: only this path is forgotten.
   */
  forgetPath(path: string): void {
    this.byPath.delete(path);
  }

  /** No longer followed (drained and quiet, or gone); its chain goes when it was the last file. */
  retire(file: FollowedFile): void {
    this.byKey.delete(file.key);
    if (!file.isRotated) this.unindexPaths(file);
    const chain = this.chainsByName.get(file.source);
    if (chain === undefined) return;
    chain.files = chain.files.filter((f) => f !== file);
    if (chain.files.length === 0) this.chainsByName.delete(chain.name);
  }

  /**
   * The file to close when the descriptor budget needs room: the least recently read live file,
   * preferably one read to its end (it is reopened, and checked by device + inode, when it grows).
   * Rotated files keep theirs: it is their only way in. `also`: files not registered yet (being planned).
   */
  evictionVictim(also: readonly FollowedFile[]): FollowedFile | undefined {
    let victim: FollowedFile | undefined;
    let victimIdle = false;
    const consider = (file: FollowedFile) => {
      if (!file.isOpen || file.isRotated || file.isReading) return;
      const idle = file.isIdle;
      if (victim === undefined || (idle && !victimIdle) || (idle === victimIdle && file.lastUsedAt < victim.lastUsedAt)) {
        victim = file;
        victimIdle = idle;
      }
    };
    also.forEach(consider);
    this.byKey.forEach(consider);
    return victim;
  }

  private index(file: FollowedFile): void {
    this.byKey.set(file.key, file);
    if (file.isRotated) return;
    this.byPath.set(file.path, file);
    this.byWatchPath.set(file.path, file);
    this.byWatchPath.set(file.realPath, file);
  }

  private unindexPaths(file: FollowedFile): void {
    for (const [path, f] of this.byPath) if (f === file) this.byPath.delete(path);
    for (const [path, f] of this.byWatchPath) if (f === file) this.byWatchPath.delete(path);
  }

  private mutableChain(name: string): MutableChain {
    let chain = this.chainsByName.get(name);
    if (chain === undefined) {
      chain = { name, files: [], pumping: null, dirty: false };
      this.chainsByName.set(name, chain);
    }
    return chain;
  }
}
