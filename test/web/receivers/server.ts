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

export async function startReceivers(options: { maxBodyBytes?: number; maxDecodedBytes?: number; maxRecordBytes?: number; maxPendingBytes?: number } = {}): Promise<ReceiverServer> {
  const { spool, intake } = newIntake(options.maxPendingBytes);
  const limits = { intake, maxBodyBytes: options.maxBodyBytes ?? 1 << 20, maxDecodedBytes: options.maxDecodedBytes ?? 16 << 20 };
  const app = new Hono();
  const contentTypes: string[] = [];
  const contentEncodings: string[] = [];
  app.use('*', async (c, next) => {
    contentTypes.push(c.req.header('content-type') ?? '');
    contentEncodings.push(c.req.header('content-encoding') ?? 'identity');
    await next();
  });
  app.route('/', lokiRoutes(limits));
  app.route('/', otlpRoutes({ ...limits, maxRecordBytes: options.maxRecordBytes ?? 1 << 20 }));
  const server = await startServer(app.fetch, { hostname: '127.0.0.1', port: 0 });
  return { url: `http://127.0.0.1:${server.port}`, server, spool, intake, contentTypes, contentEncodings };
}
