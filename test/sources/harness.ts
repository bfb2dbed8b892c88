// Builds FileSources over a temp folder with fast timings, for the sources tests.
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryLogger } from '../../src/logger.ts';
import { filesSchema, type FilesConfig, type WatchEntry } from '../../src/sources/config.ts';
import { createFileSources } from '../../src/sources/index.ts';
import type { FileSources } from '../../src/sources/types.ts';
import { RecordingSink } from './recording-sink.ts';

export const FAST: Partial<FilesConfig> = {
  scanIntervalMs: 50,
  checkpointIntervalMs: 50,
  partialLineTimeoutMs: 300,
  followRotatedMs: 400,
};

export interface Harness {
  dir: string;
  state: string;
  sink: RecordingSink;
  logger: ReturnType<typeof createMemoryLogger>;
  sources: FileSources;
  /** A new FileSources on the same folder and state (a restart); the sink is kept unless told. */
  restart(options?: { sink?: RecordingSink }): FileSources;
}

export function tempDir(prefix = 'lw-src-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function harness(
  dir: string,
  watch: WatchEntry[],
  files: Partial<FilesConfig> = {},
  options: { holdLast?: boolean } = {},
): Harness {
  const state = join(dir, 'state');
  mkdirSync(state, { recursive: true });
  const logger = createMemoryLogger();
  const config = filesSchema.parse({ ...FAST, ...files });
  const h: Harness = {
    dir,
    state,
    sink: new RecordingSink(options.holdLast === true),
    logger,
    sources: undefined as unknown as FileSources,
    restart(restartOptions = {}) {
      if (restartOptions.sink !== undefined) h.sink = restartOptions.sink;
      h.sources = createFileSources({ watch, files: config, stateDir: state, sink: h.sink, logger, clock: Date.now, cwd: dir });
      return h.sources;
    },
  };
  h.restart();
  return h;
}

/** Appends numbered lines `from..to-1` (`<tag> <n>`), one write per line. */
export function appendLines(path: string, tag: string, from: number, to: number): string[] {
  const lines: string[] = [];
  for (let i = from; i < to; i++) {
    const line = `${tag} ${i}`;
    appendFileSync(path, `${line}\n`);
    lines.push(line);
  }
  return lines;
}

export function range(tag: string, from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = from; i < to; i++) out.push(`${tag} ${i}`);
  return out;
}

/** Open descriptors of this process (Linux). */
export function openDescriptors(): number {
  return readdirSync('/proc/self/fd').length;
}
