// Copy-and-truncate rotation: the rest of a content that was copied away is read from the copy, found
// next to the file by the fingerprint of its first bytes (Vector's fingerprinter.rs does the same).
import { realpath } from 'node:fs/promises';
import { dirname } from 'node:path';
import { findCopy, type Fingerprint } from '../file-identity.ts';
import { FollowedFile } from './followed-file.ts';
import type { ReadCursor } from './read-cursor.ts';
import type { FileIo } from './types.ts';

/** The file whose content was copied: its name, where it is, and how its lines are parsed. */
export interface CopiedFrom {
  source: string;
  realPath: string;
  format?: string;
  timezone?: string;
}

/**
 * Finds a copy of a content (starts with `fingerprint`, holds at least the bytes read of it) next to
 * `from` and opens it as a rotated file read from `at` (an offset, or the old content's own cursor so
 * commits in flight go on). Null when there is none. `exclude`: keys of files already followed.
 */
export async function followCopy(
  io: FileIo,
  from: CopiedFrom,
  fingerprint: Fingerprint,
  at: number | ReadCursor,
  exclude: ReadonlySet<string>,
  made: (file: FollowedFile) => void = () => {},
): Promise<FollowedFile | null> {
  const minSize = typeof at === 'number' ? at : at.readOffset;
  const found = await findCopy(dirname(from.realPath), fingerprint, minSize, exclude);
  if (found === null) return null;
  const realPath = await realpath(found.path).catch(() => found.path);
  const copy = new FollowedFile(io, { source: from.source, path: found.path, realPath, stats: found.stats, format: from.format, timezone: from.timezone }, at);
  copy.knownContent(fingerprint);
  copy.rotatedAway();
  made(copy);
  return (await copy.open(found.path)) ? copy : null;
}
