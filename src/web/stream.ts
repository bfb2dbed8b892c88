// GET /api/stream: Server-Sent Events that `curl -N` can follow (DESIGN.md §3 "The SSE stream").
import { Hono } from 'hono';
import { z } from 'zod';
import { compileFilter, entryFilterQuerySchema, isEmptyFilter, type EntryPredicate } from '../store/query.ts';
import type { LogStore } from '../store/log-store.ts';
import { toAlertJson, toEntryJson, type Alert, type Clock, type LogEntry } from '../types.ts';
import type { StreamConfig } from './config.ts';
import type { Hub, HubEvent } from './hub.ts';
import { jsonError, validationMessage } from './errors.ts';

const encoder = new TextEncoder();

export function entryFrame(entry: LogEntry): string {
  return `id: ${entry.id}\nevent: log\ndata: ${JSON.stringify(toEntryJson(entry))}\n\n`;
}

export function alertFrame(alert: Alert): string {
  return `event: alert\ndata: ${JSON.stringify(toAlertJson(alert))}\n\n`;
}

/** One connected client: a byte-bounded queue in front of its response body. */
class StreamClient {
  dropped = 0;
  /** When the client's queue first filled up without draining since (0 = not stalled). */
  stalledSince = 0;
  private closed = false;

  constructor(
    readonly match: EntryPredicate,
    readonly unfiltered: boolean,
    private readonly controller: ReadableStreamDefaultController<Uint8Array>,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** Queues a frame unless the client is too far behind; `events` counts what a drop loses. */
  send(frame: Uint8Array, events: number, now: number): boolean {
    if (this.closed) return false;
    if ((this.controller.desiredSize ?? 0) <= 0) {
      this.dropped += events;
      if (this.stalledSince === 0) this.stalledSince = now;
      return false;
    }
    this.stalledSince = 0;
    if (this.dropped > 0) {
      this.controller.enqueue(encoder.encode(`event: dropped\ndata: ${JSON.stringify({ dropped: this.dropped })}\n\n`));
      this.dropped = 0;
    }
    this.controller.enqueue(frame);
    return true;
  }

  /** Sends a frame even past the limit (the first frames of a connection). */
  sendNow(frame: Uint8Array): void {
    if (!this.closed) this.controller.enqueue(frame);
  }

  /** Ends the response; `reason` set means abort (a stalled client), dropping what is queued. */
  close(reason?: string): void {
    if (this.closed) return;
    this.closed = true;
    try {
      if (reason === undefined) this.controller.close();
      else this.controller.error(new Error(reason));
    } catch {
      // Already closed by the runtime (client gone).
    }
  }

  markGone(): void {
    this.closed = true;
  }
}

export interface StreamCounters {
  clients: number;
  droppedEvents: number;
  disconnectedSlowClients: number;
}

/**
 * Fans hub events out to SSE clients. Frames are built once per event and shared by every client
 * (filtered clients pick their matching frames), so a listener costs the pipeline almost nothing.
 */
export class StreamBroadcaster {
  private readonly clients = new Set<StreamClient>();
  private droppedEvents = 0;
  private disconnectedSlow = 0;
  private unsubscribe: (() => void) | undefined;
  private timers: Array<ReturnType<typeof setInterval>> = [];

  constructor(
    private readonly hub: Hub,
    private readonly store: LogStore,
    private readonly config: StreamConfig,
    private readonly statsPayload: () => unknown,
    private readonly clock: Clock,
  ) {}

  start(): void {
    this.unsubscribe = this.hub.subscribe((event) => this.onEvent(event));
    const every = (ms: number, fn: () => void) => {
      const timer = setInterval(fn, ms);
      timer.unref?.();
      this.timers.push(timer);
    };
    every(this.config.heartbeatMs, () => this.broadcast(encoder.encode(': ping\n\n'), 0));
    every(this.config.statsIntervalMs, () => {
      if (this.clients.size > 0) this.broadcast(encoder.encode(`event: stats\ndata: ${JSON.stringify(this.statsPayload())}\n\n`), 1);
    });
    every(1000, () => this.closeStalledClients());
  }

