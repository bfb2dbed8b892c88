// Types of the on-disk history (DESIGN.md §1 "store": segments, retention and search beyond the ring).
import type { Clock, Level, LogEntry } from '../../types.ts';

/** An entry as history keeps it: the pipeline's entry plus its place in history. */
export interface HistoryEntry extends LogEntry {
  /** Position in history: increasing over every entry ever appended, across restarts. */
  seq: number;
  /** Learned template id from the analyzer, when it set one. */
  pattern?: string;
}

/** What the store accepts: a pipeline entry, optionally with the analyzer's pattern id. */
export type AppendEntry = LogEntry & { pattern?: string };

export interface HistoryOptions {
  /** Folder of the history (`<stateDir>/history`). */
  dir: string;
  clock: Clock;
  /** Drop segments whose newest entry was received longer ago than this (ms). */
  maxAgeMs: number;
  /** Drop the oldest segments while the history is larger than this (bytes on disk). */
  maxBytes: number;
  /** Seal the tail into a segment when its encoded rows reach this size (bytes). Default 4 MiB. */
  segmentBytes?: number;
  /** Seal the tail when its oldest entry has waited this long (ms). Default 60 s. */
  segmentAgeMs?: number;
  /** Encoded bytes per compressed block inside a segment (the unit a search skips or reads). Default 128 KiB. */
  blockBytes?: number;
  /** How often queued entries are written to the journal (ms). Default 200. */
  flushIntervalMs?: number;
  /** Entries queued for writing at most; more are dropped and counted (the pipeline is never blocked). */
  maxQueued?: number;
  /** fsync the journal and segments (survives power loss, not only a crash of LogWatch). Default false. */
  fsync?: boolean;
  /** Warnings (unreadable files, dropped entries): one line each, said once per condition. */
  warn?: (message: string) => void;
  /**
   * Metadata rebuilt from the raw line on read (injected by the app from the parse stage). With it, an
   * entry of one of its formats whose metadata nobody has built yet is stored without metadata: building
   * and encoding it was a third of the cost of writing history. Without it, metadata is always stored.
   */
  metadata?: MetadataRebuild;
}

export interface MetadataRebuild {
  /** The format names `rebuild` knows. */
  formats: ReadonlySet<string>;
  /** The metadata of a raw line of that format; null when it cannot rebuild it. */
  rebuild: (format: string, raw: string) => Record<string, unknown> | null;
}

export interface HistoryQuery {
  /** Inclusive lower bound on entry time, ms. */
  from?: number;
  /** Exclusive upper bound on entry time, ms. */
  to?: number;
  /** Minimum severity. */
  level?: Level;
  /** Exact source name, or a glob (`logs/*.log`). */
  source?: string;
  /** Exact `metadata.host` (the sending host of received entries). */
  host?: string;
  /** Case-insensitive substring of the message or raw line (a regex with `regex`). */
  q?: string;
  regex?: boolean;
  /**
   * Field conditions, all of which must hold: the web layer compiles the rules' `where` syntax
   * (src/alerts/conditions.ts) into these; the store does not import the alerts stage.
   */
  conditions?: ReadonlyArray<(entry: LogEntry) => boolean>;
  /** Learned template id. */
  pattern?: string;
  /** The id a pattern id stands for now (the analyzer merges patterns); injected, the store does not import it. */
  resolvePattern?: (id: string) => string;
}

export interface PageRequest extends HistoryQuery {
  /** Entries per page (default 100). */
  limit?: number;
  /** Opaque: the `next` of the page before. */
  cursor?: string;
}

export interface HistoryPage {
  /** Newest first. */
  entries: HistoryEntry[];
  /** Cursor of the next (older) page; null when this page reached the oldest match. */
  next: string | null;
  /** Blocks decoded and blocks skipped by the index (to see what a query cost). */
  blocksRead: number;
  blocksSkipped: number;
}

export interface HistogramRequest extends HistoryQuery {
  from: number;
  to: number;
  /** Bucket width, ms. */
  step: number;
}

export interface HistogramBucket {
  /** Bucket start, ms (aligned to multiples of the step). */
  time: number;
  counts: Record<Level, number>;
  total: number;
}

export interface HistoryStats {
  /** Bytes on disk: sealed segments and the journal. */
  bytes: number;
  entries: number;
  segments: number;
  /** Bytes of the raw lines kept (what the logs took as plain text). */
  rawBytes: number;
  /** rawBytes / bytes of the sealed segments (0 before the first segment). */
  compressionRatio: number;
  /** Oldest and newest entry time, ms; null when empty. */
  oldest: number | null;
  newest: number | null;
  /** Entries waiting to be written, and entries dropped because writing could not keep up. */
  queued: number;
  dropped: number;
  /** Segments deleted by retention, since start. */
  expiredSegments: number;
}
