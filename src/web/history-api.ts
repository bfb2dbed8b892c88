// The routes that read history: /api/logs past the ring (from, to, cursor, where, pattern), the
// histogram, and rules tried on the past. /api/logs stays an array (the contract); the cursor of the
// next, older page is in the X-Next-Cursor header and a Link: <…>; rel="next".
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { compileCondition, parseCondition } from '../alerts/conditions.ts';
import { ANOMALY_RULE_TYPES, ruleSchema, type RuleConfig } from '../alerts/config.ts';
import { replayRule } from '../alerts/replay.ts';
import { entryFilterQuerySchema } from '../store/query.ts';
import { MAX_BUCKETS } from '../store/history/reader.ts';
import type { HistoryReader, PageRequest } from '../store/history/index.ts';
import { isoTime, toEntryJson, type Clock } from '../types.ts';
import { jsonError, validationMessage } from './errors.ts';
import { jsonBodyLimit } from './middleware/body-limit.ts';
import { parseStepParam, parseTimeParam, roundStep, TIME_HINT } from './time-param.ts';

/** Query parameters that make /api/logs read history rather than only the ring. */
export const HISTORY_PARAMS = ['from', 'to', 'cursor', 'where'] as const;

export function wantsHistory(c: Context): boolean {
  return HISTORY_PARAMS.some((name) => c.req.query(name) !== undefined && c.req.query(name) !== '');
}

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function timeRange(c: Context, now: number, defaults: { from?: number; to?: number }): Parsed<{ from: number | undefined; to: number | undefined }> {
  const out: { from: number | undefined; to: number | undefined } = { from: defaults.from, to: defaults.to };
  for (const name of ['from', 'to'] as const) {
    const text = c.req.query(name);
    if (text === undefined || text === '') continue;
    const value = parseTimeParam(text, now);
    if (value === undefined) return { ok: false, error: `${name}: "${text}" is not a time; ${TIME_HINT}` };
    out[name] = value;
  }
  if (out.from !== undefined && out.to !== undefined && out.from >= out.to) return { ok: false, error: 'from must be before to' };
  return { ok: true, value: out };
}

/** The filters both routes share: level, source (exact or glob), q, regex, where (repeatable), pattern. */
function filters(c: Context, resolvePattern: (id: string) => string): Parsed<Omit<PageRequest, 'from' | 'to' | 'limit' | 'cursor'>> {
  const parsed = entryFilterQuerySchema.safeParse(c.req.query());
  if (!parsed.success) return { ok: false, error: validationMessage(parsed.error) };
  const conditions = [];
  for (const text of (c.req.queries('where') ?? []).filter((w) => w !== '')) {
    const result = parseCondition(text);
    if (!result.ok) return { ok: false, error: `where: ${result.error}` };
    conditions.push(compileCondition(result.condition));
  }
  return { ok: true, value: { ...parsed.data, conditions, resolvePattern } };
}

/** GET /api/logs with history parameters: a page of entries, oldest first, and the cursor of the page before. */
export async function historyLogs(c: Context, history: HistoryReader, clock: Clock, resolvePattern: (id: string) => string, limit: number): Promise<Response> {
  const range = timeRange(c, clock(), {});
  if (!range.ok) return jsonError(c, 400, range.error);
  const filter = filters(c, resolvePattern);
  if (!filter.ok) return jsonError(c, 400, filter.error);
  const cursor = c.req.query('cursor');
  let page;
  try {
    page = await history.search({ ...filter.value, ...range.value, limit, cursor: cursor === '' ? undefined : cursor });
  } catch (err) {
    return jsonError(c, 400, (err as Error).message);
  }
  const headers: Record<string, string> = {};
  if (page.next !== null) {
    headers['X-Next-Cursor'] = page.next;
    const url = new URL(c.req.url);
    url.searchParams.set('cursor', page.next);
    headers.Link = `<${url.pathname}${url.search}>; rel="next"`;
  }
  return c.json(page.entries.reverse().map(toEntryJson), 200, headers);
}

