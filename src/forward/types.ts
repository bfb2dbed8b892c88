// The forward stage's types: batches shipped over HTTP to another log store (a central LogWatch, Loki,
// VictoriaLogs), in order, retried until they are taken.
import type { Logger } from '../logger.ts';
import type { Timers } from '../timers.ts';
import type { Clock } from '../types.ts';

export interface ShipBatch {
  body: Uint8Array | string;
  contentType: string;
  /** Extra headers of this batch (Content-Encoding). */
  headers?: Record<string, string>;
  /** Bytes the batch holds in the backlog. */
  bytes: number;
  /** Records in the batch (for the counters). */
  records: number;
  /** Called once the receiver answered 2xx: the batch is theirs now. */
  onSent?: () => void;
}

export interface ShipperStatus {
  name: string;
  url: string;
  /** Records taken by the receiver (2xx). */
  sent: number;
  /** Records the receiver refused for good (a 4xx other than 401/403/408/429): logged and dropped. */
  rejected: number;
  /** Records dropped because the backlog was full. */
  dropped: number;
  /** Batches and bytes waiting, the one in flight included. */
  queuedBatches: number;
  queuedRecords: number;
  queuedBytes: number;
  attempts: number;
  retries: number;
  lastError: string | null;
  lastErrorAt: string | null;
  lastSentAt: string | null;
}

/** What a shipper needs from the world; injected so tests drive time and the network. */
export interface ShipperDeps {
  logger: Logger;
  /** Jitter, [0, 1). */
  random: () => number;
  clock: Clock;
  /** Batch waits, retries, attempt timeouts (src/timers.ts; tests pass manual ones). */
  timers: Pick<Timers, 'setTimeout' | 'clearTimeout'>;
  fetch: (url: string, init: RequestInit) => Promise<Response>;
}

export interface ShipperOptions {
  name: string;
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  backoffMs: number;
  maxBackoffMs: number;
  /** Bytes of batches held at most; enqueue() refuses beyond. */
  maxBacklogBytes: number;
}
