// Starts and stops a whole LogWatch: pipeline, sources, web server. Used by main.ts and by tests.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createApp, receiverIntake, webContext, type WebApp } from './app.ts';
import type { Config } from './config/schema.ts';
import { realShipperDeps } from './forward/deps.ts';
import { LokiSink } from './forward/loki-sink.ts';
import type { Logger } from './logger.ts';
import { Pipeline } from './pipeline.ts';
import { createFileSources, createIngestSpool, type FileSources, type IngestSpool } from './sources/index.ts';
import { SyslogReceiver, type SyslogPorts } from './sources/receivers/syslog-server.ts';
import { createMetadataRebuilder, REBUILDABLE_FORMATS } from './parse/rebuild.ts';
import { HistoryStore, ringReader, storeReader } from './store/history/index.ts';
import { systemClock, type Clock } from './types.ts';
import { warmFromHistory } from './warm-start.ts';
import type { AppContext } from './web/context.ts';
import { startServer, type RunningServer } from './web/serve.ts';

export interface RunningLogWatch {
  /** e.g. `http://127.0.0.1:3000` */
  url: string;
  port: number;
  context: AppContext;
  /** The stages behind the web views (for tests and benchmarks that inspect them). */
  pipeline: Pipeline;
  web: WebApp;
  server: RunningServer;
  /** Ports the syslog listeners bound (none when syslog is off). */
  syslog: SyslogPorts;
  /** Graceful stop: no new requests, streams closed, sources read to the end, checkpoints and state flushed. */
  stop(): Promise<void>;
}

export interface StartOptions {
  logger: Logger;
  clock?: Clock;
}

export async function startLogWatch(config: Config, options: StartOptions): Promise<RunningLogWatch> {
  const clock = options.clock ?? systemClock;
  const { logger } = options;
  await mkdir(config.stateDir, { recursive: true });
  const tls = config.tls === undefined ? undefined : { cert: await readPem(config.tls.cert, 'tls.cert'), key: await readPem(config.tls.key, 'tls.key') };

  const history = config.history.enabled
    ? await HistoryStore.open({
        dir: join(config.stateDir, 'history'),
        clock,
        maxAgeMs: config.history.maxAge,
        maxBytes: config.history.maxBytes,
        fsync: config.history.fsync,
        warn: (message) => logger.warn(message),
        // Access and JSON lines are stored without their metadata; readers rebuild it from the raw line.
        metadata: { formats: REBUILDABLE_FORMATS, rebuild: createMetadataRebuilder() },
      })
    : null;
  const pipeline = new Pipeline({ config, logger, clock, history: history ?? undefined });
  // The list and charts as they were before the restart: the newest entries of history, before any
  // source starts. Then the spool's backfill and resumed files' lines before their checkpoint would show
  // the same lines again, so they load none (files met for the first time still load their last lines).
  // After a crash the sources send again what they read since their last checkpoint: warmed, the list
  // would show those lines twice, so the buffer is filled by the sources' backfill as before.
  const warmed = history === null || history.recoveredFromCrash ? 0 : await warmFromHistory(storeReader(history), pipeline, config.buffer.capacity);
  const ingest = warmed > 0 ? { ...config.ingest, backfillLines: 0 } : config.ingest;
  const spool: IngestSpool = createIngestSpool({ ingest, stateDir: config.stateDir, sink: pipeline, logger, clock });
  const files: FileSources = createFileSources({ watch: config.watch, files: config.files, stateDir: config.stateDir, sink: pipeline, logger, clock, historyWarmed: warmed > 0 });
  await spool.open();
  await files.start();
  pipeline.start();

  // Forwarding: every entry processed from now on (history replayed at start was forwarded before).
  const loki = config.forward.loki === undefined ? undefined : new LokiSink(config.forward.loki, realShipperDeps(logger, clock));
  if (loki !== undefined) pipeline.hub.subscribe((event) => event.type === 'logs' && loki.write(event.entries, event.backfill === true));

  const intake = receiverIntake(config, spool);
  const forwarders = () => (loki === undefined ? [] : [loki.status()]);
  const context = webContext(pipeline, {
    config, files, spool, logger, clock, startedAt: clock(), receivers: intake, forwarders, warmedFromHistory: warmed,
    history: history === null ? ringReader(pipeline.store) : storeReader(history),
  });
  const web = createApp(context);
  // Syslog has no credentials (mutual TLS aside): its peers are held to the per-address limits of HTTP
  // ingest, in the same limiter, so /metrics counts them together.
  const limiter = web.limiter;
  const syslogConfig = config.syslog;
  const syslog = syslogConfig !== undefined && (syslogConfig.udp !== undefined || syslogConfig.tcp !== undefined || syslogConfig.tls !== undefined)
    ? new SyslogReceiver({ config: syslogConfig, defaultHost: config.host, intake, logger, clock, admit: limiter === undefined ? undefined : (peer, n) => limiter.lines(`addr:${peer}`, n) === 0 })
    : undefined;
  let server: RunningServer;
  let syslogPorts: SyslogPorts = {};
  try {
    if (syslog !== undefined) syslogPorts = await syslog.start();
    server = await startServer(web.app.fetch, { hostname: config.host, port: config.port, tls });
  } catch (err) {
    web.close();
    await syslog?.stop();
    await files.stop();
    await spool.close();
    pipeline.close();
    await loki?.close(0);
    await history?.close();
    throw err;
  }
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      // Sources first: what they still read and the entries parsers hold reach the store and the
      // streams before the streams end, and are checkpointed.
      // Receivers before the spool: what they took is spooled before it closes.
      await syslog?.stop();
      await files.stop();
      await spool.close();
      pipeline.close();
      // After the pipeline emitted what parsers held: everything is written and the tail sealed.
      await history?.close();
      // The last entries reach Loki if it answers within a couple of seconds.
      await loki?.close(2000);
      web.close();
      // Closing a stream ends it after its queued frames; give them a moment to reach the clients.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await server.close();
      await pipeline.shutdown();
    })());

  return { url: `${server.protocol}://${host}:${server.port}`, port: server.port, context, pipeline, web, server, syslog: syslogPorts, stop };
}

/** A PEM file named in the config; the error names the field and what to do. */
async function readPem(path: string, field: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${field} ${path}: ${(err as Error).message} (give PEM files, e.g. from certbot or \`openssl req -x509\`)`);
  }
}
