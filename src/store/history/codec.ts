// One entry = one row: a JSON array on one line. Rows are what the journal holds; a block of a
// segment of version 1 or 2 is rows joined by "\n", compressed as one unit (version 3: block.ts). JSON escapes newlines inside strings, so
// "\n" only ever separates rows and a block decodes with a single JSON.parse.
import { Buffer } from 'node:buffer';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { LEVELS, type Level } from '../../types.ts';
import type { AppendEntry, HistoryEntry } from './types.ts';

const LEVEL_INDEX: Record<Level, number> = Object.fromEntries(LEVELS.map((level, i) => [level, i])) as Record<Level, number>;

/**
 * [time, receivedAt - time, level, source, format, message, raw, metadata, id, pattern?].
 * `message` is a number n when it is raw.slice(n) (0: the whole raw line; most parsers cut a prefix),
 * else the text. `metadata` is 0 when empty, REBUILD when the reader rebuilds it from the raw line by
 * the format's parser (segment version 2; version 1 never has it), else the object. The field order is
 * part of the file format.
 */
export type Row = [number, number, number, string, string, string | number, string, Record<string, unknown> | 0 | 1, number, string?];

const REBUILD = 1;

/** Rebuilds metadata the writer left out; see HistoryOptions.metadata. */
export type Rebuild = ((format: string, raw: string) => Record<string, unknown> | null) | undefined;

/** `elide`: store no metadata, the reader rebuilds it from the raw line. */
export function encodeRow(entry: AppendEntry, elide = false): string {
  let hasMetadata = false;
  let metadata: Record<string, unknown> | 0 | 1 = REBUILD;
  if (!elide) {
    metadata = entry.metadata;
    for (const _ in metadata) {
      hasMetadata = true;
      break;
    }
    if (!hasMetadata) metadata = 0;
  }
  const row: Row = [
    entry.time,
    entry.receivedAt - entry.time,
    LEVEL_INDEX[entry.level] ?? 5,
    entry.source,
    entry.format,
    messageField(entry.message, entry.raw),
    entry.raw,
    metadata,
    entry.id,
  ];
  if (entry.pattern !== undefined) row.push(entry.pattern);
  return JSON.stringify(row);
}

function messageField(message: string, raw: string): string | number {
  if (message.length <= raw.length && raw.endsWith(message)) return raw.length - message.length;
  return message;
}

export function decodeRow(row: Row, seq: number, rebuild?: Rebuild): HistoryEntry {
  const stored = row[7];
  const entry: HistoryEntry = {
    seq,
    id: row[8],
    time: row[0],
    receivedAt: row[0] + row[1],
    level: LEVELS[row[2]] ?? 'UNKNOWN',
    source: row[3],
    format: row[4],
    message: typeof row[5] === 'number' ? row[6].slice(row[5]) : row[5],
    raw: row[6],
    metadata: stored === 0 || stored === REBUILD ? {} : stored,
  };
  if (stored === REBUILD && rebuild !== undefined) rebuildOnRead(entry, rebuild);
  if (row[9] !== undefined) entry.pattern = row[9];
  return entry;
}

/**
 * Makes `entry.metadata` rebuild itself from the raw line the first time it is read. Most decoded entries
 * are only tested on time, level, source or text and never show their metadata; rebuilding it for each
 * costs about 3 µs (a rule test replays millions). An own enumerable accessor, so JSON and spreads see it;
 * the value replaces it once read (or written).
 */
export function rebuildOnRead(entry: HistoryEntry, rebuild: NonNullable<Rebuild>): void {
  const settle = (target: HistoryEntry, value: Record<string, unknown>) =>
    Object.defineProperty(target, 'metadata', { value, writable: true, enumerable: true, configurable: true });
  Object.defineProperty(entry, 'metadata', {
    enumerable: true,
    configurable: true,
    get(this: HistoryEntry) {
      const metadata = rebuild(this.format, this.raw) ?? {};
      settle(this, metadata);
      return metadata;
    },
    set(this: HistoryEntry, value: Record<string, unknown>) {
      settle(this, value);
    },
  });
}

/** Whether the row left its metadata to the reader. */
export function rowElided(row: Row): boolean {
  return row[7] === REBUILD;
}

/** Rows joined by "\n" back into entries; the first row has sequence number `firstSeq`. */
export function decodeRows(text: string, firstSeq: number, rebuild?: Rebuild): HistoryEntry[] {
  if (text === '') return [];
  const rows = JSON.parse(`[${text.replaceAll('\n', ',')}]`) as Row[];
  const out: HistoryEntry[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = decodeRow(rows[i], firstSeq + i, rebuild);
  return out;
}

// Brotli: at equal CPU it compresses the bench's mixed lines 5-15 % smaller than deflate (History
// section of bench/RESULTS.md, 2026-12-08); zstd is not in node:zlib on Node 20. Quality 4, not 5: on
// column blocks of the bench's mixed logs, 5 saved about 1 point of raw size (17.1 vs 18.2 % at 200
// entries a block, 15.6 vs 16.6 % at 1000) for about 2 µs more CPU per entry, more than parsing the
// line costs. The quality is the writer's choice only: any brotli stream decodes alike.
export const CODEC = 'br4';
/** Codec names of readable segments ('br5': written at quality 5 before). */
export const READABLE_CODECS: ReadonlySet<string> = new Set(['br4', 'br5']);

const brotliCompress = promisify(zlib.brotliCompress);
const brotliDecompress = promisify(zlib.brotliDecompress);

const BROTLI_OPTIONS: zlib.BrotliOptions = {
  params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: 4,
    [zlib.constants.BROTLI_PARAM_LGWIN]: 22,
    [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
  },
};

/** Compresses off the main thread (libuv's pool), so sealing never stalls parsing. */
export function compressBlock(text: string): Promise<Buffer> {
  return brotliCompress(Buffer.from(text), { ...BROTLI_OPTIONS, params: { ...BROTLI_OPTIONS.params, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: text.length } });
}

export async function decompressBlock(bytes: Uint8Array): Promise<string> {
  return (await brotliDecompress(bytes)).toString('utf8');
}

/** Synchronous form for scans of a few blocks (a page): no thread-pool round trip per block. */
export function decompressBlockSync(bytes: Uint8Array): string {
  return zlib.brotliDecompressSync(bytes).toString('utf8');
}