const HOUR = 3_600_000;

const testBodySchema = z.strictObject({
  rule: ruleSchema,
  from: z.union([z.string(), z.number()]),
  to: z.union([z.string(), z.number()]).optional(),
});

export interface RuleTestResult {
  rule: string;
  from: string;
  to: string;
  entries: number;
  truncated: boolean;
  fired: number;
  keys: string[];
  events: Array<{ time: string; key: string; state: 'firing' | 'resolved'; count: number; message: string }>;
}

/**
 * A rule tried on a range of history with the real engine: the one code path behind
 * POST /api/rules/test and the dashboard's "Test on history". Changes nothing, notifies nobody.
 */
export async function testRule(rule: RuleConfig, fromText: string | number, toText: string | number | undefined, history: HistoryReader, clock: Clock): Promise<Parsed<RuleTestResult>> {
  const now = clock();
  const from = parseTimeParam(String(fromText), now);
  const to = toText === undefined ? now : parseTimeParam(String(toText), now);
  if (from === undefined || to === undefined) return { ok: false, error: `from/to: not a time; ${TIME_HINT}` };
  if (from >= to) return { ok: false, error: 'from must be before to' };
  if (ANOMALY_RULE_TYPES.has(rule.type)) {
    return { ok: false, error: `rule type ${rule.type} is fed by the analyzer's live anomalies and cannot be replayed; test threshold, rate, absence or new_value rules` };
  }
  const result = await replayRule(rule, history, { from, to });
  const firing = result.events.filter((e) => e.state === 'firing');
  return {
    ok: true,
    value: {
      rule: rule.name,
      from: isoTime(from),
      to: isoTime(to),
      entries: result.entries,
      truncated: result.truncated,
      fired: firing.length,
      keys: [...new Set(firing.map((e) => e.key))],
      events: result.events.map((e) => ({ ...e, time: isoTime(e.time) })),
    },
  };
}

export function historyRoutes(history: HistoryReader, clock: Clock, resolvePattern: (id: string) => string): Hono {
  const app = new Hono();

  app.get('/api/histogram', async (c) => {
    const now = clock();
    const range = timeRange(c, now, { from: now - HOUR, to: now });
    if (!range.ok) return jsonError(c, 400, range.error);
    const filter = filters(c, resolvePattern);
    if (!filter.ok) return jsonError(c, 400, filter.error);
    const from = range.value.from as number;
    const to = range.value.to as number;
    if (from >= to) return jsonError(c, 400, 'from must be before to');
    const stepText = c.req.query('step');
    const step = stepText === undefined || stepText === '' ? roundStep(to - from, 60) : parseStepParam(stepText);
    if (step === undefined || step < 1) return jsonError(c, 400, `step: "${stepText}" is not a duration; use e.g. 1m, 5m, 1h or milliseconds`);
    if ((to - from) / step > MAX_BUCKETS) return jsonError(c, 400, `step ${stepText} makes more than ${MAX_BUCKETS} buckets over this range; use a larger step`);
    const buckets = await history.histogram({ ...filter.value, from, to, step });
    return c.json({
      from: isoTime(from),
      to: isoTime(to),
      step,
      persistent: history.persistent,
      buckets: buckets.map((b) => ({ time: isoTime(b.time), total: b.total, counts: b.counts })),
    });
  });

  app.post('/api/rules/test', jsonBodyLimit(64 * 1024, 'a rule test is one rule and a time range'), async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return jsonError(c, 400, 'the body must be JSON: {"rule": {…a rule as in the config…}, "from": "-24h", "to": "now"}');
    }
    const parsed = testBodySchema.safeParse(body);
    if (!parsed.success) return jsonError(c, 400, `invalid rule test: ${validationMessage(parsed.error)}`);
    const result = await testRule(parsed.data.rule, parsed.data.from, parsed.data.to, history, clock);
    return result.ok ? c.json(result.value) : jsonError(c, 400, result.error);
  });

  return app;
}
