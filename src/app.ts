// Builds the Hono app from a running pipeline. No I/O at import time.
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { apiRoutes, statsPayload } from './web/api.ts';
import type { Config } from './config/schema.ts';
import type { Logger } from './logger.ts';
import type { Pipeline } from './pipeline.ts';
import type { FileSources, IngestSpool } from './sources/index.ts';
import type { ShipperStatus } from './forward/types.ts';
import { ReceiverIntake, type ReceiverInbox } from './sources/receivers/intake.ts';
import type { Clock } from './types.ts';
import { ringReader, type HistoryReader } from './store/history/index.ts';
import type { AppContext } from './web/context.ts';
import { jsonError } from './web/errors.ts';
import { Authenticator } from './web/auth/authenticator.ts';
import { authGate } from './web/auth/middleware.ts';
import { loginRoutes } from './web/auth/routes.tsx';
import { ClientRateLimiter } from './web/middleware/rate-limit.ts';
import { sameOrigin } from './web/middleware/same-origin.ts';
import { receiverGuard } from './web/receivers/guard.ts';
import { lokiRoutes } from './web/receivers/loki.ts';
import { otlpRoutes } from './web/receivers/otlp.ts';
import type { ShedCounts } from './web/shed.ts';
import { alertRoutes, silenceFormRoutes } from './web/silences.ts';
import { ruleTestFormRoutes } from './web/rule-test-form.ts';
import { createUi } from './web/ui.ts';
import { ingestRoutes } from './web/ingest.ts';
import { StreamBroadcaster, streamRoutes } from './web/stream.ts';

export interface WebApp {
  app: Hono;
  stream: StreamBroadcaster;
  auth: Authenticator;
  /** The per-client ingest limits (undefined when `ingest.rateLimit` is false); syslog shares them. */
  limiter: ClientRateLimiter | undefined;
  /** Ends every open stream and stops the web timers. */
  close(): void;
}

export interface WebParts {
  config: Config;
  files: FileSources;
  spool: IngestSpool;
  logger: Logger;
  clock: Clock;
  startedAt: number;
  /** Entries past the ring buffer; default: the ring buffer alone (history disabled). */
  history?: HistoryReader;
  /** The receivers' intake; default: one over `spool` (what tests want). */
  receivers?: ReceiverInbox;
  /** Status of the forwarding sinks; default: none. */
  forwarders?: () => ShipperStatus[];
  /** Entries loaded from history into the buffer at start; default 0. */
  warmedFromHistory?: number;
}

/** The intake the receivers write through: over the ingest spool, with the receivers' limits. */
export function receiverIntake(config: Config, spool: Pick<IngestSpool, 'accept'>): ReceiverIntake {
  return new ReceiverIntake(spool, { maxPendingBytes: Math.max(64 * 1024 * 1024, config.receivers.maxDecodedBytes * 4), maxSources: config.receivers.maxSources });
}

/** The narrow views the routes read, cut out of the pipeline once, here, and nowhere else. */
export function webContext(pipeline: Pipeline, parts: WebParts): AppContext {
  const { files, spool } = parts;
  return {
    config: parts.config,
    logger: parts.logger,
    clock: parts.clock,
    startedAt: parts.startedAt,
    entries: pipeline.store,
    stats: pipeline.stats,
    patterns: pipeline.analyzer,
    alerts: pipeline.alerts,
    silences: pipeline.alerts,
    notifiers: pipeline.notifiers,
    sources: { status: () => [...files.status(), ...spool.status()], formats: () => pipeline.sourceFormats() },
    ingest: spool,
    receivers: parts.receivers ?? receiverIntake(parts.config, spool),
    forwarders: { status: parts.forwarders ?? (() => []) },
    live: pipeline.hub,
    history: parts.history ?? ringReader(pipeline.store),
    warmedFromHistory: parts.warmedFromHistory ?? 0,
  };
}

