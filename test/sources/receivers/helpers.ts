// Shared by the receiver tests: a spool that keeps what it is given, and the entries those envelope
// lines become once parsed (the same parser factory the pipeline uses).
import { createParserFactory } from '../../../src/parse/index.ts';
import { ReceiverIntake } from '../../../src/sources/receivers/intake.ts';
import type { IngestPart } from '../../../src/sources/types.ts';
import type { LogEntry } from '../../../src/types.ts';

export class MemorySpool {
  readonly accepted: IngestPart[][] = [];
  /** When set, accept() waits for it (to hold the spool "busy"). */
  gate: Promise<void> | null = null;
  failWith: Error | null = null;

  async accept(parts: IngestPart[]): Promise<void> {
    if (this.gate !== null) await this.gate;
    if (this.failWith !== null) throw this.failWith;
    this.accepted.push(parts);
  }

  get parts(): IngestPart[] {
    return this.accepted.flat();
  }

  get lines(): number {
    return this.parts.reduce((n, part) => n + part.lines.length, 0);
  }
}

export function newIntake(maxPendingBytes = 1 << 20, maxSources?: number): { spool: MemorySpool; intake: ReceiverIntake } {
  const spool = new MemorySpool();
  return { spool, intake: new ReceiverIntake(spool, { maxPendingBytes, maxSources }) };
}

export const RECEIVED_AT = Date.parse('2026-11-30T12:00:00Z');

/** Entries of spooled parts, parsed as the pipeline would (one parser per source, zone UTC). */
export function entriesOf(parts: readonly IngestPart[]): LogEntry[] {
  const factory = createParserFactory({ formats: {}, parse: { multilineTimeoutMs: 250, detectLines: 20 }, clock: () => RECEIVED_AT });
  const parsers = new Map<string, ReturnType<typeof factory.create>>();
  const out: LogEntry[] = [];
  for (const part of parts) {
    let parser = parsers.get(part.source);
    if (parser === undefined) {
      parser = factory.create({ source: part.source });
      parsers.set(part.source, parser);
    }
    parser.push({ lines: part.lines, receivedAt: RECEIVED_AT, format: part.format, timezone: 'UTC' }, out);
    parser.flush(out);
  }
  return out;
}
