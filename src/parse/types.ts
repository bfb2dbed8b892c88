// Types of the parse stage: what a source parser reads and does, and the factory that makes one. Beside
// the stage, not in its barrel, so that source-parser.ts can implement SourceParser without importing
// index.ts (which imports it).
import type { Clock, LineBatch, LogEntry } from '../types.ts';
import type { CustomFormat, ParseConfig } from './config.ts';

export interface SourceParserOptions {
  source: string;
}

/** What a parser reads of a batch. `format` forces a parser, `timezone` the zone of zone-less times. */
export type ParserInput = Pick<LineBatch, 'lines' | 'receivedAt' | 'format' | 'timezone'>;

/** Parses the lines of one source, in order. Stateful: detection result, held multi-line entry. */
export interface SourceParser {
  /**
   * Parses the lines, appending finished entries to `out` (with id 0). The last entry may be held
   * back as a possible multi-line start. Without `format`, the source's format is auto-detected.
   */
  push(input: ParserInput, out: LogEntry[]): void;
  /** Emits the held entry, if any. */
  flush(out: LogEntry[]): void;
  /** Raw lines the held entry spans (0 when nothing is held). */
  readonly heldLines: number;
  /** Lines joined to the entry above them since the parser was made (continuation lines). */
  readonly joinedLines: number;
  /** Entries flushed before a continuation line came for them: a stack trace split by a stalled writer. */
  readonly splitEntries: number;
  /** Entries finished early because they reached the cap of lines or characters one entry may hold. */
  readonly cutEntries: number;
  /** The configured or detected format, null while undecided. */
  readonly format: string | null;
}

export interface ParserFactory {
  create(options: SourceParserOptions): SourceParser;
  /** Built-in and custom format names accepted by `format` options. */
  readonly formatNames: readonly string[];
}

export interface ParserFactoryOptions {
  formats: Record<string, CustomFormat>;
  /** Only `detectLines` is read here; hold times belong to the pipeline. */
  parse: Pick<ParseConfig, 'detectLines'> & Partial<ParseConfig>;
  clock?: Clock;
}
