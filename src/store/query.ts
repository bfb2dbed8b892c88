import { compileSafeRegex, safeRegexProblem } from '../safe-regex.ts';
import { z } from 'zod';
import { atLeast, LEVELS, type Level, type LogEntry } from '../types.ts';

/** The filters shared by the JSON API, the SSE stream and the dashboard. */
export interface EntryFilter {
  /** Minimum severity. */
  level?: Level;
  /** Exact source name. */
  source?: string;
  /** Exact `metadata.host`: the sending host of syslog, Loki, OTLP and agent entries. */
  host?: string;
  /** Case-insensitive substring of the message or raw line (a regex when `regex` is set). */
  q?: string;
  regex?: boolean;
  /** Pattern id (GET /api/patterns): entries of that pattern only. */
  pattern?: string;
}

/** The id a pattern id stands for now (the analyzer merges patterns; their old ids stay valid). */
export type PatternResolver = (id: string) => string;

const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);

/** Query-string form of a filter, validated at the edge. */
export const entryFilterQuerySchema = z.object({
  level: z.preprocess(
    (v) => (typeof v === 'string' && v !== '' ? v.toUpperCase().replace(/^WARN$/, 'WARNING') : emptyToUndefined(v)),
    z.enum(LEVELS, { message: `level must be one of ${LEVELS.join(', ')}` }).optional(),
  ),
  source: z.preprocess(emptyToUndefined, z.string().max(4096).optional()),
  host: z.preprocess(emptyToUndefined, z.string().max(1024).optional()),
  q: z.preprocess(emptyToUndefined, z.string().max(4096).optional()),
  regex: z.preprocess(
    (v) => (v === undefined || v === '' ? undefined : v === 'true' || v === '1' || v === 'on'),
    z.boolean().optional(),
  ),
  pattern: z.preprocess(
    emptyToUndefined,
    z.string().regex(/^[0-9a-z]{1,32}$/, 'pattern must be a pattern id as GET /api/patterns lists them (letters and digits)').optional(),
  ),
}).superRefine((f, ctx) => {
  if (f.regex && f.q !== undefined) {
    const problem = safeRegexProblem(f.q, { ignoreCase: true });
    if (problem !== null) ctx.addIssue({ code: 'custom', path: ['q'], message: problem.startsWith('not a valid') ? `q is ${problem}` : `q: ${problem}` });
  }
});

export type EntryPredicate = (entry: LogEntry) => boolean;

const matchAll: EntryPredicate = () => true;

/**
 * Compiles a filter once into a predicate (no per-entry parsing of the filter). With `resolve`, a
 * pattern filter also takes entries stored under an id that was merged into the one asked for.
 */
export function compileFilter(filter: EntryFilter, resolve?: PatternResolver): EntryPredicate {
  // UNKNOWN ranks lowest, so a minimum of UNKNOWN lets everything through: no level test at all.
  const min = filter.level === undefined || filter.level === 'UNKNOWN' ? undefined : filter.level;
  const source = filter.source;
  const host = filter.host;
  const text = compileText(filter);
  const pattern = compilePattern(filter.pattern, resolve);
  if (min === undefined && source === undefined && host === undefined && text === undefined && pattern === undefined) return matchAll;
  // The host test comes last: it reads metadata, which access and JSON entries build on first read.
  return (entry) =>
    (min === undefined || atLeast(entry.level, min)) &&
    (source === undefined || entry.source === source) &&
    (pattern === undefined || pattern(entry)) &&
    (text === undefined || text(entry)) &&
    (host === undefined || entry.metadata.host === host);
}

function compilePattern(id: string | undefined, resolve: PatternResolver | undefined): EntryPredicate | undefined {
  if (id === undefined) return undefined;
  if (resolve === undefined) return (entry) => entry.pattern === id;
  const wanted = resolve(id);
  return (entry) => entry.pattern !== undefined && (entry.pattern === wanted || resolve(entry.pattern) === wanted);
}

function compileText(filter: EntryFilter): EntryPredicate | undefined {
  if (filter.q === undefined || filter.q === '') return undefined;
  if (filter.regex) {
    // A search regex comes from any reader: linear time, so no query can stall the server (src/safe-regex.ts).
    const re = compileSafeRegex(filter.q, { ignoreCase: true });
    return (entry) => re.test(entry.message) || (entry.raw !== entry.message && re.test(entry.raw));
  }
  const needle = filter.q.toLowerCase();
  return (entry) =>
    entry.message.toLowerCase().includes(needle) ||
    (entry.raw !== entry.message && entry.raw.toLowerCase().includes(needle));
}

export function isEmptyFilter(filter: EntryFilter): boolean {
  return filter.level === undefined && filter.source === undefined && filter.host === undefined && filter.pattern === undefined && (filter.q === undefined || filter.q === '');
}
