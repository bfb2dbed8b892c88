// Public face of the parse stage: one SourceParser per source, made by a factory that knows the
// built-in formats and the custom ones from config.
import { systemClock, type Clock, type LineBatch, type LogEntry } from '../types.ts';
import type { CustomFormat, ParseConfig } from './config.ts';
import type { FormatSpec, ParseContext } from './format.ts';
import { customFormat } from './formats/custom.ts';
import { BUILTIN_SPECS } from './formats/index.ts';
import { AutoSourceParser, type FormatRegistry } from './source-parser.ts';
import { TimeResolver } from './time.ts';

export { metadataField } from './entry.ts';

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

/** Names a config `format` may use for the built-in parsers (canonical names, then aliases). */
export const BUILTIN_FORMATS: readonly string[] = [
  ...BUILTIN_SPECS.map((spec) => spec.name),
  ...BUILTIN_SPECS.flatMap((spec) => spec.aliases),
];

export function createParserFactory(options: ParserFactoryOptions): ParserFactory {
  const clock = options.clock ?? systemClock;
  const byName = new Map<string, FormatSpec>();
  for (const spec of BUILTIN_SPECS) {
    byName.set(spec.name, spec);
    for (const alias of spec.aliases) byName.set(alias, spec);
  }
  // Custom formats are used where a source names them; detection considers only the built-ins,
  // whose patterns are specific, while a custom pattern may match anything.
  for (const [name, format] of Object.entries(options.formats)) byName.set(name, customFormat(name, format));
  const registry: FormatRegistry = { detectable: BUILTIN_SPECS, byName };
  const formatNames = [...new Set([...BUILTIN_FORMATS, ...Object.keys(options.formats)])];
  const detectLines = options.parse.detectLines;
  return {
    formatNames,
    create: ({ source }) => {
      const ctx: ParseContext = { source, receivedAt: 0, time: new TimeResolver(clock) };
      return new AutoSourceParser(registry, ctx, detectLines);
    },
  };
}
