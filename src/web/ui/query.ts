// The dashboard's query string: the shared entry filter (src/store/query.ts) plus the display order.
import { z } from 'zod';
import { entryFilterQuerySchema, type EntryFilter } from '../../store/query.ts';
import { TAIL_RANGES, type TailOrder, type TailQuery } from '../../../views/model.ts';
import { validationMessage } from '../errors.ts';

const orderSchema = z.preprocess((v) => (v === '' ? undefined : v), z.enum(['newest', 'oldest']).default('newest'));

export type ParsedTailQuery = { ok: true; query: TailQuery } | { ok: false; query: TailQuery; error: string };

/**
 * Reads filters and order from query parameters. An invalid filter (a bad regex, an unknown level)
 * still yields a query that re-renders the form with what the user typed, plus the error to show.
 */
export function parseTailQuery(params: Record<string, string>): ParsedTailQuery {
  const order: TailOrder = orderSchema.safeParse(params.order).data ?? 'newest';
  const parsed = entryFilterQuerySchema.safeParse(params);
  // An unknown range is the live view (a stale bookmark still opens the dashboard).
  const from = /^\d{1,15}$/.test(params.from ?? '') ? Number(params.from) : undefined;
  const to = /^\d{1,15}$/.test(params.to ?? '') ? Number(params.to) : undefined;
  const custom = params.range === 'custom' && from !== undefined && to !== undefined && from < to;
  const range = custom || TAIL_RANGES.some((r) => r.value === params.range) ? params.range : undefined;
  const cursor = range !== undefined && typeof params.cursor === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(params.cursor) ? params.cursor : undefined;
  const historic = { ...(range === undefined ? {} : { range }), ...(custom ? { from, to } : {}), ...(cursor === undefined ? {} : { cursor }) };
  if (parsed.success) return { ok: true, query: { filter: parsed.data, order, ...historic } };
  // Keep what can be kept so the form shows the user's input back to them.
  const filter: EntryFilter = {};
  if (params.source !== undefined && params.source !== '') filter.source = params.source.slice(0, 4096);
  if (params.host !== undefined && params.host !== '') filter.host = params.host.slice(0, 1024);
  if (params.q !== undefined && params.q !== '') filter.q = params.q.slice(0, 4096);
  if (params.regex === '1' || params.regex === 'true' || params.regex === 'on') filter.regex = true;
  const level = entryFilterQuerySchema.safeParse({ level: params.level });
  if (level.success && level.data.level !== undefined) filter.level = level.data.level;
  const pattern = entryFilterQuerySchema.safeParse({ pattern: params.pattern });
  if (pattern.success && pattern.data.pattern !== undefined) filter.pattern = pattern.data.pattern;
  return { ok: false, query: { filter, order }, error: validationMessage(parsed.error) };
}

/** The canonical query string of a dashboard view (`?level=ERROR&q=timeout`), or '' for the default view. */
export function tailSearch(query: TailQuery, extra: Record<string, string | number> = {}): string {
  const params = new URLSearchParams();
  const { filter } = query;
  if (filter.level !== undefined) params.set('level', filter.level);
  if (filter.source !== undefined) params.set('source', filter.source);
  if (filter.host !== undefined) params.set('host', filter.host);
  if (filter.q !== undefined && filter.q !== '') params.set('q', filter.q);
  if (filter.regex === true) params.set('regex', '1');
  if (filter.pattern !== undefined) params.set('pattern', filter.pattern);
  if (query.order !== 'newest') params.set('order', query.order);
  if (query.range !== undefined) params.set('range', query.range);
  if (query.range === 'custom' && query.from !== undefined && query.to !== undefined) {
    params.set('from', String(query.from));
    params.set('to', String(query.to));
  }
  if (query.cursor !== undefined) params.set('cursor', query.cursor);
  for (const [key, value] of Object.entries(extra)) params.set(key, String(value));
  const search = params.toString();
  return search === '' ? '' : `?${search}`;
}
