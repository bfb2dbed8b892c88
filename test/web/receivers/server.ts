// A real HTTP server on 127.0.0.1 with the receiver routes, for tests with real clients.
import { Hono } from 'hono';
import { startServer, type RunningServer } from '../../../src/web/serve.ts';
import { lokiRoutes } from '../../../src/web/receivers/loki.ts';
import { otlpRoutes } from '../../../src/web/receivers/otlp.ts';
import { newIntake } from '../../sources/receivers/helpers.ts';

export interface ReceiverServer {
  url: string;
  server: RunningServer;
  spool: ReturnType<typeof newIntake>['spool'];
  intake: ReturnType<typeof newIntake>['intake'];
  /** Content-Type of every request, to check what a client really sent. */
  contentTypes: string[];
  contentEncodings: string[];
}

export interface ReceiverServerOptions {
  maxBodyBytes?: number;
  maxDecodedBytes?: number;
  maxRecordBytes?: number;
  maxPendingBytes?: number;
  /** Bind this port (a restart of a server that was stopped). */
  port?: number;
  /** Keep the spool and counters of an earlier server (a restart). */
  reuse?: Pick<ReceiverServer, 'spool' | 'intake'>;
  /** Answer every push with this status instead (a central that is up but failing). */
  failWith?: number;
}

export async function startReceivers(options: ReceiverServerOptions = {}): Promise<ReceiverServer> {
  const { spool, intake } = options.reuse ?? newIntake(options.maxPendingBytes);
  const limits = { intake, maxBodyBytes: options.maxBodyBytes ?? 1 << 20, maxDecodedBytes: options.maxDecodedBytes ?? 16 << 20 };
  const app = new Hono();
  const contentTypes: string[] = [];
  const contentEncodings: string[] = [];
  app.use('*', async (c, next) => {
    contentTypes.push(c.req.header('content-type') ?? '');
    contentEncodings.push(c.req.header('content-encoding') ?? 'identity');
    if (options.failWith !== undefined) return c.json({ error: 'failing on purpose' }, options.failWith as 500);
    await next();
  });
  app.route('/', lokiRoutes(limits));
  app.route('/', otlpRoutes({ ...limits, maxRecordBytes: options.maxRecordBytes ?? 1 << 20 }));
  const server = await startServer(app.fetch, { hostname: '127.0.0.1', port: options.port ?? 0 });
  return { url: `http://127.0.0.1:${server.port}`, server, spool, intake, contentTypes, contentEncodings };
}
