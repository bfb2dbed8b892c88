// Start-up resume: from the saved checkpoint and what the globs match now, the plan of what to follow
// and where to start: files resumed at their checkpoint offset, files new to LogWatch, the history to
// load, and rotated files (or copies of their content) whose rest is to be read first.
import type { Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../../logger.ts';
import type { Checkpoint, FileCheckpoint } from '../checkpoint-file.ts';
import { EMPTY_FINGERPRINT, fileKey, findByKey, statKey, type Fingerprint } from '../file-identity.ts';
import { followCopy } from './copies.ts';
import { foundAt, type PathDiscovery } from './discovery.ts';
import { FollowedFile } from './followed-file.ts';
import type { FileFound, FileIo } from './types.ts';

export interface ResumePlan {
  /**
   * Every file to follow, in the order to add them: per source, rotated files and copies whose rest is
   * to be read come first (oldest first), then live files resumed at their checkpoint, then new ones.
   */
  files: FollowedFile[];
  /** New files of a glob's first start: their history is loaded, then they are tailed from its end. */
  firstStart: FollowedFile[];
  /** Files resumed past 0: the lines before their checkpoint are loaded as history. */
  resumed: FollowedFile[];
  /** Modification times, for giving the history budget to the most recently written files. */
  mtimes: Map<FollowedFile, number>;
  /** Directories to watch: the ones the globs walked and those of the live files. */
  dirs: Set<string>;
  /** Absolute globs started with, this start included (saved in the checkpoint). */
  globs: string[];
}

export interface ResumeContext {
  io: FileIo;
  discovery: PathDiscovery;
  logger: Logger;
  /**
   * Every file made while planning, before it is opened: the descriptor budget may close it again when
   * it needs room (planning opens more files than the budget may hold), as it does for followed files.
   */
  made(file: FollowedFile): void;
}

export async function planResume(saved: Checkpoint | null, ctx: ResumeContext): Promise<ResumePlan> {
  const { io, discovery } = ctx;
  const known = new Set(saved?.globs ?? []);
  const savedByKey = new Map((saved?.files ?? []).map((entry) => [fileKey(entry.dev, entry.ino), entry]));
  /** Keys of the files planned so far (a copy is never one of them). */
  const taken = new Set<string>();
  const accounted = new Set<string>();
  const resumedLive: FollowedFile[] = [];
  const freshLive: FollowedFile[] = [];
  const copies: FollowedFile[] = [];
  const plan: ResumePlan = { files: [], firstStart: [], resumed: [], mtimes: new Map(), dirs: new Set(), globs: [...known] };

  for (const match of await discovery.walk(plan.dirs)) {
    const probe = await discovery.probe(match);
    if (probe === null || taken.has(probe.key)) continue;
    let entry = savedByKey.get(probe.key);
    const file = new FollowedFile(io, foundAt(match, probe), 0);
    ctx.made(file);
    if (!(await file.open()) && !file.hasError) continue;
    plan.mtimes.set(file, probe.stats.mtimeMs);
    if (entry !== undefined) {
      accounted.add(probe.key);
      const fingerprint = fingerprintOf(entry);
      if (file.isOpen && (probe.stats.size < entry.offset || !(await file.startsWith(fingerprint)))) {
        // The content does not continue the checkpointed one: copied and truncated while down (the
        // copy has the rest), truncated, or the inode was freed and reused. This file is new.
        const copy = await recoverCopy(entry, fingerprint, taken, ctx);
        if (copy !== null) copies.push(copy);
        entry = undefined;
      }
    }
    taken.add(probe.key);
    if (entry !== undefined) {
      // Resume where the last run left off, under the name it had.
      file.resumeAs(entry.source, entry.offset);
      if (entry.offset > 0) plan.resumed.push(file);
      resumedLive.push(file);
      continue;
    }
    // New to LogWatch: history then the end on a glob's first start, else (it appeared while LogWatch
    // was down) from its first byte.
    if (!known.has(match.glob.absolute)) plan.firstStart.push(file);
    freshLive.push(file);
  }

  // Checkpointed files no glob matches now: rotated away while down, or still followed at the stop.
  const predecessors = new Map<string, FollowedFile[]>();
  const before = (file: FollowedFile) => {
    const list = predecessors.get(file.source) ?? [];
    list.push(file);
    predecessors.set(file.source, list);
  };
  for (const entry of saved?.files ?? []) {
    const key = fileKey(entry.dev, entry.ino);
    if (accounted.has(key) || taken.has(key)) continue;
    accounted.add(key);
    for (const file of await recoverRotated(entry, saved?.savedAt, taken, ctx)) {
      taken.add(file.key);
      before(file);
    }
  }
  for (const copy of copies) before(copy);
  plan.files = [...[...predecessors.values()].flat(), ...resumedLive, ...freshLive];
  for (const file of [...resumedLive, ...freshLive]) plan.dirs.add(dirname(file.realPath));
  for (const glob of discovery.globs) if (!known.has(glob.absolute)) plan.globs.push(glob.absolute);
  return plan;
}

/**
 * A checkpointed file no glob matches now (renamed away while down, or still followed at the stop),
 * looked for by inode next to where it was. Returns what to read, oldest first: the file from its
 * checkpoint; or, when its content was replaced meanwhile (copied and truncated, then renamed), the
 * copy from the checkpoint and then the file's new content from 0.
 */
async function recoverRotated(entry: FileCheckpoint, savedAt: number | undefined, taken: Set<string>, ctx: ResumeContext): Promise<FollowedFile[]> {
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
    const copy = await recoverCopy(entry, fingerprint, taken, ctx);
    if (copy !== null) return [copy];
    ctx.logger.info(
      `${entry.source}: ${entry.realPath} was removed while LogWatch was stopped; lines written to it after the last checkpoint could not be read`,
    );
    return [];
  }
  const file = await rotatedFile(entry, found.path, found.stats, entry.offset, ctx);
  if (file === null) return [];
  if (found.stats.size >= entry.offset && (await file.startsWith(fingerprint))) {
    file.knownContent(fingerprint);
    return [file];
  }
  const copy = await recoverCopy(entry, fingerprint, taken, ctx);
  const out = copy === null ? [] : [copy];
  // Born after the checkpoint: another file that got the freed inode, not this source's.
  const born = found.stats.birthtimeMs;
  if (savedAt !== undefined && born > 0 && born > savedAt) {
    await file.close();
    return out;
  }
  file.startAt(0);
  out.push(file);
  return out;
}

