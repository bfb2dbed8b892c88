// Search and histogram over a consistent snapshot of history: the entries still in memory (queued or
// in the unsealed tail) and the sealed segments, newest first. The index skips blocks by time, level
// and source, the trigram bitmaps skip blocks that cannot contain `q`; the rest is decoded and tested
// entry by entry, so answers are exact.
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { Buffer } from 'node:buffer';
import { LEVELS, LEVEL_RANK, type Level } from '../../types.ts';
import { decodeBlock } from './block.ts';
import { decodeRows, decompressBlockSync, type Rebuild } from './codec.ts';
import { compileQuery, decodeCursor, encodeCursor, indexCount, overlaps, type CompiledQuery } from './filter.ts';
import type { BlockMeta, SegmentMeta } from './segment.ts';
import { mayContain } from './trigrams.ts';
import type { AppendEntry, HistogramBucket, HistogramRequest, HistoryEntry, HistoryPage, HistoryQuery, PageRequest } from './types.ts';

/** An entry still in memory, with its sequence number. */
export interface MemoryEntry {
  seq: number;
  entry: AppendEntry;
}

export interface Snapshot {
  /** Oldest first. */
  memory: readonly MemoryEntry[];
  /** Oldest first. */
  segments: readonly SegmentMeta[];
  /** Rebuilds the metadata a segment row left out (HistoryOptions.metadata). */
  rebuild?: Rebuild;
}

export const MAX_PAGE = 10_000;
export const MAX_BUCKETS = 10_000;

export function toHistoryEntry(entry: AppendEntry, seq: number): HistoryEntry {
  // Built field by field: a parser's entry builds `metadata` in a getter that a spread would miss.
  const out: HistoryEntry = {
    seq,
    id: entry.id,
    time: entry.time,
    level: entry.level,
    message: entry.message,
    source: entry.source,
    format: entry.format,
    metadata: entry.metadata,
    raw: entry.raw,
    receivedAt: entry.receivedAt,
  };
  if (entry.pattern !== undefined) out.pattern = entry.pattern;
  return out;
}

/** The segment's blocks that may hold a match, newest first, after the index and the bitmaps. */
async function candidateBlocks(handle: FileHandle, segment: SegmentMeta, query: CompiledQuery, beforeSeq: number): Promise<{ blocks: BlockMeta[]; skipped: number }> {
  const blocks: BlockMeta[] = [];
  for (let b = segment.blocks.length - 1; b >= 0; b--) {
    const block = segment.blocks[b];
    if (block.firstSeq >= beforeSeq || !overlaps(block.minTime, block.maxTime, query) || indexCount(block, segment.sources, query) === 0) continue;
    blocks.push(block);
  }
  if (query.needle.length === 0 || blocks.length === 0) return { blocks, skipped: segment.blocks.length - blocks.length };
  // The bitmaps of a segment are contiguous: one read for all of them.
  const first = segment.blocks[0].bloomOffset;
  const last = segment.blocks[segment.blocks.length - 1];
  const bitmaps = await readAt(handle, first, last.bloomOffset + last.bloomLength - first);
  const kept = blocks.filter((block) => mayContain(bitmaps.subarray(block.bloomOffset - first, block.bloomOffset - first + block.bloomLength), query.needle));
  return { blocks: kept, skipped: segment.blocks.length - kept.length };
}

async function readAt(handle: FileHandle, offset: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, offset + done);
    if (bytesRead === 0) throw new Error('history segment is shorter than its index says');
    done += bytesRead;
  }
  return buffer;
}

async function readBlock(handle: FileHandle, segment: SegmentMeta, block: BlockMeta, rebuild: Rebuild): Promise<HistoryEntry[]> {
  const text = decompressBlockSync(await readAt(handle, block.offset, block.length));
  // Versions 1 and 2 hold JSON rows (segment.ts SEGMENT_VERSION).
  return segment.version >= 3 ? decodeBlock(text, block.firstSeq, rebuild) : decodeRows(text, block.firstSeq, rebuild);
}

