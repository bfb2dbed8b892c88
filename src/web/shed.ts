// What LogWatch let go of under load, in one place for /metrics and the dashboard: every bounded
// queue and table sheds its oldest or newest when full, and each such loss is counted here.

export interface ShedCounts {
  /** Live-stream events not delivered to a slow /api/stream client. */
  streamEvents: number;
  /** Stream and dashboard clients disconnected for staying too far behind. */
  slowClients: number;
  /** Alert notifications dropped from a full notifier queue. */
  notifications: number;
  /** groupBy keys forgotten because a rule tracked more than maxKeys. */
  alertKeys: number;
  /** Ingest requests refused with 429 (rate limit or backed-up spool); the client keeps them. */
  ingestRefused: number;
  /** Entries left out of history on disk because writing could not keep up (the ring, stream and alerts still got them). */
  history: number;
}

export function shedTotal(s: ShedCounts): number {
  return s.streamEvents + s.slowClients + s.notifications + s.alertKeys + s.ingestRefused + s.history;
}
