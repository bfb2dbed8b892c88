// Path discovery (Vector's paths_provider): the files the watch globs match now, stat'ed through
// symlinks, and the matched paths that cannot be followed (shown in status until they work).
import type { Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { Clock } from '../../types.ts';
import type { WatchEntry } from '../config.ts';
import { describeError, type ErrorReporter } from '../error-reporter.ts';
import { statKey } from '../file-identity.ts';
import { compileGlob, walkGlob, type CompiledGlob, type GlobMatch } from '../glob.ts';
import type { SourceStatus } from '../types.ts';
import type { FileFound } from './types.ts';

export interface MatchedFile extends GlobMatch {
  glob: CompiledGlob;
}

/** A matched path that is a regular file: what it is now. */
export interface Probe {
  stats: Stats;
  key: string;
  realPath: string;
}

interface PathError {
  name: string;
  path: string;
  error: string;
  at: number;
}

export class PathDiscovery {
  readonly globs: CompiledGlob[];
  private readonly pathErrors = new Map<string, PathError>();

  constructor(
    watch: WatchEntry[],
    cwd: string,
    private readonly errors: ErrorReporter,
    private readonly clock: Clock,
  ) {
    this.globs = watch.map((entry) =>
      typeof entry === 'string' ? compileGlob(entry, cwd) : compileGlob(entry.path, cwd, { format: entry.format, timezone: entry.timezone }),
    );
  }

  /** Every path the globs match now (the first glob to match a path names it); directories read go to `dirs`. */
  async walk(dirs: Set<string>): Promise<MatchedFile[]> {
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
  async probe(match: MatchedFile): Promise<Probe | null> {
    let stats: Stats;
    try {
      stats = await stat(match.path);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code !== 'ENOENT') this.pathError(match.name, match.path, e);
      return null;
    }
    if (!stats.isFile()) return null;
    if (this.pathErrors.delete(match.path)) this.errors.recover(`path:${match.path}`);
    const realPath = await realpath(match.path).catch(() => match.path);
    return { stats, key: statKey(stats), realPath };
  }

  /** Status rows of the paths that cannot be followed. */
  status(): SourceStatus[] {
    return [...this.pathErrors.values()].map((e) => ({
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
    }));
  }

  private pathError(name: string, path: string, err: NodeJS.ErrnoException): void {
    const hint = err.code === 'EACCES' ? ' (check the permissions)' : '';
    this.pathErrors.set(path, { name, path, error: describeError(err), at: this.clock() });
    this.errors.report(`path:${path}`, err.code ?? 'error', `cannot read ${path} (${name}): ${describeError(err)}${hint}; retrying at each scan`);
  }
}

/** What a matched file is, as the followed file is made from it. */
export function foundAt(match: MatchedFile, probe: Probe): FileFound {
  return { source: match.name, path: match.path, realPath: probe.realPath, stats: probe.stats, format: match.glob.format, timezone: match.glob.timezone };
}
