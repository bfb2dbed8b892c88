// Per-client ingest limits: token buckets for requests and for lines (clock injected), so one client (a
// token, or an address when there is no auth) cannot take all of LogWatch's capacity from the others.
import type { Context } from 'hono';
import type { Clock } from '../../types.ts';

export interface RateLimitSettings {
  requestsPerSecond: number;
  requestBurst: number;
  linesPerSecond: number;
  lineBurst: number;
  /** Clients tracked at most; the least recently seen is forgotten first (its buckets refill). */
  maxClients: number;
}

/**
 * A bucket of `burst` tokens refilled at `rate` per second. `take` may drive it below zero (debt) when
 * any token is left: a request larger than the burst still passes once, then waits its full cost off.
 */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.at = now;
  }

  /** 0 when `n` were taken, else the seconds until a retry can succeed (Infinity: never, n > burst without debt). */
  take(n: number, now: number, allowDebt: boolean): number {
    this.tokens = Math.min(this.burst, this.tokens + (Math.max(0, now - this.at) / 1000) * this.rate);
    this.at = now;
    if (this.tokens >= n || (allowDebt && this.tokens > 0)) {
      this.tokens -= n;
      return 0;
    }
    // Without debt, more than the burst never fits: say so rather than promise a retry that fails again.
    if (!allowDebt && n > this.burst) return Infinity;
    return (Math.min(n, this.burst) - this.tokens) / this.rate;
  }
}

interface Client {
  requests: TokenBucket;
  lines: TokenBucket;
}

export interface RateLimitCounters {
  refusedRequests: number;
  refusedLines: number;
  /** Requests refused for their lines (each counted once). */
  refusedLineRequests: number;
  clients: number;
}

export class ClientRateLimiter {
  private readonly clients = new Map<string, Client>();
  private refusedRequests = 0;
  private refusedLines = 0;
  private refusedLineRequests = 0;

  constructor(
    private readonly settings: RateLimitSettings,
    private readonly clock: Clock,
  ) {}

  private client(key: string): Client {
    let client = this.clients.get(key);
    if (client !== undefined) {
      // Re-inserted so the map's order is least recently seen first.
      this.clients.delete(key);
    } else {
      const now = this.clock();
      client = { requests: new TokenBucket(this.settings.requestsPerSecond, this.settings.requestBurst, now), lines: new TokenBucket(this.settings.linesPerSecond, this.settings.lineBurst, now) };
      while (this.clients.size >= this.settings.maxClients) this.clients.delete(this.clients.keys().next().value as string);
    }
    this.clients.set(key, client);
    return client;
  }

  /** Seconds to wait (whole, at least 1) when this request is over the client's request rate, else 0. */
  request(key: string): number {
    const wait = this.client(key).requests.take(1, this.clock(), false);
    if (wait === 0) return 0;
    this.refusedRequests++;
    return Math.max(1, Math.ceil(wait));
  }

  /** Same for `n` lines; a batch passes while the client has any line credit left. */
  lines(key: string, n: number): number {
    const wait = this.client(key).lines.take(n, this.clock(), true);
    if (wait === 0) return 0;
    this.refusedLines += n;
    this.refusedLineRequests++;
    return Math.max(1, Math.ceil(wait));
  }

  counters(): RateLimitCounters {
    return { refusedRequests: this.refusedRequests, refusedLines: this.refusedLines, refusedLineRequests: this.refusedLineRequests, clients: this.clients.size };
  }
}

/**
 * The peer address on each runtime (Node: the socket; Bun: server.requestIP; Deno: the handler's info).
 * No X-Forwarded-For: behind a reverse proxy every client is the proxy, so give each client a token.
 */
export function clientAddress(c: Context): string {
  const env = c.env as {
    incoming?: { socket?: { remoteAddress?: string } };
    requestIP?: (req: Request) => { address: string } | null;
    remoteAddr?: { hostname?: string };
  } | undefined;
  try {
    return env?.incoming?.socket?.remoteAddress ?? env?.requestIP?.(c.req.raw)?.address ?? env?.remoteAddr?.hostname ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
