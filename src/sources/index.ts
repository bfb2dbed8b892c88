// Public face of the sources stage. PLACEHOLDER until the tailer and spool land.
import type { Clock, LineSink } from '../types.ts';
import type { Logger } from '../logger.ts';
import type { FilesConfig, IngestConfig, WatchEntry } from './config.ts';

/** One row of `GET /api/sources`. */
export interface SourceStatus {
  /** Source name: the file path as configured, or the ingest source name. */
  name: string;
  kind: 'file' | 'ingest';
  path: string | null;
  dev: number | null;
  inode: number | null;
  /** Byte offset read so far (file) or spool offset (ingest). */
  offset: number;
  size: number;
  /** Bytes written but not read yet. */
  lag: number;
  lines: number;
  lastError: string | null;
  lastErrorAt: string | null;
}

export interface FileSources {
  /** Scans the globs, backfills history, starts watching. */
  start(): Promise<void>;
  /** Stops watching, reads what is left, writes the final checkpoint. */
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
}

/** Lines accepted over HTTP: made durable in the spool, then handed to the pipeline. */
export interface IngestSpool {
  /** Opens the spool, replays history (as backfill) and lines accepted but not yet processed. */
  open(): Promise<void>;
  /** Resolves once every part is durable and handed to the sink; all or nothing. */
  accept(parts: IngestPart[]): Promise<void>;
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
