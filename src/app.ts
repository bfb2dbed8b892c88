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
import { bearerToken } from './web/middleware/bearer.ts';
import { sameOrigin } from './web/middleware/same-origin.ts';
import { LOKI_PUSH_PATH, lokiRoutes } from './web/receivers/loki.ts';
import { OTLP_LOGS_PATH, otlpRoutes } from './web/receivers/otlp.ts';
import { alertRoutes, silenceFormRoutes } from './web/silences.ts';
import { createUi } from './web/ui.ts';
import { ingestRoutes } from './web/ingest.ts';
import { StreamBroadcaster, streamRoutes } from './web/stream.ts';

export interface WebApp {
  app: Hono;
  stream: StreamBroadcaster;
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
  app.route('/', apiRoutes(ctx, stream));
  app.route('/', streamRoutes(stream, (id) => ctx.patterns.resolve(id)));
  app.route('/', alertRoutes(ctx.silences, ctx.notifiers));
  app.route('/', silenceFormRoutes(ctx.silences, ctx.clock));
  app.route(
    '/',
    ingestRoutes({
      spool: ctx.ingest,
      token: ctx.config.token,
      maxBodyBytes: ctx.config.ingest.maxBodyBytes,
      onSpoolError: (err) => ctx.logger.error(`ingest spool write failed: ${err.message}`),
    }),
  );

  // The receivers take the ingest token, through the same middleware as /api/ingest: one place to
  // put an auth check (roles, per-sender tokens) in front of every route that writes lines.
  const ingestAuth = bearerToken(ctx.config.token);
  const receiverLimits = {
    intake: ctx.receivers,
    maxBodyBytes: ctx.config.ingest.maxBodyBytes,
    maxDecodedBytes: ctx.config.receivers.maxDecodedBytes,
    onSpoolError: (err: Error) => ctx.logger.error(`ingest spool write failed (receiver): ${err.message}`),
  };
  if (ctx.config.receivers.loki) {
    app.use(LOKI_PUSH_PATH, ingestAuth);
    app.route('/', lokiRoutes(receiverLimits));
  }
  if (ctx.config.receivers.otlp) {
    app.use(OTLP_LOGS_PATH, ingestAuth);
    app.route('/', otlpRoutes({ ...receiverLimits, maxRecordBytes: ctx.config.receivers.maxRecordBytes }));
  }

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
    close: () => {
      ui.close();
      stream.stop();
    },
  };
}
