// Public face of the parse stage: one SourceParser per source, made by a factory that knows the
// built-in formats and the custom ones from config.
import { systemClock } from '../types.ts';
import type { FormatSpec, ParseContext } from './format.ts';
import { customFormat } from './formats/custom.ts';
import { envelopeFormat } from './formats/envelope.ts';
import { BUILTIN_SPECS } from './formats/index.ts';
import { AutoSourceParser, type FormatRegistry } from './source-parser.ts';
import { TimeResolver } from './time/resolver.ts';
import type { ParserFactory, ParserFactoryOptions } from './types.ts';

export { metadataField } from './entry.ts';
export type { ParserFactory, ParserFactoryOptions, ParserInput, SourceParser, SourceParserOptions } from './types.ts';

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
  // Records of the receivers (syslog, Loki, OTLP): their inner line is parsed by a detecting parser of its own.
  const envelope = envelopeFormat((ctx) => new AutoSourceParser(registry, ctx, detectLines));
  byName.set(envelope.name, envelope);
  return {
    formatNames,
    create: ({ source }) => {
      const ctx: ParseContext = { source, receivedAt: 0, time: new TimeResolver(clock) };
      return new AutoSourceParser(registry, ctx, detectLines);
    },
  };
}
