// Builds FileSources over a temp folder with fast timings, for the sources tests.
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryLogger } from '../../src/logger.ts';
import { filesSchema, type FilesConfig, type WatchEntry } from '../../src/sources/config.ts';
import { FileTailing } from '../../src/sources/files/file-tailing.ts';
import type { WatchDir } from '../../src/sources/files/watch-hints.ts';
import type { FakeTime } from './fake-time.ts';
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
  /** The orchestrator itself: `scanNow()` and `settled()` drive explicit steps under fake time. */
  sources: FileTailing;
  /** Set when built with fake time: the clock and timers of the sources and of the sink. */
  time: FakeTime | undefined;
  /** A new FileSources on the same folder and state (a restart); the sink is kept unless told. */
  restart(options?: { sink?: RecordingSink }): FileTailing;
}

export function tempDir(prefix = 'lw-src-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function harness(
  dir: string,
  watch: WatchEntry[],
  files: Partial<FilesConfig> = {},
  options: { holdLast?: boolean; time?: FakeTime } = {},
): Harness {
  const time = options.time;
  const state = join(dir, 'state');
  mkdirSync(state, { recursive: true });
  const logger = createMemoryLogger();
  const config = filesSchema.parse({ ...FAST, ...files });
  const h: Harness = {
    dir,
    state,
    sink: time === undefined ? new RecordingSink(options.holdLast === true) : new RecordingSink(options.holdLast === true, 30, time.timers),
    logger,
    sources: undefined as unknown as FileTailing,
    time,
    restart(restartOptions = {}) {
      if (restartOptions.sink !== undefined) h.sink = restartOptions.sink;
      const base = { watch, files: config, stateDir: state, sink: h.sink, logger, cwd: dir };
      // Under fake time nothing reads on its own: no watch events, timers fire only when the test advances time.
      h.sources =
        time === undefined
          ? new FileTailing({ ...base, clock: Date.now })
          : new FileTailing({ ...base, clock: time.clock, timers: time.timers, watchDir: noWatch });
      return h.sources;
    },
  };
  h.restart();
  return h;
}

const noWatch: WatchDir = () => ({ close() {}, on: () => undefined });

/** Under fake time: one explicit step of the file sources, a scan and every read it kicked. */
export async function step(h: Harness): Promise<void> {
  await h.sources.scanNow();
  await h.sources.settled();
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
