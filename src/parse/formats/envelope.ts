// Records that arrive with their own time, level and labels (syslog, Loki push, OTLP): the receivers
// spool each one as a JSON line of this shape, and this parser turns it back into an entry.
//   {"line":"<text to parse>","raw":"<original, when not line>","time":<ms>,"level":"ERROR","metadata":{...},"format":"<forced>"}
// Only `line` is required. The inner `line` is parsed like any line of the source (format detection per
// source), so an nginx line shipped through Loki is still an access entry with its status and path.
// Then the record's own fields complete it: its metadata overlays the line's (the shipper's labels win
// a clash), its time is used when the line has none, its level when the line has none. `raw` stays the
// original text: the record's `raw` (a whole syslog frame) or else the inner line.
import { LEVEL_RANK, type Level, type LogEntry } from '../../types.ts';
import { makeEntry, UNPARSED_TIME_KEY, type FormatSpec, type LineParser, type ParseContext } from '../format.ts';

export const ENVELOPE_FORMAT = 'envelope';

/** What the envelope parser needs of the source parser it runs on the inner line. */
export interface InnerParser {
  push(input: { lines: string[]; receivedAt: number; timezone?: string; format?: string }, out: LogEntry[]): void;
  flush(out: LogEntry[]): void;
}

interface Envelope {
  line: string;
  raw?: string;
  time?: number;
  level?: Level;
  metadata?: Record<string, unknown>;
  format?: string;
}

/** The envelope in a spooled line, or null when it is not one (then the line is kept as UNKNOWN). */
export function readEnvelope(text: string): Envelope | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.line !== 'string') return null;
  const out: Envelope = { line: v.line };
  if (typeof v.raw === 'string') out.raw = v.raw;
  if (typeof v.time === 'number' && Number.isFinite(v.time)) out.time = v.time;
  if (typeof v.level === 'string' && Object.hasOwn(LEVEL_RANK, v.level)) out.level = v.level as Level;
  if (typeof v.metadata === 'object' && v.metadata !== null && !Array.isArray(v.metadata)) out.metadata = v.metadata as Record<string, unknown>;
  if (typeof v.format === 'string' && v.format.length > 0) out.format = v.format;
  return out;
}

class EnvelopeParser implements LineParser {
  readonly name = ENVELOPE_FORMAT;
  // A record is a whole message (a syslog frame, a Loki line, an OTLP body), never part of another.
  readonly multiline = 'none' as const;
  private readonly out: LogEntry[] = [];

  constructor(
    private readonly ctx: ParseContext,
    private readonly inner: InnerParser,
  ) {}

  parse(text: string): LogEntry {
    const envelope = readEnvelope(text);
    // A spooled line that is not an envelope (a spool edited by hand, a bug): kept whole, never lost.
    if (envelope === null) return makeEntry(this.ctx, this.ctx.receivedAt, 'UNKNOWN', text, 'unknown', {}, text);
    const receivedAt = this.ctx.receivedAt;
    const out = this.out;
    out.length = 0;
    const input: { lines: string[]; receivedAt: number; timezone?: string; format?: string } = { lines: [envelope.line], receivedAt };
    const zone = this.ctx.time.zone;
    if (zone !== undefined) input.timezone = zone;
    if (envelope.format !== undefined) input.format = envelope.format;
    this.inner.push(input, out);
    this.inner.flush(out);
    // One line in, so at most one entry out; none for a blank line.
    const entry = out[0] ?? makeEntry(this.ctx, receivedAt, 'UNKNOWN', envelope.line, 'unknown', {}, envelope.line);
    out.length = 0;

    if (envelope.time !== undefined && (entry.time === receivedAt || UNPARSED_TIME_KEY in entry.metadata)) entry.time = envelope.time;
    if (envelope.level !== undefined && entry.level === 'UNKNOWN') entry.level = envelope.level;
    if (envelope.metadata !== undefined) {
      const metadata = entry.metadata;
      for (const key in envelope.metadata) {
        // A label named `__proto__` (JSON.parse makes it an own key) must stay a plain field, not a prototype.
        if (key === '__proto__') Object.defineProperty(metadata, key, { value: envelope.metadata[key], enumerable: true, writable: true, configurable: true });
        else metadata[key] = envelope.metadata[key];
      }
    }
    if (envelope.raw !== undefined) entry.raw = envelope.raw;
    return entry;
  }
}

/**
 * The envelope format; `innerFor` makes, per source, the parser of the inner lines (the factory's own
 * detecting source parser, so detection, custom formats and zones behave as for any other line).
 */
export function envelopeFormat(innerFor: (ctx: ParseContext) => InnerParser): FormatSpec {
  return {
    name: ENVELOPE_FORMAT,
    aliases: [],
    create: (ctx) => new EnvelopeParser(ctx, innerFor(ctx)),
  };
}