  stop(): void {
    this.unsubscribe?.();
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    for (const client of this.clients) client.close();
    this.clients.clear();
  }

  counters(): StreamCounters {
    let dropped = this.droppedEvents;
    for (const client of this.clients) dropped += client.dropped;
    return { clients: this.clients.size, droppedEvents: dropped, disconnectedSlowClients: this.disconnectedSlow };
  }

  get clientCount(): number {
    return this.clients.size;
  }

  get isFull(): boolean {
    return this.clients.size >= this.config.maxClients;
  }

  /** Opens a stream: replays what the buffer holds after `lastEventId`, then follows live events. */
  open(match: EntryPredicate, unfiltered: boolean, lastEventId: number | undefined, signal?: AbortSignal): ReadableStream<Uint8Array> {
    let client: StreamClient | undefined;
    const stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          client = new StreamClient(match, unfiltered, controller);
          let head = 'retry: 3000\n: connected\n\n';
          if (lastEventId !== undefined) {
            for (const entry of this.store.after(lastEventId, match)) head += entryFrame(entry);
          }
          client.sendNow(encoder.encode(head));
          this.clients.add(client);
        },
        cancel: () => {
          if (client !== undefined) this.forget(client);
        },
      },
      new ByteLengthQueuingStrategy({ highWaterMark: this.config.clientQueueBytes }),
    );
    signal?.addEventListener('abort', () => {
      if (client !== undefined) this.forget(client);
    });
    return stream;
  }

  private forget(client: StreamClient): void {
    client.markGone();
    if (this.clients.delete(client)) this.droppedEvents += client.dropped;
  }

  private onEvent(event: HubEvent): void {
    if (this.clients.size === 0) return;
    const now = this.clock();
    if (event.type === 'alert') {
      this.broadcast(encoder.encode(alertFrame(event.alert)), 1, now);
      return;
    }
    const entries = event.entries;
    let frames: string[] | undefined;
    let all: Uint8Array | undefined;
    for (const client of this.clients) {
      if (client.unfiltered) {
        if (frames === undefined) frames = entries.map(entryFrame);
        if (all === undefined) all = encoder.encode(frames.join(''));
        client.send(all, entries.length, now);
        continue;
      }
      let text = '';
      let count = 0;
      for (let i = 0; i < entries.length; i++) {
        if (!client.match(entries[i])) continue;
        if (frames === undefined) frames = new Array(entries.length);
        text += frames[i] ??= entryFrame(entries[i]);
        count++;
      }
      if (count > 0) client.send(encoder.encode(text), count, now);
    }
  }

  private broadcast(frame: Uint8Array, events: number, now = this.clock()): void {
    for (const client of this.clients) client.send(frame, events, now);
  }

  private closeStalledClients(): void {
    const now = this.clock();
    for (const client of this.clients) {
      if (client.stalledSince !== 0 && now - client.stalledSince >= this.config.stalledClientTimeoutMs) {
        this.disconnectedSlow++;
        this.forget(client);
        client.close('client too slow: its queue stayed full');
      }
    }
  }
}

const streamQuerySchema = entryFilterQuerySchema.and(
  z.object({ lastEventId: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(0).optional()) }),
);

/** The SSE route. */
export function streamRoutes(broadcaster: StreamBroadcaster): Hono {
  const app = new Hono();
  app.get('/api/stream', (c) => {
    const parsed = streamQuerySchema.safeParse(c.req.query());
    if (!parsed.success) return jsonError(c, 400, validationMessage(parsed.error));
    if (broadcaster.isFull) return jsonError(c, 429, 'too many stream clients; try again later');
    const { lastEventId: fromQuery, ...filter } = parsed.data;
    const header = c.req.header('last-event-id');
    const fromHeader = header !== undefined && /^\d+$/.test(header.trim()) ? Number(header.trim()) : undefined;
    const lastEventId = fromHeader ?? fromQuery;
    const body = broadcaster.open(compileFilter(filter), isEmptyFilter(filter), lastEventId, c.req.raw.signal);
    return new Response(body, {
      headers: {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      },
    });
  });
  return app;
}
