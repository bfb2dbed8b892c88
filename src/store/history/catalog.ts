// The sealed segments, oldest first, with what retention and stats need. Segments live in one folder
// per UTC day (the day they were sealed); their names are the first sequence number they hold, so the
// file system never sees a source name (a source is any string a client sends).
import { mkdir, readdir, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { readSegmentIndex, type SegmentMeta } from './segment.ts';

const PARTITION = /^\d{4}-\d{2}-\d{2}$/;
const SEGMENT = /^(\d{16})\.seg$/;

export function partitionName(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

export function segmentFileName(firstSeq: number): string {
  return `${String(firstSeq).padStart(16, '0')}.seg`;
}

export class Catalog {
  private list: SegmentMeta[] = [];
  private bytesTotal = 0;

  private constructor(readonly dir: string) {}

  /** Reads every segment's index; removes temp files a crash left; skips (and names) unreadable files. */
  static async load(dir: string, warn: (message: string) => void): Promise<Catalog> {
    const catalog = new Catalog(dir);
    await mkdir(dir, { recursive: true });
    for (const partition of (await readdir(dir)).filter((name) => PARTITION.test(name)).sort()) {
      const folder = join(dir, partition);
      for (const name of (await readdir(folder)).sort()) {
        const path = join(folder, name);
        if (name.endsWith('.tmp')) {
          await unlink(path).catch(() => {});
          continue;
        }
        if (!SEGMENT.test(name)) continue;
        try {
          catalog.list.push(await readSegmentIndex(path));
        } catch (err) {
          warn(`history: skipping ${path}: ${(err as Error).message}; move it away to silence this`);
        }
      }
    }
    catalog.list.sort((a, b) => a.firstSeq - b.firstSeq);
    for (const segment of catalog.list) catalog.bytesTotal += segment.bytes;
    return catalog;
  }

  get segments(): readonly SegmentMeta[] {
    return this.list;
  }

  get bytes(): number {
    return this.bytesTotal;
  }

  /** Sequence number after the newest sealed entry (0 when empty). */
  get nextSeq(): number {
    const last = this.list[this.list.length - 1];
    return last === undefined ? 0 : last.lastSeq + 1;
  }

  add(segment: SegmentMeta): void {
    this.list.push(segment);
    this.bytesTotal += segment.bytes;
  }

  /**
   * Removes from the catalog, oldest first, the segments past `maxAgeMs` (by newest receive time) and
   * as many more as it takes to bring the total under `maxBytes`; the caller deletes their files.
   */
  expire(now: number, maxAgeMs: number, maxBytes: number): SegmentMeta[] {
    const out: SegmentMeta[] = [];
    while (this.list.length > 0) {
      const oldest = this.list[0];
      if (oldest.maxReceivedAt >= now - maxAgeMs && this.bytesTotal <= maxBytes) break;
      this.list.shift();
      this.bytesTotal -= oldest.bytes;
      out.push(oldest);
    }
    return out;
  }

  /** Deletes expired segment files and the day folders they leave empty. */
  static async remove(segments: readonly SegmentMeta[], warn: (message: string) => void): Promise<void> {
    const folders = new Set<string>();
    for (const segment of segments) {
      await unlink(segment.path).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') warn(`history: cannot delete ${segment.path}: ${err.message}`);
      });
      folders.add(join(segment.path, '..'));
    }
    for (const folder of folders) await rmdir(folder).catch(() => {});
  }
}
