// The connected clients of one Server-Sent Events route: how many may connect, how each response is
// opened and forgotten, heartbeats, and what happens to a client too slow to keep. Shared by the API
// stream (/api/stream) and the dashboard stream (/ui/stream), which differ only in what they send.
import { SseChannel } from './sse-channel.ts';

export interface SseClientsOptions {
  /** New clients past this many are refused (the route answers 429). */
  maxClients: number;
  /** Bytes a client may leave unread before writes to it are skipped (its response stream's queue). */
  queueBytes: number;
  /** A client whose queue stays full this long is aborted: it would hold memory and never catch up. */
  stalledMs: number;
}

export interface SseClient {
  readonly channel: SseChannel;
}

const PING = new TextEncoder().encode(': ping\n\n');

export class SseClients<C extends SseClient> implements Iterable<C> {
  private readonly clients = new Set<C>();
  private slowDisconnects = 0;

  constructor(
    private readonly options: SseClientsOptions,
    /** Told when a client is gone, whichever way it went (cancel, abort, stall, close). */
    private readonly onForget: (client: C) => void = () => {},
  ) {}

  get size(): number {
    return this.clients.size;
  }

  get isFull(): boolean {
    return this.clients.size >= this.options.maxClients;
  }

  /** Clients disconnected because their queue stayed full (for /metrics and the dashboard counters). */
  get disconnectedSlowClients(): number {
    return this.slowDisconnects;
  }

  [Symbol.iterator](): Iterator<C> {
    return this.clients[Symbol.iterator]();
  }

  /**
   * A response body for a new client. `create` makes the client around its channel (and may queue its
   * first frames); it is added after. The client is forgotten when the response is cancelled or the
   * request aborted, so a closed tab costs nothing afterwards.
   */
  open(create: (channel: SseChannel) => C, now: () => number, signal?: AbortSignal): ReadableStream<Uint8Array> {
    let client: C | undefined;
    const stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          client = create(new SseChannel(controller, now()));
          this.clients.add(client);
        },
        cancel: () => {
          if (client !== undefined) this.forget(client);
        },
      },
      new ByteLengthQueuingStrategy({ highWaterMark: this.options.queueBytes }),
    );
    signal?.addEventListener('abort', () => {
      if (client === undefined) return;
      client.channel.close();
      this.forget(client);
    });
    return stream;
  }

  /** Stops writing to a client and drops it (idempotent). */
  forget(client: C): void {
    client.channel.markGone();
    if (this.clients.delete(client)) this.onForget(client);
  }

  /**
   * A `: ping` comment to every client with room that nothing was written to for `quietMs` (0: to every
   * client), so proxies do not close a quiet stream.
   */
  heartbeat(now: number, quietMs: number): void {
    for (const client of this.clients) {
      if (now - client.channel.lastWriteAt >= quietMs && client.channel.hasRoom(now)) client.channel.enqueue(PING, now);
    }
  }

  /** Aborts every client whose queue has stayed full for `stalledMs`; it reconnects when it can keep up. */
  closeStalled(now: number, reason: string): void {
    for (const client of this.clients) {
      if (!client.channel.stalledFor(this.options.stalledMs, now)) continue;
      this.slowDisconnects++;
      // Abort first (forget marks the channel gone, after which close would do nothing).
      client.channel.close(reason);
      this.forget(client);
    }
  }

  /** Ends every response normally (shutdown). */
  closeAll(): void {
    for (const client of [...this.clients]) {
      client.channel.close();
      this.forget(client);
    }
  }
}