/** After a copy-and-truncate while LogWatch was down: the copy holds the rest of the old content. */
async function recoverCopy(entry: FileCheckpoint, fingerprint: Fingerprint, taken: Set<string>, ctx: ResumeContext): Promise<FollowedFile | null> {
  const exclude = new Set(taken).add(fileKey(entry.dev, entry.ino));
  const copy = await followCopy(ctx.io, entry, fingerprint, entry.offset, exclude, ctx.made);
  if (copy !== null) ctx.logger.info(`${entry.source}: was copied and truncated while LogWatch was stopped; reading the rest from ${copy.path}`);
  return copy;
}

/** A file away from its glob path, opened at `path`, to be read from `offset` under the checkpointed name. */
async function rotatedFile(entry: FileCheckpoint, path: string, stats: Stats, offset: number, ctx: ResumeContext): Promise<FollowedFile | null> {
  const realPath = await realpath(path).catch(() => path);
  const found: FileFound = { source: entry.source, path, realPath, stats, format: entry.format, timezone: entry.timezone };
  const file = new FollowedFile(ctx.io, found, offset);
  file.rotatedAway();
  ctx.made(file);
  return (await file.open(path)) ? file : null;
}

function fingerprintOf(entry: FileCheckpoint): Fingerprint {
  return entry.fpLength === 0 ? EMPTY_FINGERPRINT : { length: entry.fpLength, hash: entry.fpHash };
}
