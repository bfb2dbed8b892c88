// GET /api/stream: Server-Sent Events that `curl -N` can follow (DESIGN.md §3 "The SSE stream").
import { Hono } from 'hono';
import { z } from 'zod';
import { compileFilter, entryFilterQuerySchema, isEmptyFilter, type EntryPredicate, type PatternResolver } from '../store/query.ts';
import { toAnomalyJson } from '../analyze/json.ts';
import type { AnomalyEvent } from '../analyze/types.ts';
import { toAlertJson, toEntryJson, type Alert, type Clock, type LogEntry } from '../types.ts';
import type { StreamConfig } from './config.ts';
import type { HubEvent } from '../hub.ts';
import type { EntryReader, LiveFeed } from './context.ts';
import { jsonError, validationMessage } from './errors.ts';
import type { SseChannel } from './sse-channel.ts';
import { SseClients } from './sse-clients.ts';

const encoder = new TextEncoder();

export function entryFrame(entry: LogEntry): string {
  return `id: ${entry.id}\nevent: log\ndata: ${JSON.stringify(toEntryJson(entry))}\n\n`;
}

export function alertFrame(alert: Alert): string {
  return `event: alert\ndata: ${JSON.stringify(toAlertJson(alert))}\n\n`;
}

export function anomalyFrame(anomaly: AnomalyEvent): string {
  return `event: anomaly\ndata: ${JSON.stringify(toAnomalyJson(anomaly))}\n\n`;
}

/** One connected client: its SSE channel, its filter group, and the events it missed while full. */
class StreamClient {
  dropped = 0;

  constructor(
    readonly group: FilterGroup,
    readonly channel: SseChannel,
  ) {}

  /** Queues a frame unless the client is too far behind; `events` counts what a drop loses. */
  send(frame: Uint8Array, events: number, now: number): boolean {
    if (this.channel.isClosed) return false;
    if (!this.channel.hasRoom(now)) {
      this.dropped += events;
      return false;
    }
    if (this.dropped > 0) {
      this.channel.enqueue(encoder.encode(`event: dropped\ndata: ${JSON.stringify({ dropped: this.dropped })}\n\n`), now);
      this.dropped = 0;
    }
    this.channel.enqueue(frame, now);
    return true;
  }

  /** Counts events nobody had room for when they came (coalesced writes). */
  drop(events: number, now: number): void {
    if (this.channel.isClosed) return;
    this.dropped += events;
    this.channel.hasRoom(now); // notes the stall
  }
}

/**
 * The clients that asked for the same filter: which entries match, and the frames that carry them,
 * are worked out once per event for all of them (a thousand dashboards on `level=ERROR` cost one).
 */
interface FilterGroup {
  readonly key: string;
  readonly match: EntryPredicate;
  readonly unfiltered: boolean;
  readonly clients: Set<StreamClient>;
  /** Frames waiting for the next coalesced write and the events they carry. */
  pending: string;
  pendingCount: number;
  /** Events since the last write that no client of the group had room for (counted as dropped). */
  pendingDropped: number;
}

/**
 * With this many clients or more, log frames are coalesced: each client gets at most one write per
 * COALESCE_MS (the first after a quiet spell at once), so a busy source and a thousand clients cost a
 * thousand writes every COALESCE_MS, not a thousand per batch of lines.
 */
const COALESCE_FROM_CLIENTS = 16;
const COALESCE_MS = 25;

