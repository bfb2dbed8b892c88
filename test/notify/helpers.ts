// A local HTTP server that records what notifiers POST and answers as a test scripts it, and alert builders.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Alert, LogEntry } from '../../src/types.ts';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** How to answer request number `n` (1-based): a status code, or 'hang' to never answer. */
export type Script = (n: number) => number | 'hang';

export interface CaptureServer {
  url: string;
  received: Received[];
  /** Requests seen, answered or not. */
  readonly requests: number;
  close(): Promise<void>;
}

export async function captureServer(script: Script = () => 200): Promise<CaptureServer> {
  const received: Received[] = [];
  const hanging: ServerResponse[] = [];
  let requests = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const answer = script(++requests);
      if (answer === 'hang') {
        hanging.push(res);
        return;
      }
      if (answer >= 200 && answer < 300) received.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(body) });
      res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let nextId = 1;
const T = Date.UTC(2026, 10, 30, 10, 15);

export function logEntry(raw: string, fields: Partial<LogEntry> = {}): LogEntry {
  return { id: nextId++, time: T, level: 'ERROR', message: raw, source: 'app.log', format: 'test', metadata: {}, raw, receivedAt: T, ...fields };
}

export function alert(fields: Partial<Alert> = {}): Alert {
  return {
    id: nextId++,
    rule: 'High Error Rate',
    key: '',
    message: '3 matching entries in 60s (threshold 3)',
    time: T,
    count: 3,
    logs: [logEntry('db timeout 1'), logEntry('db timeout 2'), logEntry('db timeout 3')],
    state: 'firing',
    ...fields,
  };
}

/** Polls until `check` holds (or fails the test after `timeoutMs`). */
export async function until(check: () => boolean, timeoutMs = 5000, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
