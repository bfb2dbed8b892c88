// The spool's on-disk format. One directory of segment files named by the sequence number of their
// first line; one JSON record per accepted request, one record per line of text:
//   {"q":1200,"t":1764497702123,"p":[{"s":"http","f":"json","l":["line", ...]}, ...]}
// `q` numbers the request's first line (lines are numbered across the spool), `t` is the receive time.
// A request is one record, so a crash mid-write loses the whole unfinished request, never half of it.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IngestPart } from './types.ts';

export interface SpoolRecord {
  /** Sequence number of the record's first line. */
  seq: number;
  receivedAt: number;
  parts: IngestPart[];
  /** Lines in all parts. */
  lines: number;
}

export interface SegmentFile {
  /** Sequence number of its first line. */
  seq: number;
  path: string;
  size: number;
}

export interface ParsedSegment {
  records: SpoolRecord[];
  /** Bytes of whole, valid records: the rest is a torn or corrupt tail. */
  validBytes: number;
  /** Sequence number after the last valid record. */
  endSeq: number;
}

const SEGMENT_NAME = /^(\d{16})\.spool$/;

export function segmentName(seq: number): string {
  return `${String(seq).padStart(16, '0')}.spool`;
}

/** Segment files, oldest first. */
export async function listSegments(dir: string, sizeOf: (path: string) => Promise<number>): Promise<SegmentFile[]> {
  const out: SegmentFile[] = [];
  for (const name of await readdir(dir)) {
    const match = SEGMENT_NAME.exec(name);
    if (match === null) continue;
    const path = join(dir, name);
    out.push({ seq: Number(match[1]), path, size: await sizeOf(path) });
  }
  return out.sort((a, b) => a.seq - b.seq);
}

/** Serializes one request. JSON escapes newlines, so a record is always one line. */
export function encodeRecord(seq: number, receivedAt: number, parts: readonly IngestPart[]): string {
  const encoded = parts.map((part) => (part.format === undefined ? { s: part.source, l: part.lines } : { s: part.source, f: part.format, l: part.lines }));
  return JSON.stringify({ q: seq, t: receivedAt, p: encoded });
}

/**
 * Reads a segment, stopping at the first record that is incomplete (no final newline: a torn write),
 * unparsable or out of sequence.
 */
export async function readSegment(segment: SegmentFile): Promise<ParsedSegment> {
  const bytes = await readFile(segment.path);
  const records: SpoolRecord[] = [];
  let pos = 0;
  let seq = segment.seq;
  while (pos < bytes.length) {
    const nl = bytes.indexOf(10, pos);
    if (nl < 0) break;
    const record = decodeRecord(bytes.toString('utf8', pos, nl));
    if (record === null || record.seq !== seq) break;
    records.push(record);
    seq += record.lines;
    pos = nl + 1;
  }
  return { records, validBytes: pos, endSeq: seq };
}

function decodeRecord(text: string): SpoolRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { q, t, p } = value as { q?: unknown; t?: unknown; p?: unknown };
  if (typeof q !== 'number' || typeof t !== 'number' || !Array.isArray(p)) return null;
  const parts: IngestPart[] = [];
  let lines = 0;
  for (const raw of p as unknown[]) {
    if (typeof raw !== 'object' || raw === null) return null;
    const { s, f, l } = raw as { s?: unknown; f?: unknown; l?: unknown };
    if (typeof s !== 'string' || !Array.isArray(l) || (f !== undefined && typeof f !== 'string')) return null;
    if (!l.every((line) => typeof line === 'string')) return null;
    parts.push(f === undefined ? { source: s, lines: l as string[] } : { source: s, lines: l as string[], format: f });
    lines += l.length;
  }
  return { seq: q, receivedAt: t, parts, lines };
}