/** Sent to clients with no room: they only count what they miss, so no frame is built for them. */
const NOTHING = new Uint8Array(0);

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
  private readonly clients: SseClients<StreamClient>;
  private readonly groups = new Map<string, FilterGroup>();
  private unnamedGroups = 0;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private lastFlush = 0;
  private droppedEvents = 0;
  private unsubscribe: (() => void) | undefined;
  private timers: Array<ReturnType<typeof setInterval>> = [];

  constructor(
    private readonly hub: LiveFeed,
    private readonly store: EntryReader,
    private readonly config: StreamConfig,
    private readonly statsPayload: () => unknown,
    private readonly clock: Clock,
  ) {
    this.clients = new SseClients<StreamClient>(
      { maxClients: config.maxClients, queueBytes: config.clientQueueBytes, stalledMs: config.stalledClientTimeoutMs },
      (client) => {
        const group = client.group;
        if (group.clients.delete(client) && group.clients.size === 0) this.groups.delete(group.key);
        this.droppedEvents += client.dropped;
      },
    );
  }

  start(): void {
    this.unsubscribe = this.hub.subscribe((event) => this.onEvent(event));
    const every = (ms: number, fn: () => void) => {
      const timer = setInterval(fn, ms);
      timer.unref?.();
      this.timers.push(timer);
    };
    // Every client, busy or quiet: DESIGN.md promises a ping at least every heartbeatMs.
    every(this.config.heartbeatMs, () => this.clients.heartbeat(this.clock(), 0));
    every(this.config.statsIntervalMs, () => {
      if (this.clients.size > 0) this.broadcast(encoder.encode(`event: stats\ndata: ${JSON.stringify(this.statsPayload())}\n\n`), 1);
    });
    every(1000, () => this.clients.closeStalled(this.clock(), 'client too slow: its queue stayed full'));
  }

  stop(): void {
    this.unsubscribe?.();
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.clients.closeAll();
    this.groups.clear();
  }

  counters(): StreamCounters {
    let dropped = this.droppedEvents;
    for (const client of this.clients) dropped += client.dropped;
    return { clients: this.clients.size, droppedEvents: dropped, disconnectedSlowClients: this.clients.disconnectedSlowClients };
  }

  get clientCount(): number {
    return this.clients.size;
  }

  get isFull(): boolean {
    return this.clients.isFull;
  }

  /**
   * Opens a stream: replays what the buffer holds after `lastEventId`, then follows live events.
   * `key` names the filter (clients with the same key share its matching and frames); none: its own.
   */
  open(match: EntryPredicate, unfiltered: boolean, lastEventId: number | undefined, signal?: AbortSignal, key?: string): ReadableStream<Uint8Array> {
    return this.clients.open(
      (channel) => {
        const client = new StreamClient(this.group(key, match, unfiltered), channel);
        const now = this.clock();
        // Frames waiting in the group are of entries from before this client: they go to the others first.
        this.flushGroup(client.group, now);
        client.group.clients.add(client);
        let head = 'retry: 3000\n: connected\n\n';
        if (lastEventId !== undefined) {
          for (const entry of this.store.after(lastEventId, match)) head += entryFrame(entry);
        }
        client.channel.enqueue(encoder.encode(head), now);
        return client;
      },
      this.clock,
      signal,
    );
  }

  private group(key: string | undefined, match: EntryPredicate, unfiltered: boolean): FilterGroup {
    const id = key ?? `#${++this.unnamedGroups}`;
    let group = this.groups.get(id);
    if (group === undefined) {
      group = { key: id, match, unfiltered, clients: new Set(), pending: '', pendingCount: 0, pendingDropped: 0 };
      this.groups.set(id, group);
    }
    return group;
  }

  private onEvent(event: HubEvent): void {
    if (this.clients.size === 0) return;
    const now = this.clock();
    if (event.type === 'alert') {
      this.broadcast(encoder.encode(alertFrame(event.alert)), 1, now);
      return;
    }
    if (event.type === 'anomaly') {
      this.broadcast(encoder.encode(anomalyFrame(event.anomaly)), 1, now);
      return;
    }
    const coalesce = this.clients.size >= COALESCE_FROM_CLIENTS;
    const entries = event.entries;
    // Frames (one JSON.stringify per entry) are built only for entries some client with room gets.
    let frames: string[] | undefined;
    for (const group of this.groups.values()) {
      let listening = false;
      for (const client of group.clients) {
        if (client.channel.hasRoom(now)) {
          listening = true;
          break;
        }
      }
      let text = '';
      let count = 0;
      if (group.unfiltered) {
        count = entries.length;
        if (listening) {
          frames ??= new Array(entries.length);
          for (let i = 0; i < entries.length; i++) text += frames[i] ??= entryFrame(entries[i]);
        }
      } else {
        for (let i = 0; i < entries.length; i++) {
          if (!group.match(entries[i])) continue;
          count++;
          if (!listening) continue;
          frames ??= new Array(entries.length);
          text += frames[i] ??= entryFrame(entries[i]);
        }
      }
      if (count === 0) continue;
      if (coalesce) {
        if (listening) {
          group.pending += text;
          group.pendingCount += count;
        } else group.pendingDropped += count;
        continue;
      }
      const frame = listening ? encoder.encode(text) : NOTHING;
      for (const client of group.clients) client.send(frame, count, now);
    }
    if (coalesce) this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer !== undefined) return;
    const since = performance.now() - this.lastFlush;
    if (since >= COALESCE_MS) {
      this.flushPending();
      return;
    }
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flushPending();
    }, COALESCE_MS - since);
    this.flushTimer.unref?.();
  }

  /** Writes every group's waiting frames (before any other event, so the order stays). */
  private flushPending(): void {
    this.lastFlush = performance.now();
    const now = this.clock();
    for (const group of this.groups.values()) this.flushGroup(group, now);
  }

  private flushGroup(group: FilterGroup, now: number): void {
    const { pendingCount: count, pendingDropped: dropped } = group;
    if (count === 0 && dropped === 0) return;
    const frame = count > 0 ? encoder.encode(group.pending) : NOTHING;
    group.pending = '';
    group.pendingCount = 0;
    group.pendingDropped = 0;
    for (const client of group.clients) {
      if (dropped > 0) client.drop(dropped, now);
      if (count > 0) client.send(frame, count, now);
    }
  }

  private broadcast(frame: Uint8Array, events: number, now = this.clock()): void {
    this.flushPending();
    for (const client of this.clients) client.send(frame, events, now);
  }
}

const streamQuerySchema = entryFilterQuerySchema.and(
  z.object({ lastEventId: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(0).optional()) }),
);

/** The SSE route. */
export function streamRoutes(broadcaster: StreamBroadcaster, resolvePattern?: PatternResolver): Hono {
  const app = new Hono();
  app.get('/api/stream', (c) => {
    const parsed = streamQuerySchema.safeParse(c.req.query());
    if (!parsed.success) return jsonError(c, 400, validationMessage(parsed.error));
    if (broadcaster.isFull) return jsonError(c, 429, 'too many stream clients; try again later');
    const { lastEventId: fromQuery, ...filter } = parsed.data;
    const header = c.req.header('last-event-id');
    const fromHeader = header !== undefined && /^\d+$/.test(header.trim()) ? Number(header.trim()) : undefined;
    const lastEventId = fromHeader ?? fromQuery;
    const key = JSON.stringify([filter.level ?? '', filter.source ?? '', filter.q ?? '', filter.regex === true, filter.pattern ?? '']);
    const body = broadcaster.open(compileFilter(filter, resolvePattern), isEmptyFilter(filter), lastEventId, c.req.raw.signal, key);
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
