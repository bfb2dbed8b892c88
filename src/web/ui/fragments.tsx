/** @jsxImportSource hono/jsx */
// HTML fragments for the live stream, as strings. Every piece of log-derived text is rendered by a
// hono/jsx view (which escapes it); this module only joins finished fragments and frames them as SSE.
import type { Child } from 'hono/jsx';
import { AlertsList, RulesTable } from '../../../views/alerts.tsx';
import { StatsCards } from '../../../views/cards.tsx';
import { PerMinuteChart, StatusChart, TopErrors, TopSources } from '../../../views/charts.tsx';
import { PANEL_IDS } from '../../../views/dashboard.tsx';
import { PatternsPanel } from '../../../views/patterns.tsx';
import { SilenceList } from '../../../views/silences.tsx';
import { SourcesTable } from '../../../views/sources.tsx';
import { GapNote, LogRow } from '../../../views/tail.tsx';
import type { LogEntry } from '../../types.ts';
import type { AppContext } from '../context.ts';
import { alertsModel, cardsModel, chartsModel, patternsModel, sourceRows, type UiCounters } from './model.ts';

/** Renders a synchronous view to its HTML. */
export function renderHtml(node: Child): string {
  const html = (node as { toString(): string | Promise<string> }).toString();
  if (typeof html !== 'string') throw new Error('views must render synchronously (no async components)');
  return html;
}

type SwapStyle = 'innerHTML' | 'innerMorph' | 'beforeend';

/** An htmx 4 partial: `html` swapped into the element with `id`. */
export function partial(id: string, swap: SwapStyle, html: string): string {
  return `<hx-partial hx-target="#${id}" hx-swap="${swap}">${html}</hx-partial>`;
}

// A row's HTML depends only on its entry, so it is rendered once and shared by every client.
const rowCache = new WeakMap<LogEntry, string>();

export function rowHtml(entry: LogEntry): string {
  let html = rowCache.get(entry);
  if (html === undefined) {
    html = renderHtml(<LogRow entry={entry} />);
    rowCache.set(entry, html);
  }
  return html;
}

/**
 * Live rows for `#incoming`, oldest first, wrapped in `<div class="batch" data-count=N>` where N is
 * every matching line the batch stands for (`skipped` of them not sent), which dashboard.js counts
 * while paused.
 */
export function rowsPartial(entries: readonly LogEntry[], skipped: number): string {
  let html = `<div class="batch" data-count="${entries.length + skipped}">`;
  if (skipped > 0) html += renderHtml(<GapNote skipped={skipped} />);
  for (let i = 0; i < entries.length; i++) html += rowHtml(entries[i]);
  return partial(PANEL_IDS.incoming, 'beforeend', `${html}</div>`);
}

/** The panels that change with every line: numbers, charts, sources. */
export function statsPartials(ctx: AppContext, counters: UiCounters, now: number): string {
  const charts = chartsModel(ctx, counters, now);
  return (
    partial(PANEL_IDS.cards, 'innerHTML', renderHtml(<StatsCards cards={cardsModel(ctx, now)} />)) +
    partial(PANEL_IDS.perMinute, 'innerHTML', renderHtml(<PerMinuteChart buckets={charts.perMinute} />)) +
    partial(PANEL_IDS.status, 'innerHTML', renderHtml(<StatusChart buckets={charts.statusPerMinute} />)) +
    partial(PANEL_IDS.topSources, 'innerHTML', renderHtml(<TopSources sources={charts.topSources} />)) +
    partial(PANEL_IDS.topErrors, 'innerHTML', renderHtml(<TopErrors patterns={charts.topErrors} now={now} />)) +
    partial(PANEL_IDS.patterns, 'innerMorph', renderHtml(<PatternsPanel model={patternsModel(ctx, now)} />)) +
    partial(PANEL_IDS.sources, 'innerHTML', renderHtml(<SourcesTable sources={sourceRows(ctx, counters, now)} now={now} />))
  );
}

/** Alerts, rules and silences. Morphed, so an alert the user expanded stays expanded. */
export function alertPartials(ctx: AppContext, now: number): string {
  const alerts = alertsModel(ctx, now);
  return (
    partial(PANEL_IDS.alerts, 'innerMorph', renderHtml(<AlertsList alerts={alerts} />)) +
    partial(PANEL_IDS.rules, 'innerHTML', renderHtml(<RulesTable rules={alerts.rules} now={now} />)) +
    partial(PANEL_IDS.silences, 'innerMorph', renderHtml(<SilenceList silences={alerts.silences} now={now} />))
  );
}

/**
 * One SSE message carrying `html`. Every line break becomes its own `data:` line, and CR counts as a
 * line break too, so no text inside the HTML can start a field of its own (`id:`, `event:`, `retry:`).
 */
export function sseMessage(html: string, id?: number): string {
  const head = id === undefined ? '' : `id: ${id}\n`;
  return `${head}data: ${html.split(/\r\n|\r|\n/).join('\ndata: ')}\n\n`;
}
