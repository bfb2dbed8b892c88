// A block of a segment (version 3): its entries by column, not row by row. One JSON line holds every
// field but the raw lines, as columns (block-local dictionaries of sources and formats, times as
// deltas), and the raw lines follow as they were, one after the other, "\n" between them. The
// compressor then sees the log text as the log file had it, plus a header of small numbers: as JSON
// rows (raw lines escaped, source and format names repeated on each) the same entries took 20 to 30 %
// more after brotli (bench/history-write.ts).
import { LEVELS, type Level } from '../../types.ts';
import { rebuildOnRead, type Rebuild } from './codec.ts';
import type { AppendEntry, HistoryEntry } from './types.ts';

const LEVEL_INDEX: Record<Level, number> = Object.fromEntries(LEVELS.map((level, i) => [level, i])) as Record<Level, number>;

/** An entry to seal and whether its metadata is left for the reader to rebuild from the raw line. */
export interface BlockEntry {
  entry: AppendEntry;
  elide: boolean;
}

/**
 * Every column has one value per entry. `m` (message): a number n when it is raw.slice(n), a pair
 * [start, length] when it is that substring of raw, else the text. `d` (metadata): 0 when empty, 1 when
 * the reader rebuilds it, else the object. `n`: raw line lengths in UTF-16 code units (a raw line may
 * hold "\n": multi-line entries). `p` (pattern ids, 0 for none) only when an entry has one.
 */
interface Header {
  S: string[];
  F: string[];
  t: number[];
  r: number[];
  l: number[];
  s: number[];
  f: number[];
  m: Array<number | [number, number] | string>;
  d: Array<0 | 1 | Record<string, unknown>>;
  i: number[];
  n: number[];
  p?: Array<string | 0>;
}

/** Bytes a block grows by for an entry besides its raw line (the header columns), to cut blocks by size. */
export const ENTRY_OVERHEAD = 24;

export function encodeBlock(entries: readonly BlockEntry[]): string {
  const count = entries.length;
  const head: Header = { S: [], F: [], t: new Array(count), r: new Array(count), l: new Array(count), s: new Array(count), f: new Array(count), m: new Array(count), d: new Array(count), i: new Array(count), n: new Array(count) };
  const sources = new Map<string, number>();
  const formats = new Map<string, number>();
  const raws: string[] = new Array(count);
  let patterns: Array<string | 0> | undefined;
  let time = 0;
  let id = 0;
  for (let k = 0; k < count; k++) {
    const { entry, elide } = entries[k];
    const raw = entry.raw;
    head.t[k] = entry.time - time;
    time = entry.time;
    head.r[k] = entry.receivedAt - entry.time;
    head.l[k] = LEVEL_INDEX[entry.level] ?? 5;
    let source = sources.get(entry.source);
    if (source === undefined) {
      source = head.S.length;
      head.S.push(entry.source);
      sources.set(entry.source, source);
    }
    head.s[k] = source;
    let format = formats.get(entry.format);
    if (format === undefined) {
      format = head.F.length;
      head.F.push(entry.format);
      formats.set(entry.format, format);
    }
    head.f[k] = format;
    head.m[k] = messageField(entry.message, raw);
    head.d[k] = elide ? 1 : metadataField(entry.metadata);
    head.i[k] = entry.id - id;
    id = entry.id;
    head.n[k] = raw.length;
    raws[k] = raw;
    if (entry.pattern !== undefined) {
      patterns ??= new Array<string | 0>(count).fill(0);
      patterns[k] = entry.pattern;
    }
  }
  if (patterns !== undefined) head.p = patterns;
  // JSON.stringify escapes every newline, so the first "\n" ends the header.
  return `${JSON.stringify(head)}\n${raws.join('\n')}`;
}

function messageField(message: string, raw: string): number | [number, number] | string {
  if (message.length <= raw.length) {
    if (raw.endsWith(message)) return raw.length - message.length;
    const at = raw.indexOf(message);
    if (at >= 0) return [at, message.length];
  }
  return message;
}

function metadataField(metadata: Record<string, unknown>): 0 | Record<string, unknown> {
  for (const _ in metadata) return metadata;
  return 0;
}

/** The entries of a block; the first has sequence number `firstSeq`. Throws on a block that is not whole. */
export function decodeBlock(text: string, firstSeq: number, rebuild: Rebuild): HistoryEntry[] {
  const nl = text.indexOf('\n');
  if (nl < 0) throw new Error('history block has no header (damaged segment?)');
  const head = JSON.parse(text.slice(0, nl)) as Header;
  const count = head.n.length;
  const out: HistoryEntry[] = new Array(count);
  let pos = nl + 1;
  let time = 0;
  let id = 0;
  for (let k = 0; k < count; k++) {
    const raw = text.slice(pos, pos + head.n[k]);
    pos += head.n[k] + 1;
    time += head.t[k];
    id += head.i[k];
    const m = head.m[k];
    const d = head.d[k];
    const format = head.F[head.f[k]];
    const entry: HistoryEntry = {
      seq: firstSeq + k,
      id,
      time,
      receivedAt: time + head.r[k],
      level: LEVELS[head.l[k]] ?? 'UNKNOWN',
      source: head.S[head.s[k]],
      format,
      message: typeof m === 'number' ? raw.slice(m) : typeof m === 'string' ? m : raw.slice(m[0], m[0] + m[1]),
      raw,
      metadata: d === 0 || d === 1 ? {} : d,
    };
    if (d === 1 && rebuild !== undefined) rebuildOnRead(entry, rebuild);
    const pattern = head.p?.[k];
    if (pattern !== undefined && pattern !== 0) entry.pattern = pattern;
    out[k] = entry;
  }
  if (pos !== text.length + 1) throw new Error('history block lengths do not match its text (damaged segment?)');
  return out;
}
