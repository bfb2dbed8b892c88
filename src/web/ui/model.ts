// Turns a running LogWatch into the plain data the views render. Read-only; no rendering here.
import { shedTotal } from '../shed.ts';
import { compileFilter } from '../../store/query.ts';
import type { SourceStatus } from '../../sources/index.ts';
import type { AppContext } from '../context.ts';
import type { AlertsModel, CardsModel, ChartsModel, PatternsModel, SourceBar, SourceRow, TailModel } from '../../../views/model.ts';
import { ROW_CAP } from '../../../views/model.ts';
import type { ParsedTailQuery } from './query.ts';
import { tailSearch } from './query.ts';
import type { SourceRates } from './source-rates.ts';
import type { StatusClassCounter } from './status-classes.ts';

export const TOP_SOURCES = 8;
export const TOP_ERRORS = 8;
export const RECENT_ALERTS = 30;
export const TOP_PATTERNS = 15;
const SHOWN_ANOMALIES = 10;
/** The sources panel lists at most this many (ingest source names are chosen by clients). */
export const MAX_SOURCE_ROWS = 200;

/** What the UI counts on its own, from the hub. */
export interface UiCounters {
  statusClasses: StatusClassCounter;
  sourceRates: SourceRates;
}

export function firingCount(ctx: AppContext): number {
  let firing = 0;
  for (const rule of ctx.alerts.rules()) firing += rule.firingCount;
  return firing;
}

export function cardsModel(ctx: AppContext, now: number): CardsModel {
  const levelCounts = ctx.stats.snapshot(now).level_counts;
  return {
    now,
    totalLogs: ctx.stats.totalLogs,
    inBuffer: ctx.entries.size,
    capacity: ctx.entries.capacity,
    linesLastMinute: ctx.stats.linesLastMinute(now),
    levelCounts,
    firing: firingCount(ctx),
    totalAlerts: ctx.alerts.totalAlerts,
    activeRules: ctx.alerts.activeRules,
    sources: ctx.stats.sourceList().length,
    startedAt: ctx.startedAt,
    shed: shedModel(ctx),
  };
}

function shedModel(ctx: AppContext): CardsModel['shed'] {
  const s = ctx.shed?.();
  if (s === undefined) return undefined;
  const parts: Array<[number, string]> = [
    [s.streamEvents, 'stream events'],
    [s.slowClients, 'slow clients'],
    [s.notifications, 'notifications'],
    [s.alertKeys, 'alert keys'],
    [s.ingestRefused, 'ingest requests (429)'],
    [s.history, 'history entries (disk too slow)'],
  ];
  const detail = parts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`).join(' · ');
  return { total: shedTotal(s), detail: detail === '' ? 'nothing dropped under load' : detail };
}

export function chartsModel(ctx: AppContext, counters: UiCounters, now: number): ChartsModel {
  const topSources: SourceBar[] = ctx.stats
    .sourceList()
    .sort((a, b) => b.count - a.count)
    .slice(0, TOP_SOURCES)
    .map((s) => ({ source: s.source, count: s.count, levelCounts: { ...s.levelCounts } }));
  return {
    now,
    perMinute: ctx.stats.perMinute(now),
    topSources,
    topErrors: ctx.patterns.top(TOP_ERRORS),
    statusPerMinute: counters.statusClasses.perMinute(now),
  };
}

/** The Patterns panel: the last hour's top patterns and what fires now. */
export function patternsModel(ctx: AppContext, now: number): PatternsModel {
  return {
    now,
    enabled: ctx.patterns.enabled,
    patterns: ctx.patterns.patterns({ from: now - 3600_000, to: now + 1, limit: TOP_PATTERNS }),
    anomalies: ctx.patterns.anomalies().sort((a, b) => b.time - a.time).slice(0, SHOWN_ANOMALIES),
  };
}

export function alertsModel(ctx: AppContext, now: number): AlertsModel {
  return {
    now,
    recent: ctx.alerts.recent(RECENT_ALERTS).slice().reverse(),
    rules: ctx.alerts.rules(),
    silences: ctx.silences.silences(),
  };
}

/** Every watched file and ingest source, plus any source seen only through its entries. */
export function sourceRows(ctx: AppContext, counters: UiCounters, now: number): SourceRow[] {
  const stats = new Map(ctx.stats.sourceList().map((s) => [s.source, s]));
  const formats = new Map(ctx.sources.formats().map((s) => [s.source, s.format]));
  const rows = new Map<string, SourceRow>();
  const fromStatus = (status: SourceStatus): SourceRow => ({
    name: status.name,
    kind: status.kind,
    path: status.path,
    entries: stats.get(status.name)?.count ?? 0,
    rate: counters.sourceRates.rate(status.name, now),
    lag: status.lag,
    lastSeenAt: stats.get(status.name)?.lastReceivedAt || null,
    lastError: status.lastError,
    lastErrorAt: status.lastErrorAt,
    format: formats.get(status.name) ?? null,
  });
  for (const status of ctx.sources.status()) {
    if (!rows.has(status.name)) rows.set(status.name, fromStatus(status));
  }
  for (const s of stats.values()) {
    if (rows.has(s.source)) continue;
    rows.set(s.source, {
      name: s.source,
      kind: 'other',
      path: null,
      entries: s.count,
      rate: counters.sourceRates.rate(s.source, now),
      lag: null,
      lastSeenAt: s.lastReceivedAt || null,
      lastError: null,
      lastErrorAt: null,
      format: formats.get(s.source) ?? null,
    });
  }
  // Sources in trouble first, then by name.
  return [...rows.values()]
    .sort((a, b) => Number(b.lastError !== null) - Number(a.lastError !== null) || a.name.localeCompare(b.name))
    .slice(0, MAX_SOURCE_ROWS);
}

/** Names for the source filter: everything seen or watched, sorted. */
export function sourceNames(ctx: AppContext): string[] {
  const names = new Set<string>();
  for (const s of ctx.stats.sourceList()) names.add(s.source);
  for (const s of ctx.sources.status()) names.add(s.name);
  return [...names].sort((a, b) => a.localeCompare(b)).slice(0, MAX_SOURCE_ROWS);
}

/** The rows a fresh tail shows and where its live stream starts. */
export function tailModel(ctx: AppContext, parsed: ParsedTailQuery): TailModel {
  const store = ctx.entries;
  const afterId = store.lastId;
  if (!parsed.ok) {
    return { query: parsed.query, entries: [], afterId, error: parsed.error, more: false, streamUrl: `/ui/stream?rows=0`, pattern: null };
  }
  const pattern = parsed.query.filter.pattern;
  const entries = store.query(compileFilter(parsed.query.filter, (id) => ctx.patterns.resolve(id)), ROW_CAP + 1);
  const more = entries.length > ROW_CAP;
  return {
    query: parsed.query,
    entries: more ? entries.slice(1) : entries,
    afterId,
    error: null,
    more,
    streamUrl: `/ui/stream${tailSearch({ filter: parsed.query.filter, order: 'newest' }, { after: afterId })}`,
    pattern:
      pattern === undefined
        ? null
        : { template: ctx.patterns.templateOf(pattern) ?? null, clearUrl: `/${tailSearch({ ...parsed.query, filter: { ...parsed.query.filter, pattern: undefined } })}` },
  };
}