/** Opens a segment for reading; null when retention deleted it meanwhile (its entries are gone). */
async function openSegment(segment: SegmentMeta): Promise<FileHandle | null> {
  try {
    return await open(segment.path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export async function searchPage(snapshot: Snapshot, request: PageRequest): Promise<HistoryPage> {
  const query = compileQuery(request);
  const limit = Math.min(Math.max(1, request.limit ?? 100), MAX_PAGE);
  const beforeSeq = request.cursor === undefined || request.cursor === '' ? Number.POSITIVE_INFINITY : decodeCursor(request.cursor);
  // One more than the page: whether it exists says if there is an older page.
  const want = limit + 1;
  const out: HistoryEntry[] = [];
  let blocksRead = 0;
  let blocksSkipped = 0;

  const memory = snapshot.memory;
  for (let i = memory.length - 1; i >= 0 && out.length < want; i--) {
    const { seq, entry } = memory[i];
    if (seq < beforeSeq && query.test(entry as HistoryEntry)) out.push(toHistoryEntry(entry, seq));
  }
  for (let s = snapshot.segments.length - 1; s >= 0 && out.length < want; s--) {
    const segment = snapshot.segments[s];
    if (segment.firstSeq >= beforeSeq || !overlaps(segment.minTime, segment.maxTime, query)) {
      blocksSkipped += segment.blocks.length;
      continue;
    }
    const handle = await openSegment(segment);
    if (handle === null) continue;
    try {
      const { blocks, skipped } = await candidateBlocks(handle, segment, query, beforeSeq);
      blocksSkipped += skipped;
      for (const block of blocks) {
        if (out.length >= want) break;
        blocksRead++;
        const entries = await readBlock(handle, segment, block, snapshot.rebuild);
        for (let i = entries.length - 1; i >= 0 && out.length < want; i--) {
          const entry = entries[i];
          if (entry.seq < beforeSeq && query.test(entry)) out.push(entry);
        }
      }
    } finally {
      await handle.close();
    }
  }
  const more = out.length > limit;
  if (more) out.length = limit;
  return { entries: out, next: more ? encodeCursor(out[out.length - 1].seq) : null, blocksRead, blocksSkipped };
}

export async function histogram(snapshot: Snapshot, request: HistogramRequest): Promise<HistogramBucket[]> {
  const { step } = request;
  if (!(step > 0) || !Number.isFinite(request.from) || !Number.isFinite(request.to) || request.to <= request.from) {
    throw new RangeError('histogram needs from < to and a step > 0');
  }
  const start = Math.floor(request.from / step) * step;
  const buckets = Math.ceil((request.to - start) / step);
  if (buckets > MAX_BUCKETS) throw new RangeError(`histogram would have ${buckets} buckets; use a step of at least ${Math.ceil((request.to - start) / MAX_BUCKETS)} ms`);
  const query = compileQuery(request);
  const counts = new Float64Array(buckets * 6);
  const add = (time: number, rank: number, n = 1) => {
    counts[Math.floor((time - start) / step) * 6 + rank] += n;
  };
  for (const { entry } of snapshot.memory) if (query.test(entry as HistoryEntry)) add(entry.time, LEVEL_RANK[entry.level]);

  for (const segment of snapshot.segments) {
    if (!overlaps(segment.minTime, segment.maxTime, query)) continue;
    const toRead: BlockMeta[] = [];
    for (const block of segment.blocks) {
      if (!overlaps(block.minTime, block.maxTime, query) || indexCount(block, segment.sources, query) === 0) continue;
      const bucket = Math.floor((block.minTime - start) / step);
      if (query.indexOnly && block.minTime >= query.from && block.maxTime < query.to && bucket === Math.floor((block.maxTime - start) / step)) {
        // The whole block falls in one bucket: its counts come from the index, nothing is read.
        for (const row of block.counts) {
          if (query.matchSource !== undefined && !query.matchSource(segment.sources[row[0]])) continue;
          for (let rank = query.minRank; rank < 6; rank++) if (row[1 + rank] > 0) add(block.minTime, rank, row[1 + rank]);
        }
      } else toRead.push(block);
    }
    if (toRead.length === 0) continue;
    const handle = await openSegment(segment);
    if (handle === null) continue;
    try {
      const { blocks } = query.needle.length === 0 ? { blocks: toRead } : await candidateBlocks(handle, { ...segment, blocks: toRead }, query, Number.POSITIVE_INFINITY);
      for (const block of blocks) {
        for (const entry of await readBlock(handle, segment, block, snapshot.rebuild)) if (query.test(entry)) add(entry.time, LEVEL_RANK[entry.level]);
      }
    } finally {
      await handle.close();
    }
  }

  const out: HistogramBucket[] = [];
  for (let b = 0; b < buckets; b++) {
    const byLevel = {} as Record<Level, number>;
    let total = 0;
    for (const level of LEVELS) {
      const n = counts[b * 6 + LEVEL_RANK[level]];
      byLevel[level] = n;
      total += n;
    }
    out.push({ time: start + b * step, counts: byLevel, total });
  }
  return out;
}

/**
 * Every match, oldest first, handed over in batches (a block at a time), for replaying rules over a
 * range; stops early when `visit` returns false. Memory stays at one block.
 */
export async function scanForward(snapshot: Snapshot, request: HistoryQuery, visit: (entries: HistoryEntry[]) => boolean | void): Promise<void> {
  const query = compileQuery(request);
  for (const segment of snapshot.segments) {
    if (!overlaps(segment.minTime, segment.maxTime, query)) continue;
    const handle = await openSegment(segment);
    if (handle === null) continue;
    try {
      const { blocks } = await candidateBlocks(handle, segment, query, Number.POSITIVE_INFINITY);
      // candidateBlocks lists newest first.
      for (let b = blocks.length - 1; b >= 0; b--) {
        const matches = (await readBlock(handle, segment, blocks[b], snapshot.rebuild)).filter(query.test);
        if (matches.length > 0 && visit(matches) === false) return;
      }
    } finally {
      await handle.close();
    }
  }
  const memory: HistoryEntry[] = [];
  for (const { seq, entry } of snapshot.memory) if (query.test(entry as HistoryEntry)) memory.push(toHistoryEntry(entry, seq));
  if (memory.length > 0) visit(memory);
}
