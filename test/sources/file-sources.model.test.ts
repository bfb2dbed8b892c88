// Model-based test of the file tailer, in the spirit of Vector's file_watcher tests: random sequences
// of writes, rotations (each way), truncations and restarts run against the real FileSources and a
// tiny model of what was written; at the end every line must have been read exactly once, in order
// within each file generation.
//
// Time is fake and watch events are off: the sources read only at explicit steps (a scan and the reads
// it kicks) and when the test moves time on (scan, checkpoint and sink timers then fire). Nothing sleeps
// and nothing waits for a precondition: a rotation that needs the tailer to have read the file takes a step first.
import { appendFileSync, copyFileSync, mkdirSync, renameSync, statSync, truncateSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeTime } from './fake-time.ts';
import { harness, step, tempDir, type Harness } from './harness.ts';
import type { RecordingSink } from './recording-sink.ts';

type Op =
  | { kind: 'append'; file: number; count: number }
  | { kind: 'appendRotated'; file: number; count: number }
  | { kind: 'rename'; file: number }
  | { kind: 'copyTruncate'; file: number }
  | { kind: 'deleteRecreate'; file: number }
  | { kind: 'truncate'; file: number }
  | { kind: 'restart' }
  | { kind: 'stop' }
  | { kind: 'step' }
  | { kind: 'advance'; ms: number };

const FILES = 3;

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('append' as const), file: fc.nat(FILES - 1), count: fc.integer({ min: 1, max: 30 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('appendRotated' as const), file: fc.nat(FILES - 1), count: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('rename' as const), file: fc.nat(FILES - 1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('copyTruncate' as const), file: fc.nat(FILES - 1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('deleteRecreate' as const), file: fc.nat(FILES - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), file: fc.nat(FILES - 1) }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'restart' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'stop' as const }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'step' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 120 }) }) },
);

/** The model: what was written where. A line is `f<file> g<generation> n<k>`. */
interface ModelFile {
  path: string;
  source: string;
  gen: number;
  /** Lines written to the current generation, and how many of them in total. */
  genLines: string[];
  /** Where the last generation renamed away is (late writes go there), if any. */
  rotated: { path: string; gen: number } | null;
  rotations: number;
  next: number;
}

class Runner {
  readonly written: string[] = [];
  readonly files: ModelFile[];
  private running = false;

  constructor(
    readonly h: Harness,
    logs: string,
  ) {
    this.files = Array.from({ length: FILES }, (_, i) => ({
      path: join(logs, `f${i}.log`),
      source: `logs/f${i}.log`,
      gen: 0,
      genLines: [],
      rotated: null,
      rotations: 0,
      next: 0,
    }));
  }

  get sink(): RecordingSink {
    return this.h.sink;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.h.restart();
    await this.h.sources.start();
    this.running = true;
    await this.h.sources.settled();
  }

  /** One explicit step: a scan, the reads it kicks, and the sink's idle flush (fake time moves on). */
  async step(): Promise<void> {
    if (!this.running) return;
    await step(this.h);
    this.time.advance(40);
    await this.h.sources.settled();
  }

  get time(): FakeTime {
    return this.h.time as FakeTime;
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    await this.h.sources.stop();
    this.running = false;
  }

  async apply(op: Op): Promise<void> {
    switch (op.kind) {
      case 'append':
        return this.append(op.file, op.count);
      case 'appendRotated': {
        const f = this.files[op.file];
        if (f.rotated === null) return;
        this.write(f, f.rotated.path, f.rotated.gen, op.count);
        return;
      }
      case 'rename':
        if (!(await this.hasRead(op.file))) return;
        this.rotate(op.file, (f, to) => renameSync(f.path, to), true);
        return;
      case 'copyTruncate':
        if (!(await this.hasRead(op.file))) return;
        // The tailer must notice the truncation before later writes outgrow the old size: a step after.
        if (this.rotate(op.file, (f, to) => {
          copyFileSync(f.path, to);
          truncateSync(f.path, 0);
        }, false)) await this.step();
        return;
      case 'deleteRecreate':
        // Deleting loses whatever was not read: only once this generation has been read in full.
        if (!(await this.caughtUp(op.file))) return;
        this.rotate(op.file, (f) => unlinkSync(f.path), false);
        return;
      case 'truncate':
        if (!(await this.caughtUp(op.file))) return;
        if (this.rotate(op.file, (f) => truncateSync(f.path, 0), false)) await this.step();
        return;
      case 'restart':
        await this.stop();
        return this.start();
      case 'stop':
        return this.stop();
      case 'step':
        return this.step();
      case 'advance':
        // Scan, checkpoint and sink timers due meanwhile fire; the reads they kick are awaited.
        this.time.advance(op.ms);
        if (this.running) await this.h.sources.settled();
    }
  }

