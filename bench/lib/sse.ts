// A minimal SSE client for the benchmarks: one HTTP connection, raw text chunks handed to a callback
// (no event parsing: the benchmarks look for markers and count `event: log` lines).
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface SseConnection {
  close(): void;
}

/** Opens `url` (GET, text/event-stream) and calls `onText` with each chunk received. */
export function openSse(url: string, onText: (text: string) => void): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    let req: ClientRequest | undefined = undefined;
    req = request(url, { headers: { accept: 'text/event-stream' }, agent: false }, (res: IncomingMessage) => {
      if (res.statusCode !== 200) {
        reject(new Error(`GET ${url}: ${res.statusCode}`));
        res.resume();
        return;
      }
      res.setEncoding('utf8');
      res.on('data', onText);
      res.on('error', () => {});
      resolve({ close: () => req?.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * A client that connects and then never reads: the kernel buffers fill, then LogWatch's queue for it.
 * A small receive buffer makes it stall sooner.
 */
export function openStalledSse(host: string, port: number, path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port }, () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nAccept: text/event-stream\r\n\r\n`);
      // Read the response head, then stop reading for good.
      socket.once('data', () => {
        socket.pause();
        resolve(socket);
      });
    });
    socket.on('error', reject);
  });
}

/** Counts occurrences of `needle` in text arriving in chunks (a needle may be split across chunks). */
export class ChunkCounter {
  count = 0;
  private tail = '';
  constructor(private readonly needle: string) {}

  push(text: string): void {
    const joined = this.tail + text;
    let at = joined.indexOf(this.needle);
    while (at >= 0) {
      this.count++;
      at = joined.indexOf(this.needle, at + this.needle.length);
    }
    this.tail = joined.slice(Math.max(0, joined.length - this.needle.length + 1));
  }
}
