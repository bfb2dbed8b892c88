// Where every receiver hands its records: encoded as envelope lines and written to the ingest spool,
// so "accepted" means spooled for syslog, Loki and OTLP exactly as for POST /api/ingest. Also keeps the
// receivers' counters and the backlog that makes them answer "backed up" (HTTP 429, TCP read pause).
import { sanitizeSourceName } from '../source-name.ts';
import type { IngestPart, IngestSpool } from '../types.ts';
import type { ReceivedRecord, ReceiverCounts, ReceiverName, RefusalReason } from './types.ts';

/** The parser that reads what the intake spools (parse/formats/envelope.ts). */
export const ENVELOPE_FORMAT = 'envelope';

export interface IntakeOptions {
  /** Bytes handed to the spool but not yet durable beyond which receivers refuse new work. */
  maxPendingBytes: number;
  /** Distinct source names kept; later new names share `<receiver>:other` (a sender cannot grow memory without bound). */
  maxSources?: number;
}

/** The spooled line of a record: one JSON object (JSON escapes newlines, so it stays one line). */
export function encodeEnvelope(record: ReceivedRecord): string {
  const out: Record<string, unknown> = { line: record.line };
  if (record.raw !== undefined && record.raw !== record.line) out.raw = record.raw;
  if (record.time !== undefined && Number.isFinite(record.time)) out.time = record.time;
  if (record.level !== undefined) out.level = record.level;
  if (record.metadata !== undefined && Object.keys(record.metadata).length > 0) out.metadata = record.metadata;
  return JSON.stringify(out);
}

const CONTROL = /[\u0000-\u001f\u007f]/g;

/**
 * `host:app`, each part without control characters and at most 120 characters, then repaired to the
 * source-name rule (src/sources/source-name.ts): labels are the sender's, and one bad label must not
 * refuse the good lines around it, so it is sanitised rather than refused.
 */
export function sourceName(host: string | undefined, app: string | undefined, fallbackHost: string, fallbackApp: string): string {
  const clean = (text: string | undefined, fallback: string) => {
    const value = (text ?? '').replace(CONTROL, '').trim().slice(0, 120);
    return value.length > 0 ? value : fallback;
  };
  return sanitizeSourceName(`${clean(host, fallbackHost)}:${clean(app, fallbackApp)}`, `${fallbackHost}:${fallbackApp}`);
}

/** Who sent a batch, as far as the intake must know: the prefix its sources must start with (a token's `sourcePrefix`). */
export interface Sender {
  sourcePrefix?: string;
}

/** What the HTTP routes use of the intake. */
export type ReceiverInbox = Pick<ReceiverIntake, 'accept' | 'backedUp' | 'refuse' | 'register' | 'snapshot'>;

export class ReceiverIntake {
  private pendingBytes = 0;
  private readonly sources = new Set<string>();
  private readonly maxSources: number;
  private readonly counts = new Map<ReceiverName, ReceiverCounts>();

  constructor(
    private readonly spool: Pick<IngestSpool, 'accept'>,
    private readonly options: IntakeOptions,
  ) {
    this.maxSources = options.maxSources ?? 1000;
  }

  /** True while earlier work is still being written: new requests get 429, TCP reads pause, UDP datagrams are dropped. */
  backedUp(): boolean {
    return this.pendingBytes > this.options.maxPendingBytes;
  }

  /**
   * Resolves once every record is durable in the spool and handed to the pipeline; all or nothing.
   * `bytes` is what the request weighed (for the backlog). Rejects when the spool cannot be written.
   * A sender bound to a source prefix gets it put in front of every name that does not start with it
   * (`web-1/` + `web-2:app`): it cannot write as another host, and its lines are still kept.
   */
  async accept(receiver: ReceiverName, records: readonly ReceivedRecord[], bytes: number, sender: Sender = {}): Promise<void> {
    if (records.length === 0) return;
    const parts: IngestPart[] = [];
    let last: IngestPart | undefined;
    for (const record of records) {
      const source = this.admit(receiver, record.source, sender.sourcePrefix ?? '');
      if (last === undefined || last.source !== source) {
        last = { source, lines: [], format: ENVELOPE_FORMAT };
        parts.push(last);
      }
      last.lines.push(encodeEnvelope(record));
    }
    this.pendingBytes += bytes;
    try {
      await this.spool.accept(parts);
    } catch (err) {
      this.refuse(receiver, 'spool_error');
      throw err;
    } finally {
      this.pendingBytes -= bytes;
    }
    this.countsOf(receiver).received += records.length;
  }

  refuse(receiver: ReceiverName, reason: RefusalReason, n = 1): void {
    const refused = this.countsOf(receiver).refused;
    refused[reason] = (refused[reason] ?? 0) + n;
  }

  /** Counters of every receiver that has been used or registered. */
  snapshot(): ReceiverCounts[] {
    return [...this.counts.values()].map((c) => ({ receiver: c.receiver, received: c.received, refused: { ...c.refused } }));
  }

  /** Makes a receiver appear in the counters before its first record. */
  register(receiver: ReceiverName): void {
    this.countsOf(receiver);
  }

  private countsOf(receiver: ReceiverName): ReceiverCounts {
    let counts = this.counts.get(receiver);
    if (counts === undefined) {
      counts = { receiver, received: 0, refused: {} };
      this.counts.set(receiver, counts);
    }
    return counts;
  }

  private admit(receiver: ReceiverName, name: string, prefix: string): string {
    // Decoders already build valid names; this is the one place every receiver's name passes, so it holds
    // the rule whatever a decoder does.
    let source = sanitizeSourceName(name, `${receiver}:unknown`);
    if (!source.startsWith(prefix)) source = sanitizeSourceName(prefix + source);
    if (this.sources.has(source)) return source;
    // The overflow name keeps the prefix too: a bound sender never lands outside it.
    if (this.sources.size >= this.maxSources) return sanitizeSourceName(`${prefix}${receiver}:other`);
    this.sources.add(source);
    return source;
  }
}
