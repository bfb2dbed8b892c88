// Positional file I/O on plain descriptors. Reads name their offset (pread), so a file renamed, deleted
// or written to concurrently is read exactly where the tailer left off.
import type { Buffer } from 'node:buffer';
import { close, fstat, open, read, type Stats } from 'node:fs';

export function openForRead(path: string): Promise<number> {
  return new Promise((resolve, reject) => open(path, 'r', (err, fd) => (err ? reject(err) : resolve(fd))));
}

export function readAt(fd: number, buffer: Buffer, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) =>
    read(fd, buffer, 0, length, position, (err, bytesRead) => (err ? reject(err) : resolve(bytesRead))),
  );
}

export function statFd(fd: number): Promise<Stats> {
  return new Promise((resolve, reject) => fstat(fd, (err, stats) => (err ? reject(err) : resolve(stats))));
}

/** Closes and forgets errors: a descriptor being closed has nothing more to say. */
export function closeQuietly(fd: number): Promise<void> {
  return new Promise((resolve) => close(fd, () => resolve()));
}

/** Reads `[position, position + length)` fully (short only at end of file). */
export async function readFully(fd: number, buffer: Buffer, length: number, position: number): Promise<number> {
  let done = 0;
  while (done < length) {
    const n = await readAt(fd, done === 0 ? buffer : buffer.subarray(done), length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}
