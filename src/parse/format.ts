// What a format module provides, and what it is given. One LineParser instance per source, so that
// per-source caches (the last date converted, the dialect that matched) live in the instance.
import type { Level, LogEntry } from '../types.ts';
import { ParsedEntry, type MetadataBuilder } from './entry.ts';
import type { TimeResolver } from './time/resolver.ts';

/**
 * Which lines may continue an entry of a format:
 * - `none`: every line is complete (JSON lines, access logs, logfmt): entries are never held.
 * - `indented`: only indented lines continue (syslog, kernel).
 * - `announced`: continuation lines (indented, stack-trace markers) continue, and other text only after an
 *   entry that announced more (multiline.ts `announcesMore`): the generic fallback, whose sources write
 *   one-line records with no layout known for their multi-line messages.
 * - `any`: any line that does not start like a record continues (stack traces, multi-line messages),
 *   the known layout of Python, Java, nginx/Apache error logs.
 */
export type MultilineMode = 'none' | 'indented' | 'announced' | 'any';

/** Per-source state every parser of the source reads. */
export interface ParseContext {
  readonly source: string;
  /** Receive time of the batch being parsed. */
  receivedAt: number;
  readonly time: TimeResolver;
}

export interface LineParser {
  /** Format name reported by `SourceParser.format`. */
  readonly name: string;
  readonly multiline: MultilineMode;
  /**
   * The entry a line starts, or null when the line is not of this format. `line` has no terminator.
   * Must never throw, whatever the line holds.
   */
  parse(line: string): LogEntry | null;
  /**
   * True when the last line this parser read matched only loosely (the generic parser finding a time
   * deep inside the line): such a line continues a held multi-line entry of another format rather
   * than starting an entry of its own.
   */
  readonly weak?: boolean;
  /**
   * True when the last line this parser read continued the entry it returned before (a container
   * runtime's split line, a stack line): the entry returned is that one with the line joined, and
   * replaces it while it is still held, rather than starting an entry of its own.
   */
  readonly joined?: boolean;
}

export interface FormatSpec {
  /** Canonical name (the first accepted by config). */
  readonly name: string;
  /** Other names a config `format` may use for this parser. */
  readonly aliases: readonly string[];
  readonly create: (ctx: ParseContext) => LineParser;
}

/** Metadata key that marks an entry whose written time could not be read (its time is the receive time). */
export const UNPARSED_TIME_KEY = 'timestamp_unparsed';

/** Builds an entry; every parser makes the same class, so the stages after parsing see one shape. */
export function makeEntry(
  ctx: ParseContext,
  time: number,
  level: Level,
  message: string,
  format: string,
  metadata: Record<string, unknown>,
  raw: string,
): LogEntry {
  return new ParsedEntry(time, level, message, ctx.source, format, metadata, raw, ctx.receivedAt);
}

/**
 * Builds an entry whose metadata `builder` makes from `raw` when it is first read (see entry.ts); only
 * for formats whose entries never take continuation lines, so `raw` is still the line parsed then.
 * `context` and `hint` are kept for the builder (`hint`: a field per-entry counters read).
 */
export function makeDeferredEntry(
  ctx: ParseContext,
  time: number,
  level: Level,
  message: string,
  format: string,
  raw: string,
  builder: MetadataBuilder,
  context: unknown,
  hint: unknown,
): LogEntry {
  return new ParsedEntry(time, level, message, ctx.source, format, null, raw, ctx.receivedAt, builder, context, hint);
}

/**
 * The time to store for a structurally matched line: the parsed time, or, when it is NaN, the receive
 * time with the written text kept in metadata so the entry shows why.
 */
export function timeOrReceived(ctx: ParseContext, time: number, written: string, metadata: Record<string, unknown>): number {
  if (time === time) return time;
  metadata[UNPARSED_TIME_KEY] = written;
  return ctx.receivedAt;
}
