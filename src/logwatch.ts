// Starts and stops a whole LogWatch: pipeline, sources, web server. Used by main.ts and by tests.
import { mkdir, readFile } from 'node:fs/promises';
import { createApp, webContext, type WebApp } from './app.ts';
import type { Config } from './config/schema.ts';
import type { Logger } from './logger.ts';
import { Pipeline } from './pipeline.ts';
import { createFileSources, createIngestSpool, type FileSources, type IngestSpool } from './sources/index.ts';
import { systemClock, type Clock } from './types.ts';
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

  const pipeline = new Pipeline({ config, logger, clock });
  const spool: IngestSpool = createIngestSpool({ ingest: config.ingest, stateDir: config.stateDir, sink: pipeline, logger, clock });
  const files: FileSources = createFileSources({ watch: config.watch, files: config.files, stateDir: config.stateDir, sink: pipeline, logger, clock });
  await spool.open();
  await files.start();
  pipeline.start();

  const context = webContext(pipeline, { config, files, spool, logger, clock, startedAt: clock() });
  const web = createApp(context);
  let server: RunningServer;
  try {
    server = await startServer(web.app.fetch, { hostname: config.host, port: config.port, tls });
  } catch (err) {
    web.close();
    await files.stop();
    await spool.close();
    pipeline.close();
    throw err;
  }
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      // Sources first: what they still read and the entries parsers hold reach the store and the
      // streams before the streams end, and are checkpointed.
      await files.stop();
      await spool.close();
      pipeline.close();
      web.close();
      // Closing a stream ends it after its queued frames; give them a moment to reach the clients.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await server.close();
      await pipeline.shutdown();
    })());

  return { url: `${server.protocol}://${host}:${server.port}`, port: server.port, context, pipeline, web, server, stop };
}

/** A PEM file named in the config; the error names the field and what to do. */
async function readPem(path: string, field: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${field} ${path}: ${(err as Error).message} (give PEM files, e.g. from certbot or \`openssl req -x509\`)`);
  }
}
