/** @jsxImportSource hono/jsx */
// The dashboard's routes: the page, the tail fragment for filter changes, the live stream, the assets.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { Dashboard } from '../../../views/dashboard.tsx';
import type { AssetUrls } from '../../../views/layout.tsx';
import type { DashboardModel } from '../../../views/model.ts';
import { TailPanel } from '../../../views/tail.tsx';
import { compileFilter, entryFilterQuerySchema } from '../../store/query.ts';
import type { AppContext } from '../context.ts';
import { validationMessage } from '../errors.ts';
import { assetUrl, isAssetName, loadAsset } from './assets.ts';
import { renderHtml } from './fragments.tsx';
import { UiLive, type UiLiveOptions } from './live.ts';
import { alertsModel, cardsModel, chartsModel, patternsModel, sourceNames, sourceRows, tailModel, type UiCounters } from './model.ts';
import { historicTailModel } from './historic.ts';
import { parseTailQuery, tailSearch, type ParsedTailQuery } from './query.ts';
import { SourceRates } from './source-rates.ts';
import { StatusClassCounter } from './status-classes.ts';

/**
 * The page's own policy, so the dashboard is locked down even where the app-wide headers differ:
 * scripts only from LogWatch itself (no inline code, no eval), styles only from the stylesheet.
 */
export const UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const streamQuerySchema = entryFilterQuerySchema.and(
  z.object({
    after: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(0).optional()),
    rows: z.enum(['0', '1']).optional(),
  }),
);

export interface Ui {
  routes: Hono;
  live: UiLive;
  /** Ends the dashboard streams and stops listening to the pipeline. */
  close(): void;
}

function pageHeaders(c: Context): void {
  c.header('Content-Security-Policy', UI_CSP);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('Cache-Control', 'no-store');
}

export function createUi(ctx: AppContext, options: Partial<UiLiveOptions> = {}): Ui {
  const counters: UiCounters = { statusClasses: new StatusClassCounter(), sourceRates: new SourceRates() };
  // History already in the buffer (backfill, or lines stored before the app was built) counts too.
  const history = ctx.entries.all();
  counters.statusClasses.record(history);
  const live = new UiLive(ctx, counters, options);
  const unsubscribe = ctx.live.subscribe((event) => live.onHubEvent(event));

  const assets = (): AssetUrls => ({
    css: assetUrl('dashboard.css'),
    js: assetUrl('dashboard.js'),
    htmx: assetUrl('htmx.min.js'),
    sse: assetUrl('hx-sse.js'),
    icon: assetUrl('favicon.svg'),
  });

  const routes = new Hono();

  // The live tail, or a page of history when the query names a range.
  const tailFor = (parsed: ParsedTailQuery) =>
    parsed.ok && parsed.query.range !== undefined ? historicTailModel(ctx, parsed.query) : Promise.resolve(tailModel(ctx, parsed));

  routes.get('/', async (c) => {
    const now = ctx.clock();
    const parsed = parseTailQuery(c.req.query());
    const alerts = alertsModel(ctx, now);
    const model: DashboardModel = {
      tail: await tailFor(parsed),
      cards: cardsModel(ctx, now),
      charts: chartsModel(ctx, counters, now),
      patterns: patternsModel(ctx, now),
      alerts,
      sources: sourceRows(ctx, counters, now),
      sourceNames: sourceNames(ctx),
      ruleNames: alerts.rules.map((r) => r.name),
    };
    pageHeaders(c);
    return c.html(`<!doctype html>${renderHtml(<Dashboard model={model} assets={assets()} />)}`);
  });

  // A filter change: the tail for the new filter (with its own live connection), and the URL to show.
  routes.get('/ui/tail', async (c) => {
    const parsed = parseTailQuery(c.req.query());
    const tail = await tailFor(parsed);
    pageHeaders(c);
    c.header('HX-Replace-Url', `/${tailSearch(parsed.query)}`);
    return c.html(renderHtml(<TailPanel tail={tail} />));
  });

  routes.get('/ui/stream', (c) => {
    const parsed = streamQuerySchema.safeParse(c.req.query());
    if (!parsed.success) return c.text(`invalid dashboard stream query: ${validationMessage(parsed.error)}`, 400);
    if (live.isFull) return c.text('too many dashboard clients; try again later', 429);
    const { after, rows, ...filter } = parsed.data;
    const header = c.req.header('last-event-id')?.trim();
    const lastEventId = header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
    const from = lastEventId ?? after ?? ctx.entries.lastId;
    const body = live.open(rows === '0' ? null : compileFilter(filter, (id) => ctx.patterns.resolve(id)), from, c.req.raw.signal);
    return new Response(body, {
      headers: {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        'X-Accel-Buffering': 'no',
        'X-Content-Type-Options': 'nosniff',
      },
    });
  });

  routes.get('/assets/:name', (c) => {
    const name = c.req.param('name');
    if (!isAssetName(name)) return c.text(`no asset ${name}`, 404);
    const asset = loadAsset(name);
    c.header('ETag', asset.etag);
    c.header('Cache-Control', 'no-cache');
    c.header('X-Content-Type-Options', 'nosniff');
    if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304);
    c.header('Content-Type', asset.type);
    return c.body(asset.body as Uint8Array<ArrayBuffer>);
  });

  return {
    routes,
    live,
    close: () => {
      unsubscribe();
      live.close();
    },
  };
}
