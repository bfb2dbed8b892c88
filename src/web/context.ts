import type { Config } from '../config/schema.ts';
import type { Logger } from '../logger.ts';
import type { Pipeline } from '../pipeline.ts';
import type { FileSources, IngestSpool } from '../sources/index.ts';
import type { Clock } from '../types.ts';

/** What the web layer reads from a running LogWatch. Routes only read it; they never start or stop anything. */
export interface AppContext {
  config: Config;
  /** Store, stats, patterns, hub, alert engine and notifiers. */
  pipeline: Pipeline;
  files: FileSources;
  spool: IngestSpool;
  logger: Logger;
  clock: Clock;
  startedAt: number;
}
