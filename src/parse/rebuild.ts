// Metadata rebuilt from a stored raw line, for readers of stored entries (history on disk). The formats
// that build metadata lazily from the raw line (access logs, JSON lines) need nothing else to build it
// again, so history keeps only the raw line for them instead of writing every field a second time.
import type { LogEntry } from '../types.ts';
import { systemClock } from '../types.ts';
import type { LineParser, ParseContext } from './format.ts';
import { accessFormat } from './formats/access.ts';
import { jsonFormat } from './formats/json.ts';
import { TimeResolver } from './time/resolver.ts';

/** `(format, raw)` → the metadata the format's parser makes of `raw`; null when it cannot rebuild that format. */
export type MetadataRebuilder = (format: string, raw: string) => Record<string, unknown> | null;

/** The format names whose entries `createMetadataRebuilder` rebuilds (the formats of deferred entries). */
export const REBUILDABLE_FORMATS: ReadonlySet<string> = new Set(['combined', 'common', 'json']);

export function createMetadataRebuilder(): MetadataRebuilder {
  // The time is not part of the metadata of these formats, so any zone and clock will do.
  const ctx: ParseContext = { source: '', receivedAt: 0, time: new TimeResolver(systemClock) };
  const access = accessFormat.create(ctx);
  const json = jsonFormat.create(ctx);
  return (format, raw) => {
    const parser: LineParser | null = format === 'json' ? json : format === 'combined' || format === 'common' ? access : null;
    if (parser === null) return null;
    const entry: LogEntry | null = parser.parse(raw);
    // A line that no longer parses (cannot happen for a line the same parser made): no metadata rather than a wrong one.
    return entry === null || entry.format !== format ? {} : entry.metadata;
  };
}
