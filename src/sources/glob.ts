// Walking watch globs over the filesystem. The pattern dialect (`*`, `?`, `[abc]`, `{a,b}`, `\x`
// within a segment, `**` across directories) is src/glob.ts, shared with rule `source` matchers. A
// match is named the way it was configured (relative stays relative, without a leading `./`).
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { isAbsolute, join, normalize, resolve } from 'node:path';
import { isGlob, segmentRegExp } from '../glob.ts';

type Segment = { kind: 'globstar' } | { kind: 'name'; re: RegExp };

export interface CompiledGlob {
  /** The glob as configured. */
  pattern: string;
  /** Absolute form: what identifies the glob across restarts (a relative one depends on the working dir). */
  absolute: string;
  /** Absolute directory where walking starts: the glob's leading segments without wildcards. */
  baseDir: string;
  /** How that directory is named in source names ('' for the working directory). */
  baseName: string;
  segments: Segment[];
  format?: string;
  timezone?: string;
}

export interface GlobMatch {
  /** Absolute path. */
  path: string;
  /** Source name: the path as configured. */
  name: string;
}

export interface WalkHooks {
  /** Every directory read while walking (the ones worth watching). */
  onDirectory(dir: string): void;
  /** A directory that could not be read (ENOENT is not reported: it may appear later). */
  onError(path: string, err: NodeJS.ErrnoException): void;
}

export function compileGlob(pattern: string, cwd: string, options: { format?: string; timezone?: string } = {}): CompiledGlob {
  const normal = normalize(pattern).replace(/\/+$/, '');
  const parts = normal.split('/');
  const absoluteRoot = isAbsolute(normal);
  // The last segment always stays a segment, so a plain file path is matched like a one-name glob.
  let literal = 0;
  while (literal < parts.length - 1 && !isGlob(parts[literal]) && parts[literal] !== '**') literal++;
  const baseParts = parts.slice(0, literal);
  let baseName = baseParts.join('/');
  if (absoluteRoot && baseName === '') baseName = '/';
  if (baseName === '.') baseName = '';
  const baseDir = resolve(cwd, baseName === '' ? '.' : baseName);
  const segments: Segment[] = parts.slice(literal).map((part) => (part === '**' ? { kind: 'globstar' } : { kind: 'name', re: segmentRegExp(part) }));
  // A trailing `**` means every file below.
  if (segments[segments.length - 1]?.kind === 'globstar') segments.push({ kind: 'name', re: segmentRegExp('*') });
  return {
    pattern,
    absolute: resolve(cwd, normal),
    baseDir,
    baseName,
    segments,
    ...(options.format === undefined ? {} : { format: options.format }),
    ...(options.timezone === undefined ? {} : { timezone: options.timezone }),
  };
}

/** Lists the files the glob matches now. Never throws for a missing or unreadable directory. */
export async function walkGlob(glob: CompiledGlob, hooks: WalkHooks): Promise<GlobMatch[]> {
  const out: GlobMatch[] = [];
  await walk(glob, glob.baseDir, glob.baseName, 0, out, hooks);
  return out;
}

async function walk(glob: CompiledGlob, dir: string, name: string, index: number, out: GlobMatch[], hooks: WalkHooks): Promise<void> {
  const segment = glob.segments[index];
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code !== 'ENOENT' && e.code !== 'ENOTDIR') hooks.onError(dir, e);
    return;
  }
  hooks.onDirectory(dir);
  if (segment.kind === 'globstar') {
    // Zero directories, then one more level (real directories only: symlinked ones could loop).
    await walkEntries(glob, dir, name, index + 1, entries, out, hooks);
    for (const entry of entries) {
      if (entry.isDirectory() && !entry.name.startsWith('.')) {
        await walk(glob, join(dir, entry.name), childName(name, entry.name), index, out, hooks);
      }
    }
    return;
  }
  await walkEntries(glob, dir, name, index, entries, out, hooks);
}

async function walkEntries(glob: CompiledGlob, dir: string, name: string, index: number, entries: Dirent[], out: GlobMatch[], hooks: WalkHooks): Promise<void> {
  const segment = glob.segments[index];
  if (segment.kind === 'globstar') {
    await walk(glob, dir, name, index, out, hooks);
    return;
  }
  const last = index === glob.segments.length - 1;
  for (const entry of entries) {
    if (!segment.re.test(entry.name)) continue;
    const path = join(dir, entry.name);
    if (last) {
      // Symlinks are resolved by the caller's stat (a link to a directory is then skipped).
      if (entry.isFile() || entry.isSymbolicLink()) out.push({ path, name: childName(name, entry.name) });
    } else if (entry.isDirectory() || entry.isSymbolicLink()) {
      await walk(glob, path, childName(name, entry.name), index + 1, out, hooks);
    }
  }
}

function childName(parent: string, child: string): string {
  if (parent === '') return child;
  return parent.endsWith('/') ? parent + child : `${parent}/${child}`;
}
