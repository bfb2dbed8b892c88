// An immutable segment file: compressed blocks of entries (block.ts), then each block's trigram bitmap, then the
// index (JSON), then 8 bytes: the index length (u32 LE) and the magic "LWH1". Opening history reads
// only the index of each segment; a search reads the bitmaps of the segments it may need and the
// blocks that may match. Source names live in the index, never in file names.
import { Buffer } from 'node:buffer';
import { open, rename, unlink } from 'node:fs/promises';
import { LEVEL_RANK, type Level } from '../../types.ts';
import { encodeBlock, ENTRY_OVERHEAD, type BlockEntry } from './block.ts';
import { compressBlock, CODEC, READABLE_CODECS } from './codec.ts';
import { TrigramBuilder } from './trigrams.ts';

const MAGIC = 0x3148574c; // "LWH1" little-endian
/**
 * 3: blocks by column (block.ts). 1 and 2: blocks of JSON rows (codec.ts decodeRows; 2 may leave a row's
 * metadata for the reader to rebuild), still read as they are. A newer version (a downgrade) is refused
 * with a warning and the segment skipped.
 */
export const SEGMENT_VERSION = 3;
const READABLE_VERSIONS: ReadonlySet<number> = new Set([1, 2, 3]);

export interface BlockMeta {
  /** Byte range of the compressed rows. */
  offset: number;
  length: number;
  /** Byte range of the trigram bitmap. */
  bloomOffset: number;
  bloomLength: number;
  count: number;
  firstSeq: number;
  minTime: number;
  maxTime: number;
  /** [segment source index, then count per level rank 0..5] per source present in the block. */
  counts: number[][];
}

export interface SegmentIndex {
  version: number;
  codec: string;
  firstSeq: number;
  lastSeq: number;
  count: number;
  minTime: number;
  maxTime: number;
  /** Newest receive time: retention by age uses it (when LogWatch got the data, not what the line says). */
  maxReceivedAt: number;
  /** Bytes of the raw lines. */
  rawBytes: number;
  sources: string[];
  blocks: BlockMeta[];
}

export interface SegmentMeta extends SegmentIndex {
  path: string;
  /** File size. */
  bytes: number;
}

/** An entry to seal. */
export type SealRow = BlockEntry;

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * A block also ends where entry time crosses a 10-minute boundary (UTC), once it has a few entries: a
 * histogram whose step is a multiple of 10 minutes then finds most blocks inside one bucket and counts
 * them from the index without reading them.
 */
const SLOT_MS = 600_000;
const MIN_SLOT_CUT = 64;

