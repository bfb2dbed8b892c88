// A real Pipeline behind the web layer, with in-memory sources and a clock the test controls.
// Shared by the dashboard's unit tests and the dev server.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.ts';
import type { ConfigInput } from '../../src/config/schema.ts';
import { createMemoryLogger } from '../../src/logger.ts';
import { Pipeline } from '../../src/pipeline.ts';
import type { FileSources, IngestSpool, SourceStatus } from '../../src/sources/index.ts';
import type { Alert, LogEntry } from '../../src/types.ts';
import type { AppContext } from '../../src/web/context.ts';
import { webContext } from '../../src/app.ts';

export interface MemoryContext extends AppContext {
  /** The real stages behind the views (tests write lines and inspect silences through it). */
  pipeline: Pipeline;
  /** Sets the clock (ms since the epoch). */
  setNow(ms: number): void;
  advance(ms: number): void;
  /** What files.status() and spool.status() answer. */
  fileStatus: SourceStatus[];
  ingestStatus: SourceStatus[];
}

export const T0 = Date.UTC(2026, 10, 30, 10, 0, 0);

export function memoryContext(config: ConfigInput = {}, start = T0): MemoryContext {
  let now = start;
  const clock = () => now;
  const parsed = parseConfig({ notifiers: {}, stateDir: mkdtempSync(join(tmpdir(), 'lw-ui-state-')), ...config });
  const logger = createMemoryLogger();
  const pipeline = new Pipeline({ config: parsed, logger, clock });
  const files: FileSources = { start: async () => {}, stop: async () => {}, status: () => ctx.fileStatus };
  const spool: IngestSpool = { open: async () => {}, accept: async () => {}, close: async () => {}, status: () => ctx.ingestStatus };
  const ctx: MemoryContext = {
    ...webContext(pipeline, { config: parsed, files, spool, logger, clock, startedAt: start }),
    pipeline,
    setNow: (ms) => void (now = ms),
    advance: (ms) => void (now += ms),
    fileStatus: [],
    ingestStatus: [],
  };
  return ctx;
}

/**
 * Stores ready-made entries through the pipeline's own fan-out (emit), skipping the parsers, for
 * tests that need exact levels and metadata whatever the parsers decide. Returns the alerts fired.
 */
export function storeEntries(ctx: MemoryContext, entries: Array<Partial<LogEntry> & { message: string }>): Alert[] {
  const now = ctx.clock();
  const full: LogEntry[] = entries.map((e) => ({
    id: 0,
    time: e.time ?? now,
    level: e.level ?? 'INFO',
    message: e.message,
    source: e.source ?? 'app.log',
    format: e.format ?? 'test',
    metadata: e.metadata ?? {},
    raw: e.raw ?? e.message,
    receivedAt: e.receivedAt ?? now,
  }));
  return ctx.pipeline.emit(full, { backfill: false }).slice();
}
