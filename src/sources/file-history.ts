// The last lines of a file, read backwards from an offset: the history loaded into the buffer at start.
import type { Buffer } from 'node:buffer';
import { readFully } from './fd-io.ts';
import { LineSplitter } from './line-splitter.ts';

export interface LineRange {
  /** Offset of the first line of the range. */
  start: number;
  /** Offset just after the `\n` of the last complete line at or before the limit (0 when none). */
  end: number;
  /** Complete lines in the range. */
  lines: number;
}

/** Locates the last `maxLines` complete lines of `[0, limit)` without reading more than it must. */
export async function findLastLines(fd: number, limit: number, maxLines: number, buffer: Buffer): Promise<LineRange> {
  let end = -1;
  let found = 0;
  let pos = limit;
  while (pos > 0) {
    const from = Math.max(0, pos - buffer.length);
    const n = await readFully(fd, buffer, pos - from, from);
    for (let i = n - 1; i >= 0; i--) {
      if (buffer[i] !== 10) continue;
      const at = from + i;
      if (end < 0) {
        end = at + 1;
        if (maxLines === 0) return { start: end, end, lines: 0 };
        continue;
      }
      if (++found === maxLines) return { start: at + 1, end, lines: found };
    }
    if (n < pos - from) break;
    pos = from;
  }
  // Reached the start of the file: the first line has no `\n` before it.
  return end < 0 ? { start: 0, end: 0, lines: 0 } : { start: 0, end, lines: found + 1 };
}

/** Reads `[start, end)` (a run of complete lines) and hands them over one chunk at a time. */
export async function readLineRange(
  fd: number,
  range: LineRange,
  maxLineBytes: number,
  buffer: Buffer,
  onLines: (lines: string[]) => void,
): Promise<number> {
  const splitter = new LineSplitter(maxLineBytes);
  let pos = range.start;
  let count = 0;
  while (pos < range.end) {
    const n = await readFully(fd, buffer, Math.min(buffer.length, range.end - pos), pos);
    if (n === 0) break;
    const lines: string[] = [];
    splitter.push(buffer, n, pos, lines, []);
    pos += n;
    if (lines.length > 0) {
      count += lines.length;
      onLines(lines);
    }
  }
  return count;
}
