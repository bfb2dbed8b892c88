import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.ts';
import type { ConfigInput } from '../../src/config/schema.ts';
import { createMemoryLogger } from '../../src/logger.ts';
import { Pipeline } from '../../src/pipeline.ts';
import type { FileSources, IngestPart, IngestSpool, SourceStatus } from '../../src/sources/index.ts';
import { webContext } from '../../src/app.ts';
import type { AppContext } from '../../src/web/context.ts';

/** A spool that hands parts straight to the pipeline and remembers them. */
export class RecordingSpool implements IngestSpool {
  readonly accepted: IngestPart[][] = [];
  fail: Error | undefined;
  constructor(private readonly pipeline: Pipeline) {}
  async open(): Promise<void> {}
  async accept(parts: IngestPart[]): Promise<void> {
    if (this.fail !== undefined) throw this.fail;
    this.accepted.push(parts);
    for (const part of parts) this.pipeline.write({ source: part.source, lines: part.lines, receivedAt: Date.now(), format: part.format });
  }
  async close(): Promise<void> {}
  status(): SourceStatus[] {
    return [];
  }
}

const noFiles: FileSources = { start: async () => {}, stop: async () => {}, status: () => [] };

export type FakeContext = AppContext & { pipeline: Pipeline; spool: RecordingSpool; logger: ReturnType<typeof createMemoryLogger> };

/** A real pipeline behind the web layer, with in-memory sources. */
export function fakeContext(config: ConfigInput = {}): FakeContext {
  // A state dir of its own: alert state must not leak between tests (or into the repo).
  const parsed = parseConfig({ notifiers: {}, stateDir: mkdtempSync(join(tmpdir(), 'lw-web-state-')), ...config });
  const logger = createMemoryLogger();
  const clock = () => Date.now();
  const pipeline = new Pipeline({ config: parsed, logger, clock });
  const spool = new RecordingSpool(pipeline);
  return { ...webContext(pipeline, { config: parsed, files: noFiles, spool, logger, clock, startedAt: Date.now() }), pipeline, spool, logger };
}
