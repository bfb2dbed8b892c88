/**
 * The write side of one Server-Sent Events response: a byte-bounded queue (the response stream's own,
 * sized by its queuing strategy), since-when it has been full, and a close that ends the response
 * normally or aborts it (a client too slow to keep). Shared by the API stream and the dashboard stream.
 */
export class SseChannel {
  /** When the queue was first found full without draining since (0 = not stalled). */
  stalledSince = 0;
  /** When something was last queued (for heartbeats: only a quiet client needs a ping). */
  lastWriteAt: number;
  private closed = false;

  constructor(
    private readonly controller: ReadableStreamDefaultController<Uint8Array>,
    now: number,
  ) {
    this.lastWriteAt = now;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Whether bytes queued now fit; when they would not, notes since when the queue has been full. */
  hasRoom(now: number): boolean {
    if (this.closed) return false;
    if ((this.controller.desiredSize ?? 0) > 0) {
      this.stalledSince = 0;
      return true;
    }
    if (this.stalledSince === 0) this.stalledSince = now;
    return false;
  }

  /** True when the queue has been full for at least `ms`. */
  stalledFor(ms: number, now: number): boolean {
    return this.stalledSince !== 0 && now - this.stalledSince >= ms;
  }

  /** Queues bytes whatever the room (callers ask hasRoom first, except for the first frames of a connection). */
  enqueue(bytes: Uint8Array, now: number): void {
    if (this.closed) return;
    this.lastWriteAt = now;
    try {
      this.controller.enqueue(bytes);
    } catch {
      this.closed = true; // the runtime closed the stream under us: the client is gone
    }
  }

  /** Ends the response; with a `reason`, aborts it, dropping what is queued. */
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

  /** The client went away: nothing more is written. */
  markGone(): void {
    this.closed = true;
  }
}
