// The receivers' public types: records decoded from a protocol (syslog, Loki push, OTLP), on their way
// to the ingest spool as envelope lines (see parse/formats/envelope.ts for the parsing side).
import type { Level } from '../../types.ts';

/** One log record as a shipper sent it, with what it says about itself. */
export interface ReceivedRecord {
  /** Source name, `host:app` (see sourceName). */
  source: string;
  /** The text to parse (a syslog MSG, a Loki line, an OTLP body). */
  line: string;
  /** The original text when it is more than `line` (a whole syslog frame). */
  raw?: string;
  /** Time the shipper gave the record, ms since the epoch (used when the line itself has none). */
  time?: number;
  /** Level the shipper gave (used when the line itself has none). */
  level?: Level;
  /** Labels, attributes, host, app...: overlaid on what the line's own parser finds. */
  metadata?: Record<string, unknown>;
}

export type ReceiverName = 'syslog' | 'loki' | 'otlp';

/** Why a request, frame or record was refused; a label of `logwatch_receiver_refused_total`. */
export type RefusalReason = 'malformed' | 'too_large' | 'backed_up' | 'unsupported' | 'spool_error' | 'rejected' | 'rate_limited';

export interface ReceiverCounts {
  receiver: ReceiverName;
  /** Records accepted (spooled). */
  received: number;
  /** Requests (HTTP), frames (syslog) or records (OTLP partial success) refused, by reason. */
  refused: Partial<Record<RefusalReason, number>>;
}
