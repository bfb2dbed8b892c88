// The JSON API (DESIGN.md §3 "HTTP API") and /metrics.
import { Hono } from 'hono';
import { z } from 'zod';
import { compileFilter, entryFilterQuerySchema } from '../store/query.ts';
import { toAnomalyJson, toPatternJson } from '../analyze/json.ts';
import { LEVELS, toAlertJson, toEntryJson } from '../types.ts';
import type { AppContext } from './context.ts';
import { jsonError, validationMessage } from './errors.ts';
import { renderMetrics } from './metrics.ts';
import type { ClientRateLimiter } from './middleware/rate-limit.ts';
import { historyLogs, historyRoutes, wantsHistory } from './history-api.ts';
import type { StreamBroadcaster } from './stream.ts';

const MAX_LOGS = 10_000;

const limitSchema = (fallback: number, max: number) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? undefined : v),
    z.coerce.number({ message: 'limit must be a number' }).int('limit must be a whole number').min(1, 'limit must be at least 1').max(max, `limit must be at most ${max}`).default(fallback),
  );

const HOUR = 3600_000;

/** A time in a query: ISO-8601 (`2026-11-30T10:00:00Z`) or ms since the epoch. */
const timeParam = (name: string) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? undefined : v),
    z
      .string()
      .transform((text, ctx) => {
        const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
        if (!Number.isFinite(ms)) {
          ctx.addIssue({ code: 'custom', message: `${name} must be an ISO-8601 time (2026-11-30T10:00:00Z) or ms since the epoch` });
          return z.NEVER;
        }
        return ms;
      })
      .optional(),
  );

const patternsQuerySchema = z.object({
  source: z.preprocess((v) => (v === '' ? undefined : v), z.string().max(4096).optional()),
  level: z.preprocess(
    (v) => (typeof v === 'string' && v !== '' ? v.toUpperCase().replace(/^WARN$/, 'WARNING') : v === '' ? undefined : v),
    z.enum(LEVELS, { message: `level must be one of ${LEVELS.join(', ')}` }).optional(),
  ),
  from: timeParam('from'),
  to: timeParam('to'),
  limit: limitSchema(50, 1000),
});

const logsQuerySchema = entryFilterQuerySchema.and(z.object({ limit: limitSchema(100, MAX_LOGS) }));
const alertsQuerySchema = z.object({ limit: limitSchema(10, 10_000) });

/** `/api/stats`: the original keys plus live figures. */
export function statsPayload(ctx: AppContext, stream: StreamBroadcaster | undefined): Record<string, unknown> {
  const now = ctx.clock();
  const snapshot = ctx.stats.snapshot(now);
  return {
    total_logs: snapshot.total_logs,
    level_counts: snapshot.level_counts,
    total_alerts: ctx.alerts.totalAlerts,
    active_rules: ctx.alerts.activeRules,
    sources: snapshot.sources,
    lines_per_minute: snapshot.lines_per_minute,
    buffer_size: ctx.entries.size,
    buffer_capacity: ctx.entries.capacity,
    last_id: ctx.entries.lastId,
    sse_clients: stream?.clientCount ?? 0,
    uptime_seconds: Math.round((now - ctx.startedAt) / 1000),
    // Entries shown again from history after a restart (ids 1..n of this process), never alerted on.
    warmed_from_history: ctx.warmedFromHistory ?? 0,
  };
}

export function apiRoutes(ctx: AppContext, stream: StreamBroadcaster | undefined, limiter?: ClientRateLimiter): Hono {
  const app = new Hono();

  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  app.get('/api/logs', (c) => {
    const parsed = logsQuerySchema.safeParse(c.req.query());
    if (!parsed.success) return jsonError(c, 400, validationMessage(parsed.error));
    const { limit, ...filter } = parsed.data;
    if (wantsHistory(c)) return historyLogs(c, ctx.history, ctx.clock, (id) => ctx.patterns.resolve(id), limit);
    return c.json(ctx.entries.query(compileFilter(filter, (id) => ctx.patterns.resolve(id)), limit).map(toEntryJson));
  });

  app.get('/api/patterns', (c) => {
    const parsed = patternsQuerySchema.safeParse(c.req.query());
    if (!parsed.success) return jsonError(c, 400, validationMessage(parsed.error));
    const { from, to, ...rest } = parsed.data;
    const end = to ?? ctx.clock() + 1;
    const start = from ?? end - HOUR;
    if (start >= end) return jsonError(c, 400, 'from must be before to');
    return c.json(ctx.patterns.patterns({ ...rest, from: start, to: end }).map(toPatternJson));
  });

  app.get('/api/anomalies', (c) => c.json(ctx.patterns.anomalies().map(toAnomalyJson)));

  app.route('/', historyRoutes(ctx.history, ctx.clock, (id) => ctx.patterns.resolve(id)));

  app.get('/api/stats', (c) => c.json({ ...statsPayload(ctx, stream), per_minute: ctx.stats.perMinute(ctx.clock()) }));

  app.get('/api/alerts', (c) => {
    const parsed = alertsQuerySchema.safeParse(c.req.query());
    if (!parsed.success) return jsonError(c, 400, validationMessage(parsed.error));
    return c.json(ctx.alerts.recent(parsed.data.limit).map(toAlertJson));
  });

  app.get('/api/rules', (c) => c.json(ctx.alerts.rules()));

  app.get('/api/sources', (c) => c.json(ctx.sources.status()));

  app.get('/metrics', (c) =>
    c.body(renderMetrics(ctx, stream?.counters(), limiter?.counters()), 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }),
  );

  return app;
}
