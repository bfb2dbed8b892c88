// The sources stage's public types: what the pipeline wiring and the web layer see of it.
import type { Logger } from '../logger.ts';
import type { Timers } from '../timers.ts';
import type { Clock, LineSink } from '../types.ts';
import type { FilesConfig, IngestConfig, WatchEntry } from './config.ts';

/** One row of `GET /api/sources`. */
export interface SourceStatus {
  /** Source name: the file path as configured, or the ingest source name. */
  name: string;
  kind: 'file' | 'ingest';
  /** Absolute path of the file (file), or the spool directory (ingest). */
  path: string | null;
  dev: number | null;
  inode: number | null;
  /** Byte offset read so far (file), or spool position in lines (ingest). */
  offset: number;
  /** File size (file), or bytes on disk of the spool (ingest). */
  size: number;
  /** Bytes written but not read yet (file), or lines accepted but not yet processed (ingest). */
  lag: number;
  /** Lines read (file) or accepted (ingest) by this process. */
  lines: number;
  lastError: string | null;
  /** ISO time of the last error. */
  lastErrorAt: string | null;
  // Optional extras (always set by the sources stage itself):
  /** `live` while at its glob path, `rotated` once renamed or deleted away (followed for a while). */
  state?: 'live' | 'rotated';
  /** Everything before this offset (file) or spool position (ingest) has been processed. */
  committedOffset?: number;
  /** What the last checkpoint written holds (null before the first one that includes this source). */
  checkpointOffset?: number | null;
  /** ISO time the state in that checkpoint was taken (everything processed before it is in it). */
  checkpointAt?: string | null;
  /** Lines loaded as history (backfill) at this start. */
  backfilled?: number;
  /** Lines cut at `files.maxLineBytes`. */
  truncatedLines?: number;
}

export interface FileSources {
  /** Scans the globs, resumes at the checkpoints, backfills history, writes a checkpoint, starts watching. */
  start(): Promise<void>;
  /**
   * Stops watching and reading, reads the rest of rotated and deleted files (they may be gone at the
   * next start), flushes the parser of every file and writes the final checkpoint.
   */
  stop(): Promise<void>;
  status(): SourceStatus[];
}

export interface FileSourcesOptions {
  watch: WatchEntry[];
  files: FilesConfig;
  stateDir: string;
  sink: LineSink;
  logger: Logger;
  clock: Clock;
  /** Base of relative globs (default: the process's working directory). */
  cwd?: string;
  /** Scan, checkpoint and partial-line timers (default: the real ones); tests pass fake ones with the clock. */
  timers?: Timers;
  /**
   * True when the buffer was already warmed from history on disk: resumed files then load no lines from
   * before their checkpoint (history holds them; loading them again would list them twice). Files met
   * for the first time still load their last lines: those were never read.
   */
  historyWarmed?: boolean;
}


/** Lines accepted over HTTP: made durable in the spool, then handed to the pipeline. */
export interface IngestSpool {
  /** Opens the spool, replays history (as backfill) and lines accepted but not yet processed. */
  open(): Promise<void>;
  /** Resolves once every part is durable and handed to the sink; all or nothing. */
  accept(parts: IngestPart[]): Promise<void>;
  /** Waits for pending writes, flushes the parsers of ingest sources, saves the checkpoint. */
  close(): Promise<void>;
  status(): SourceStatus[];
}

/** A run of lines of one request with one parser choice (`json` for objects, else the source's). */
export interface IngestPart {
  source: string;
  lines: string[];
  format?: string;
}

export interface IngestSpoolOptions {
  ingest: IngestConfig;
  stateDir: string;
  sink: LineSink;
  logger: Logger;
  clock: Clock;
}