export function createApp(ctx: AppContext): WebApp {
  const stream = new StreamBroadcaster(
    ctx.live,
    ctx.entries,
    ctx.config.stream,
    () => statsPayload(ctx, stream),
    ctx.clock,
  );
  stream.start();

  const app = new Hono();
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
      referrerPolicy: 'no-referrer',
      crossOriginEmbedderPolicy: false,
    }),
  );
  // One edge for every state-changing route: cross-site POST/PUT/PATCH/DELETE never reach a handler.
  app.use(sameOrigin());
  // Then who may do what: reads need `read`, changes `admin`, lines `ingest` (open when no auth is configured).
  const auth = new Authenticator({ token: ctx.config.token, auth: ctx.config.auth }, ctx.clock);
  app.use(authGate(auth));
  app.route('/', loginRoutes(auth, ctx.config.auth?.sessionTtlSeconds ?? 12 * 3600, ctx.clock));
  const limits = ctx.config.ingest.rateLimit;
  const limiter = limits === false ? undefined : new ClientRateLimiter(limits, ctx.clock);
  let backedUp = 0;
  const shed = (): ShedCounts => {
    const s = stream.counters();
    return {
      streamEvents: s.droppedEvents,
      slowClients: s.disconnectedSlowClients + ui.live.counts().disconnectedSlowClients,
      notifications: ctx.notifiers.status().reduce((n, x) => n + x.dropped, 0),
      alertKeys: ctx.alerts.metrics().evictedKeysTotal,
      // Requests refused for their line count are counted too: refusedLines counts their lines, not them.
      ingestRefused: (limiter?.counters().refusedRequests ?? 0) + (limiter?.counters().refusedLineRequests ?? 0) + backedUp,
      history: ctx.history.stats()?.dropped ?? 0,
    };
  };
  ctx = { ...ctx, shed };
  app.route('/', apiRoutes(ctx, stream, limiter));
  app.route('/', streamRoutes(stream, (id) => ctx.patterns.resolve(id)));
  app.route('/', alertRoutes(ctx.silences, ctx.notifiers));
  app.route('/', silenceFormRoutes(ctx.silences, ctx.clock));
  app.route('/', ruleTestFormRoutes(ctx.alerts, ctx.history, ctx.clock));
  app.route(
    '/',
    ingestRoutes({
      spool: ctx.ingest,
      maxBodyBytes: ctx.config.ingest.maxBodyBytes,
      limiter,
      onBackedUp: () => backedUp++,
      onSpoolError: (err) => ctx.logger.error(`ingest spool write failed: ${err.message}`),
    }),
  );

  // The receivers are behind the same gate as /api/ingest (role `ingest`, listed in INGEST_PATHS), and
  // their guard applies the same per-client limits and the token's source prefix.
  const receiverLimits = {
    intake: ctx.receivers,
    maxBodyBytes: ctx.config.ingest.maxBodyBytes,
    maxDecodedBytes: ctx.config.receivers.maxDecodedBytes,
    guard: receiverGuard(limiter),
    onSpoolError: (err: Error) => ctx.logger.error(`ingest spool write failed (receiver): ${err.message}`),
  };
  if (ctx.config.receivers.loki) app.route('/', lokiRoutes(receiverLimits));
  if (ctx.config.receivers.otlp) app.route('/', otlpRoutes({ ...receiverLimits, maxRecordBytes: ctx.config.receivers.maxRecordBytes }));

  const ui = createUi(ctx);
  app.route('/', ui.routes);

  app.notFound((c) => jsonError(c, 404, `no route for ${c.req.method} ${new URL(c.req.url).pathname}`));
  app.onError((err, c) => {
    ctx.logger.error(`${c.req.method} ${new URL(c.req.url).pathname} failed: ${err.stack ?? err.message}`);
    return jsonError(c, 500, 'internal error; see the LogWatch log');
  });

  return {
    app,
    stream,
    auth,
    limiter,
    close: () => {
      ui.close();
      stream.stop();
    },
  };
}
