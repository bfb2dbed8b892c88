// A history query compiled once: a predicate per entry (the same filters as the ring's, plus time range,
// source globs, field conditions and pattern) and the tests that let whole blocks be skipped from
// their index alone.
import { Buffer } from 'node:buffer';
import { compileNameMatcher } from '../../glob.ts';
import { LEVEL_RANK, type LogEntry } from '../../types.ts';
import { compileFilter } from '../query.ts';
import type { BlockMeta } from './segment.ts';
import { needleHashes } from './trigrams.ts';
import type { HistoryEntry, HistoryQuery } from './types.ts';

export interface CompiledQuery {
  from: number;
  to: number;
  minRank: number;
  matchSource: ((name: string) => boolean) | undefined;
  /** Trigram hashes of a plain `q` (empty: the bitmaps cannot help). */
  needle: number[];
  /** True when only time, level and source filter: counts can come from the index. */
  indexOnly: boolean;
  test: (entry: HistoryEntry) => boolean;
}

/** Throws an Error naming the bad part (a regex) for the caller to answer 400. */
export function compileQuery(query: HistoryQuery): CompiledQuery {
  const from = query.from ?? Number.NEGATIVE_INFINITY;
  const to = query.to ?? Number.POSITIVE_INFINITY;
  const matchSource = query.source === undefined || query.source === '' ? undefined : compileNameMatcher(query.source);
  // Level and text as the ring's filter does them, so history and ring answer alike; the source test is the glob's.
  const pattern = query.pattern === undefined || query.pattern === '' ? undefined : query.pattern;
  const base = compileFilter({ level: query.level, q: query.q, regex: query.regex, pattern, host: query.host }, query.resolvePattern);
  const conditions = query.conditions ?? [];
  const test = (entry: HistoryEntry): boolean => {
    if (entry.time < from || entry.time >= to) return false;
    if (matchSource !== undefined && !matchSource(entry.source)) return false;
    if (!base(entry as LogEntry)) return false;
    for (const condition of conditions) if (!condition(entry)) return false;
    return true;
  };
  const hasText = query.q !== undefined && query.q !== '';
  return {
    from,
    to,
    minRank: query.level === undefined ? 0 : LEVEL_RANK[query.level],
    matchSource,
    needle: hasText && !query.regex ? needleHashes(query.q as string) : [],
    indexOnly: !hasText && conditions.length === 0 && pattern === undefined && (query.host === undefined || query.host === ''),
    test,
  };
}

/**
 * Entries of the block that the index says may match, by level and source (the time range and the
 * bitmap are tested apart); 0 means the block can be skipped.
 */
export function indexCount(block: BlockMeta, sources: readonly string[], query: CompiledQuery): number {
  let n = 0;
  for (const counts of block.counts) {
    if (query.matchSource !== undefined && !query.matchSource(sources[counts[0]])) continue;
    for (let rank = query.minRank; rank < 6; rank++) n += counts[1 + rank];
  }
  return n;
}

export function overlaps(minTime: number, maxTime: number, query: CompiledQuery): boolean {
  return maxTime >= query.from && minTime < query.to;
}

/** Cursor: the sequence number the next page starts below, opaque to clients. */
export function encodeCursor(beforeSeq: number): string {
  return Buffer.from(`h1:${beforeSeq}`).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^h1:(\d{1,16})$/.exec(text);
  if (match === null) throw new Error('cursor is not one this server returned (pass the X-Next-Cursor of the page before)');
  return Number(match[1]);
}
