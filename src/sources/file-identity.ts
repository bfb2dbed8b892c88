// What makes a file the same file: device + inode while it exists, and the hash of its first bytes to
// tell a reused inode or a copy-and-truncate apart, and to find a copy or a renamed file again.
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { closeQuietly, openForRead, readFully } from './fd-io.ts';

/** How many leading bytes identify a file's content. */
export const FINGERPRINT_BYTES = 256;

export interface Fingerprint {
  /** Bytes hashed: FINGERPRINT_BYTES, or fewer while the file is shorter. */
  length: number;
  hash: string;
}

export const EMPTY_FINGERPRINT: Fingerprint = { length: 0, hash: '' };

export function fileKey(dev: number, ino: number): string {
  return `${dev}:${ino}`;
}

export function statKey(stats: Pick<Stats, 'dev' | 'ino'>): string {
  return fileKey(stats.dev, stats.ino);
}

export function hashBytes(bytes: Buffer, length: number): string {
  return createHash('sha1').update(bytes.subarray(0, length)).digest('hex');
}

/** Hashes the first `length` bytes (fewer when the file is shorter: the length says how many). */
export async function readFingerprint(fd: number, length = FINGERPRINT_BYTES): Promise<Fingerprint> {
  if (length === 0) return EMPTY_FINGERPRINT;
  const head = Buffer.allocUnsafe(length);
  const n = await readFully(fd, head, length, 0);
  return n === 0 ? EMPTY_FINGERPRINT : { length: n, hash: hashBytes(head, n) };
}

/** True when the file still starts with the bytes `expected` was taken from. */
export async function fingerprintMatches(fd: number, expected: Fingerprint): Promise<boolean> {
  if (expected.length === 0) return true;
  const actual = await readFingerprint(fd, expected.length);
  return actual.length === expected.length && actual.hash === expected.hash;
}

export interface FoundFile {
  path: string;
  stats: Stats;
}

/** Looks for the file with this device + inode in a directory (where a rotated file usually is). */
export async function findByKey(dir: string, key: string): Promise<FoundFile | null> {
  for (const path of await listFiles(dir)) {
    try {
      const stats = await stat(path);
      if (stats.isFile() && statKey(stats) === key) return { path, stats };
    } catch {
      // Gone between readdir and stat.
    }
  }
  return null;
}

/**
 * Looks for a copy of a file's content (copy-and-truncate rotation): another file in the directory that
 * starts with the same bytes and holds at least `minSize` bytes. The newest such file wins.
 */
export async function findCopy(dir: string, fingerprint: Fingerprint, minSize: number, excludeKeys: ReadonlySet<string>): Promise<FoundFile | null> {
  if (fingerprint.length === 0) return null;
  let best: FoundFile | null = null;
  for (const path of await listFiles(dir)) {
    let stats: Stats;
    try {
      stats = await stat(path);
    } catch {
      continue;
    }
    if (!stats.isFile() || stats.size < Math.max(minSize, fingerprint.length) || excludeKeys.has(statKey(stats))) continue;
    if (best !== null && stats.mtimeMs <= best.stats.mtimeMs) continue;
    let fd: number;
    try {
      fd = await openForRead(path);
    } catch {
      continue;
    }
    try {
      if (await fingerprintMatches(fd, fingerprint)) best = { path, stats };
    } catch {
      // Unreadable candidate: not the one.
    } finally {
      await closeQuietly(fd);
    }
  }
  return best;
}

async function listFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).map((name) => join(dir, name));
  } catch {
    return [];
  }
}
