import type { AnomalyEvent } from './analyze/types.ts';
import type { Alert, LogEntry } from './types.ts';

/** What the pipeline announces to live listeners (SSE clients, the dashboard stream). */
export type HubEvent =
  | { type: 'logs'; entries: readonly LogEntry[]; /** History replayed at startup (forwarding sinks skip it). */ backfill?: boolean }
  | { type: 'alert'; alert: Alert }
  | { type: 'anomaly'; anomaly: AnomalyEvent };

export type HubListener = (event: HubEvent) => void;

/**
 * Fan-out from the pipeline to live listeners. Publishing is synchronous and cheap: a listener only
 * queues what it wants and writes later, so no client can slow the pipeline down.
 */
export class Hub {
  private readonly listeners = new Set<HubListener>();
  private failures = 0;

  subscribe(listener: HubListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  publish(event: HubEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken listener must never break the pipeline; it is counted for /metrics.
        this.failures++;
      }
    }
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  get listenerFailures(): number {
    return this.failures;
  }
}