/** Writes rows (consecutive sequence numbers from `firstSeq`) as a segment at `path` (temp file, then rename). */
export async function writeSegment(path: string, rows: readonly SealRow[], firstSeq: number, blockBytes: number, fsync: boolean): Promise<SegmentMeta> {
  const sources: string[] = [];
  const sourceIndex = new Map<string, number>();
  const blocks: BlockMeta[] = [];
  const payloads: Promise<Buffer>[] = [];
  const blooms: Uint8Array[] = [];
  let minTime = Number.POSITIVE_INFINITY;
  let maxTime = Number.NEGATIVE_INFINITY;
  let maxReceivedAt = Number.NEGATIVE_INFINITY;
  let rawBytes = 0;

  let i = 0;
  while (i < rows.length) {
    const start = i;
    let size = 0;
    const bloom = new TrigramBuilder();
    const perSource = new Map<number, number[]>();
    let bMin = Number.POSITIVE_INFINITY;
    let bMax = Number.NEGATIVE_INFINITY;
    const slot = Math.floor(rows[i].entry.time / SLOT_MS);
    while (i < rows.length && (i === start || (size < blockBytes && (i - start < MIN_SLOT_CUT || Math.floor(rows[i].entry.time / SLOT_MS) === slot)))) {
      const { entry } = rows[i];
      size += entry.raw.length + ENTRY_OVERHEAD;
      bloom.add(entry.raw);
      // A message that is not the raw line, or whose lowercase may differ inside the raw line (final sigma).
      if (entry.message !== entry.raw && (!entry.raw.endsWith(entry.message) || NON_ASCII.test(entry.message))) bloom.add(entry.message);
      let sid = sourceIndex.get(entry.source);
      if (sid === undefined) {
        sid = sources.length;
        sources.push(entry.source);
        sourceIndex.set(entry.source, sid);
      }
      let counts = perSource.get(sid);
      if (counts === undefined) {
        counts = [sid, 0, 0, 0, 0, 0, 0];
        perSource.set(sid, counts);
      }
      counts[1 + (LEVEL_RANK[entry.level as Level] ?? 0)]++;
      if (entry.time < bMin) bMin = entry.time;
      if (entry.time > bMax) bMax = entry.time;
      if (entry.receivedAt > maxReceivedAt) maxReceivedAt = entry.receivedAt;
      rawBytes += Buffer.byteLength(entry.raw) + 1;
      i++;
    }
    payloads.push(compressBlock(encodeBlock(rows.slice(start, i))));
    blooms.push(bloom.finish());
    blocks.push({ offset: 0, length: 0, bloomOffset: 0, bloomLength: 0, count: i - start, firstSeq: firstSeq + start, minTime: bMin, maxTime: bMax, counts: [...perSource.values()] });
    if (bMin < minTime) minTime = bMin;
    if (bMax > maxTime) maxTime = bMax;
  }

  const compressed = await Promise.all(payloads);
  let offset = 0;
  for (let b = 0; b < blocks.length; b++) {
    blocks[b].offset = offset;
    blocks[b].length = compressed[b].length;
    offset += compressed[b].length;
  }
  for (let b = 0; b < blocks.length; b++) {
    blocks[b].bloomOffset = offset;
    blocks[b].bloomLength = blooms[b].length;
    offset += blooms[b].length;
  }
  const index: SegmentIndex = {
    version: SEGMENT_VERSION,
    codec: CODEC,
    firstSeq,
    lastSeq: firstSeq + rows.length - 1,
    count: rows.length,
    minTime,
    maxTime,
    maxReceivedAt,
    rawBytes,
    sources,
    blocks,
  };
  const indexBytes = Buffer.from(JSON.stringify(index));
  const footer = Buffer.alloc(8);
  footer.writeUInt32LE(indexBytes.length, 0);
  footer.writeUInt32LE(MAGIC, 4);
  const parts = [...compressed, ...blooms, indexBytes, footer];
  const size = offset + indexBytes.length + 8;

  const tmp = `${path}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writev(parts);
    if (fsync) await handle.sync();
  } catch (err) {
    await handle.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    throw err;
  }
  await handle.close();
  await rename(tmp, path);
  return { ...index, path, bytes: size };
}

/** Reads a segment's index; throws with the reason when the file is not a whole segment. */
export async function readSegmentIndex(path: string): Promise<SegmentMeta> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size < 8) throw new Error('too short to be a history segment');
    const footer = Buffer.alloc(8);
    await handle.read(footer, 0, 8, size - 8);
    if (footer.readUInt32LE(4) !== MAGIC) throw new Error('not a history segment (no end marker: cut short?)');
    const length = footer.readUInt32LE(0);
    if (length > size - 8) throw new Error('index length past the start of the file');
    const bytes = Buffer.alloc(length);
    await handle.read(bytes, 0, length, size - 8 - length);
    const index = JSON.parse(bytes.toString('utf8')) as SegmentIndex;
    if (!READABLE_VERSIONS.has(index.version) || !READABLE_CODECS.has(index.codec)) throw new Error(`unsupported segment version ${index.version} / codec ${index.codec} (written by a newer LogWatch?)`);
    return { ...index, path, bytes: size };
  } finally {
    await handle.close();
  }
}

/** Reads byte ranges of a segment in one open. */
export async function readRanges(path: string, ranges: ReadonlyArray<{ offset: number; length: number }>): Promise<Buffer[]> {
  const handle = await open(path, 'r');
  try {
    const out: Buffer[] = [];
    for (const range of ranges) {
      const buffer = Buffer.alloc(range.length);
      let done = 0;
      while (done < range.length) {
        const { bytesRead } = await handle.read(buffer, done, range.length - done, range.offset + done);
        if (bytesRead === 0) throw new Error(`history segment ${path} ends before byte ${range.offset + range.length}`);
        done += bytesRead;
      }
      out.push(buffer);
    }
    return out;
  } finally {
    await handle.close();
  }
}
