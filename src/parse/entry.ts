// The entries parsers make. Every field a stage reads for every line (time, level, message) is set at
// once; the metadata of formats whose lines are complete (access logs, JSON lines) may instead be built
// from the raw line the first time something reads `entry.metadata` (a filter on a metadata field, an
// SSE client, the API). Most lines are counted, stored and pushed out of the ring buffer without anyone
// reading their metadata, so they never pay for it. Callers cannot tell the difference: `metadata` is
// always the same object once read, and writing it replaces it.
import type { Level, LogEntry } from '../types.ts';

/** Builds deferred metadata. Implemented by the format parser that made the entry. */
export interface MetadataBuilder {
  /** The metadata of `entry` (whose `raw` is the line it was parsed from); called at most once per entry. */
  buildMetadata(entry: ParsedEntry, context: unknown): Record<string, unknown>;
  /**
   * One field without building the rest, from what the parser kept (`hint`), or NOT_KEPT when it kept
   * nothing for that name. Lets per-entry counters (HTTP status classes) skip the build.
   */
  keptField(name: string, hint: unknown, context: unknown): unknown;
}

/** What `MetadataBuilder.keptField` answers for a field it cannot tell without building the metadata. */
export const NOT_KEPT: unique symbol = Symbol('not kept');

export class ParsedEntry implements LogEntry {
  id: number;
  time: number;
  level: Level;
  message: string;
  source: string;
  format: string;
  raw: string;
  receivedAt: number;
  /** Set by the analyzer; declared here so every entry keeps one shape (no property added later). */
  pattern: string | undefined;
  #metadata: Record<string, unknown> | null;
  #builder: MetadataBuilder | null;
  #context: unknown;
  #hint: unknown;

  constructor(
    time: number,
    level: Level,
    message: string,
    source: string,
    format: string,
    metadata: Record<string, unknown> | null,
    raw: string,
    receivedAt: number,
    builder: MetadataBuilder | null = null,
    context: unknown = null,
    hint: unknown = undefined,
  ) {
    this.id = 0;
    this.time = time;
    this.level = level;
    this.message = message;
    this.source = source;
    this.format = format;
    this.raw = raw;
    this.receivedAt = receivedAt;
    this.pattern = undefined;
    this.#metadata = metadata;
    this.#builder = builder;
    this.#context = context;
    this.#hint = hint;
  }

  get metadata(): Record<string, unknown> {
    let metadata = this.#metadata;
    if (metadata === null) {
      metadata = this.#builder === null ? {} : this.#builder.buildMetadata(this, this.#context);
      this.#metadata = metadata;
      this.#builder = null;
      this.#context = null;
      this.#hint = undefined;
    }
    return metadata;
  }

  set metadata(value: Record<string, unknown>) {
    this.#metadata = value;
    this.#builder = null;
    this.#context = null;
    this.#hint = undefined;
  }

  /** True while the metadata has not been built (for tests and memory accounting). */
  get metadataDeferred(): boolean {
    return this.#metadata === null;
  }

  /** `metadata[name]`, without building deferred metadata when the parser kept that field. */
  metadataField(name: string): unknown {
    const metadata = this.#metadata;
    if (metadata !== null) return metadata[name];
    const kept = this.#builder === null ? NOT_KEPT : this.#builder.keptField(name, this.#hint, this.#context);
    return kept === NOT_KEPT ? this.metadata[name] : kept;
  }
}

/**
 * `entry.metadata[name]` for any entry, reading a field the parser kept aside without building the
 * rest of a deferred metadata object (the hot path of per-entry counters).
 */
export function metadataField(entry: LogEntry, name: string): unknown {
  return entry instanceof ParsedEntry ? entry.metadataField(name) : entry.metadata[name];
}
