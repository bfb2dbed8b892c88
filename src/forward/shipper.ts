// Ships batches to one HTTP endpoint, one at a time and in order, until each is taken: a 2xx moves on,
// a 429, 5xx, timeout or network error retries the same batch after an exponential backoff with jitter
// (at least the server's Retry-After), a 401/403 retries too (a token fixed at the other end lets the
// backlog through, nothing is lost meanwhile), and any other 4xx drops the batch with an error: the
// server will never take it and it must not block everything behind it. The backlog is bounded in bytes;
// the caller decides what a full backlog means (the Loki sink drops, the agent stops reading).
import type { ShipBatch, ShipperDeps, ShipperOptions, ShipperStatus } from './types.ts';

const RETRY_STATUSES = new Set([401, 403, 408, 425, 429]);

export class Shipper {
  private readonly queue: ShipBatch[] = [];
  private bytes = 0;
  private inFlight = false;
  private attempt = 0;
  private timer: unknown = undefined;
  private closed = false;
  private idleWaiters: Array<() => void> = [];
  private abort: AbortController | undefined;
  private readonly counters = { sent: 0, rejected: 0, dropped: 0, attempts: 0, retries: 0 };
  private lastError: string | null = null;
  private lastErrorAt: number | null = null;
  private lastSentAt: number | null = null;

  constructor(
    private readonly options: ShipperOptions,
    private readonly deps: ShipperDeps,
  ) {}

  /** Queues a batch; false (and nothing queued) when the backlog would go over its limit or the shipper is closed. */
  enqueue(batch: ShipBatch): boolean {
    if (this.closed || (this.queue.length > 0 && this.bytes + batch.bytes > this.options.maxBacklogBytes)) return false;
    this.queue.push(batch);
    this.bytes += batch.bytes;
    if (!this.inFlight && this.timer === undefined) void this.sendNext();
    return true;
  }

  /** Counts records the caller dropped because enqueue() refused them. */
  countDropped(records: number): void {
    this.counters.dropped += records;
  }

  /** Bytes waiting, the batch in flight included. */
  get backlogBytes(): number {
    return this.bytes;
  }

  /** Removes the batches not yet being sent (they are never sent; the agent reads them again later). */
  takeQueued(): ShipBatch[] {
    const keep = this.inFlight || this.timer !== undefined ? 1 : 0;
    const taken = this.queue.splice(keep);
    for (const batch of taken) this.bytes -= batch.bytes;
    return taken;
  }

  /** Resolves once the backlog is empty (or at once when it is), or the shipper is closed. */
  idle(): Promise<void> {
    if (this.queue.length === 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops retrying: what is not sent by `deadlineMs` stays unsent (the agent reads it again at its next start). */
  async close(deadlineMs: number): Promise<void> {
    if (this.queue.length > 0 && deadlineMs > 0) {
      let timer: unknown;
      await Promise.race([this.idle(), new Promise<void>((resolve) => (timer = this.deps.timers.setTimeout(resolve, deadlineMs)))]);
      this.deps.timers.clearTimeout(timer);
    }
    this.closed = true;
    if (this.timer !== undefined) this.deps.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.abort?.abort();
    // Whoever waits for the backlog to drain learns that it never will.
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  status(): ShipperStatus {
    const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
    return {
      name: this.options.name,
      url: this.options.url,
      ...this.counters,
      queuedBatches: this.queue.length,
      queuedRecords: this.queue.reduce((n, b) => n + b.records, 0),
      queuedBytes: this.bytes,
      lastError: this.lastError,
      lastErrorAt: iso(this.lastErrorAt),
      lastSentAt: iso(this.lastSentAt),
    };
  }

  private async sendNext(): Promise<void> {
    const batch = this.queue[0];
    if (batch === undefined || this.closed) {
      if (batch === undefined) for (const resolve of this.idleWaiters.splice(0)) resolve();
      return;
    }
    this.inFlight = true;
    this.counters.attempts++;
    const outcome = await this.post(batch);
    this.inFlight = false;
    if (this.closed) return;
    if (outcome.kind === 'retry') {
      this.attempt++;
      this.counters.retries++;
      this.fail(outcome.error);
      const delay = Math.max(this.backoff(this.attempt), outcome.retryAfterMs ?? 0);
      this.timer = this.deps.timers.setTimeout(() => {
        this.timer = undefined;
        void this.sendNext();
      }, delay);
      return;
    }
    this.queue.shift();
    this.bytes -= batch.bytes;
    this.attempt = 0;
    if (outcome.kind === 'sent') {
      this.counters.sent += batch.records;
      this.lastSentAt = this.deps.clock();
      this.lastError = null;
      try {
        batch.onSent?.();
      } catch (err) {
        this.deps.logger.error(`${this.options.name}: after a batch was sent: ${(err as Error).message}`);
      }
    } else {
      this.counters.rejected += batch.records;
      this.fail(outcome.error);
      this.deps.logger.error(`${this.options.name}: ${this.options.url} refused ${batch.records} records for good (${outcome.error}); they are dropped`);
    }
    void this.sendNext();
  }

  private async post(batch: ShipBatch): Promise<{ kind: 'sent' } | { kind: 'rejected'; error: string } | { kind: 'retry'; error: string; retryAfterMs?: number }> {
    const abort = new AbortController();
    this.abort = abort;
    const timeout = this.deps.timers.setTimeout(() => abort.abort(), this.options.timeoutMs);
    try {
      const res = await this.deps.fetch(this.options.url, {
        method: 'POST',
        body: batch.body as BodyInit,
        headers: { ...this.options.headers, ...batch.headers, 'Content-Type': batch.contentType },
        signal: abort.signal,
      });
      // Read the body either way, so the connection can be reused.
      const text = (await res.text().catch(() => '')).slice(0, 300);
      if (res.status >= 200 && res.status < 300) return { kind: 'sent' };
      const error = `HTTP ${res.status}${text === '' ? '' : `: ${text}`}`;
      if (res.status >= 500 || RETRY_STATUSES.has(res.status)) {
        const after = Number(res.headers.get('retry-after'));
        return Number.isFinite(after) && after > 0 ? { kind: 'retry', error, retryAfterMs: Math.min(after * 1000, this.options.maxBackoffMs) } : { kind: 'retry', error };
      }
      return { kind: 'rejected', error };
    } catch (err) {
      const error = abort.signal.aborted ? `no answer within ${this.options.timeoutMs} ms` : (err as Error).message;
      return { kind: 'retry', error };
    } finally {
      this.deps.timers.clearTimeout(timeout);
      this.abort = undefined;
    }
  }

  private fail(error: string): void {
    if (this.lastError === null) this.deps.logger.warn(`${this.options.name}: sending to ${this.options.url} failed (${error}); retrying with backoff`);
    this.lastError = error;
    this.lastErrorAt = this.deps.clock();
  }

  /** Exponential backoff with "equal jitter": half fixed, half random, so many agents do not retry in step. */
  private backoff(attempt: number): number {
    const delay = Math.min(this.options.maxBackoffMs, this.options.backoffMs * 2 ** (attempt - 1));
    return Math.round(delay / 2 + this.deps.random() * (delay / 2));
  }
}