  private append(file: number, count: number): void {
    const f = this.files[file];
    f.genLines.push(...this.write(f, f.path, f.gen, count));
  }

  private write(f: ModelFile, path: string, gen: number, count: number): string[] {
    const fileIndex = this.files.indexOf(f);
    let text = '';
    const lines: string[] = [];
    for (let i = 0; i < count; i++) {
      const line = `f${fileIndex} g${gen} n${f.next++}`;
      lines.push(line);
      text += `${line}\n`;
    }
    appendFileSync(path, text);
    this.written.push(...lines);
    return lines;
  }

  /** Returns false when there was no file to rotate (deleted or renamed, and not written since). */
  private rotate(file: number, act: (f: ModelFile, to: string) => void, renamed: boolean): boolean {
    const f = this.files[file];
    const to = `${f.path}.${++f.rotations}`;
    try {
      statSync(f.path);
    } catch {
      return false;
    }
    act(f, to);
    f.rotated = renamed ? { path: to, gen: f.gen } : null;
    f.gen++;
    f.genLines = [];
    return true;
  }

  /**
   * A generation may be rotated away once the tailer has read a line of it: before that it may not know
   * the file (no tailer can read a file it never saw), and a copy-and-truncate of content it never read
   * leaves nothing to notice (the file is back at the size it last saw). An empty one is always fine.
   * Running: a step first when it has not; stopped: only if a run read it.
   */
  private async hasRead(file: number): Promise<boolean> {
    const f = this.files[file];
    if (f.genLines.length === 0) return true;
    const seen = () => this.sink.live(f.source).some((line) => f.genLines.includes(line));
    if (!seen()) await this.step();
    return seen();
  }

  /** Every line of the generation was read. Running: a step makes it so; stopped: only if it already is. */
  private async caughtUp(file: number): Promise<boolean> {
    const f = this.files[file];
    if (this.running) await this.step();
    const live = new Set(this.sink.live(f.source));
    return f.genLines.every((line) => live.has(line));
  }
}

describe('FileSources against a model', () => {
  it('reads every line exactly once, in order per file generation, across rotations, truncations and restarts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 35 }), fc.boolean(), async (ops, holdLast) => {
        const dir = tempDir('lw-model-');
        const logs = join(dir, 'logs');
        mkdirSync(logs);
        const h = harness(dir, ['logs/*.log'], { followRotatedMs: 60_000, backfillLines: 5 }, { holdLast, time: new FakeTime() });
        const runner = new Runner(h, logs);
        await runner.start();
        try {
          for (const op of ops) await runner.apply(op);
          await runner.start();
          await runner.step();
        } finally {
          // The stop reads what is left of rotated files and flushes lines the sink still holds.
          await runner.stop();
        }
        const live = runner.sink.live();
        // Exactly once: nothing lost, nothing twice, nothing invented.
        expect([...live].sort()).toEqual([...runner.written].sort());
        // In order within each generation of each file.
        const lastOf = new Map<string, number>();
        for (const line of live) {
          const [, file, gen, n] = /^(f\d+) (g\d+) n(\d+)$/.exec(line) as RegExpExecArray;
          const key = `${file} ${gen}`;
          expect(Number(n)).toBeGreaterThan(lastOf.get(key) ?? -1);
          lastOf.set(key, Number(n));
        }
        // History replayed at restarts is made of lines already read.
        const seen = new Set(live);
        for (const line of runner.sink.history()) expect(seen.has(line)).toBe(true);
      }),
      // Fixed seed in CI; MODEL_SEED and MODEL_RUNS explore further by hand. 100 runs: with 40, a tailer
      // that never looks for the copy after a copy-and-truncate still passed.
      { seed: Number(process.env.MODEL_SEED ?? 20261130), numRuns: Number(process.env.MODEL_RUNS ?? 100), endOnFailure: true },
    );
  }, 240_000);
});
