import { compileSafeRegex, safeRegexProblem } from '../safe-regex.ts';
import { z } from 'zod';
import { LEVEL_RANK, LEVELS, type Level, type LogEntry } from '../types.ts';

/** The filters shared by the JSON API, the SSE stream and the dashboard. */
export interface EntryFilter {
  /** Minimum severity. */
  level?: Level;
  /** Exact source name. */
  source?: string;
  /** Case-insensitive substring of the message or raw line (a regex when `regex` is set). */
  q?: string;
  regex?: boolean;
}

const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);

/** Query-string form of a filter, validated at the edge. */
export const entryFilterQuerySchema = z.object({
  level: z.preprocess(
    (v) => (typeof v === 'string' && v !== '' ? v.toUpperCase().replace(/^WARN$/, 'WARNING') : emptyToUndefined(v)),
    z.enum(LEVELS, { message: `level must be one of ${LEVELS.join(', ')}` }).optional(),
  ),
  source: z.preprocess(emptyToUndefined, z.string().max(4096).optional()),
  q: z.preprocess(emptyToUndefined, z.string().max(4096).optional()),
  regex: z.preprocess(
    (v) => (v === undefined || v === '' ? undefined : v === 'true' || v === '1' || v === 'on'),
    z.boolean().optional(),
  ),
}).superRefine((f, ctx) => {
  if (f.regex && f.q !== undefined) {
    const problem = safeRegexProblem(f.q, { ignoreCase: true });
    if (problem !== null) ctx.addIssue({ code: 'custom', path: ['q'], message: problem.startsWith('not a valid') ? `q is ${problem}` : `q: ${problem}` });
  }
});

export type EntryPredicate = (entry: LogEntry) => boolean;

const matchAll: EntryPredicate = () => true;

/** Compiles a filter once into a predicate (no per-entry parsing of the filter). */
export function compileFilter(filter: EntryFilter): EntryPredicate {
  const min = filter.level === undefined ? 0 : LEVEL_RANK[filter.level];
  const source = filter.source;
  const text = compileText(filter);
  if (min === 0 && source === undefined && text === undefined) return matchAll;
  return (entry) =>
    (min === 0 || LEVEL_RANK[entry.level] >= min) &&
    (source === undefined || entry.source === source) &&
    (text === undefined || text(entry));
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
  return filter.level === undefined && filter.source === undefined && (filter.q === undefined || filter.q === '');
}
