// The one place that knows which runtime it is on: Bun.serve, Deno.serve, or @hono/node-server.
import type { AddressInfo } from 'node:net';

export type FetchHandler = (request: Request) => Response | Promise<Response>;

export interface RunningServer {
  /** The port actually bound (useful with port 0). */
  port: number;
  hostname: string;
  runtime: 'bun' | 'deno' | 'node';
  protocol: 'http' | 'https';
  /** Stops accepting connections and closes open ones (SSE streams included). */
  close(): Promise<void>;
}

export interface ServeOptions {
  hostname: string;
  port: number;
  /** PEM certificate (chain) and private key: serve HTTPS instead of HTTP. */
  tls?: { cert: string; key: string };
}

interface BunServer {
  port: number;
  stop(closeActiveConnections?: boolean): Promise<void> | void;
}
interface BunGlobal {
  serve(options: {
    fetch: FetchHandler;
    hostname: string;
    port: number;
    idleTimeout: number;
    maxRequestBodySize: number;
    tls?: { cert: string; key: string };
  }): BunServer;
}
interface DenoServer {
  addr: { port: number };
  shutdown(): Promise<void>;
}
interface DenoGlobal {
  serve(options: { hostname: string; port: number; onListen?: () => void; cert?: string; key?: string }, handler: FetchHandler): DenoServer;
}

export function currentRuntime(): RunningServer['runtime'] {
  const g = globalThis as { Bun?: unknown; Deno?: unknown };
  if (g.Bun !== undefined) return 'bun';
  if (g.Deno !== undefined) return 'deno';
  return 'node';
}

export async function startServer(fetch: FetchHandler, options: ServeOptions): Promise<RunningServer> {
  const runtime = currentRuntime();
  const protocol = options.tls === undefined ? 'http' : 'https';
  if (runtime === 'bun') {
    const bun = (globalThis as unknown as { Bun: BunGlobal }).Bun;
    // idleTimeout 0: SSE streams stay open between pings (Bun's default would cut them after 10 s).
    // The body limit is enforced per route; this is only a backstop above the largest configurable one.
    const server = bun.serve({
      fetch,
      hostname: options.hostname,
      port: options.port,
      idleTimeout: 0,
      maxRequestBodySize: 1024 * 1024 * 1024,
      ...(options.tls === undefined ? {} : { tls: options.tls }),
    });
    return {
      port: server.port,
      hostname: options.hostname,
      runtime,
      protocol,
      close: async () => {
        await server.stop(true);
      },
    };
  }
  if (runtime === 'deno') {
    const deno = (globalThis as unknown as { Deno: DenoGlobal }).Deno;
    const server = deno.serve({ hostname: options.hostname, port: options.port, onListen: () => {}, ...options.tls }, fetch);
    return {
      port: server.addr.port,
      hostname: options.hostname,
      runtime,
      protocol,
      close: () => server.shutdown(),
    };
  }
  const { createAdaptorServer } = await import('@hono/node-server');
  const server =
    options.tls === undefined
      ? createAdaptorServer({ fetch, hostname: options.hostname, port: options.port })
      : createAdaptorServer({ fetch, hostname: options.hostname, port: options.port, createServer: (await import('node:https')).createServer, serverOptions: options.tls });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.hostname, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    port: address.port,
    hostname: options.hostname,
    runtime,
    protocol,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
