// Model-based test of the file tailer, in the spirit of Vector's file_watcher tests: random sequences
// of writes, rotations (each way), truncations and restarts run against the real FileSources and a
// tiny model of what was written; at the end every line must have been read exactly once, in order
// within each file generation.
import { appendFileSync, copyFileSync, mkdirSync, renameSync, statSync, truncateSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { harness, tempDir, type Harness } from './harness.ts';
import { RecordingSink, sleep, waitUntil } from './recording-sink.ts';

type Op =
  | { kind: 'append'; file: number; count: number }
  | { kind: 'appendRotated'; file: number; count: number }
  | { kind: 'rename'; file: number }
  | { kind: 'copyTruncate'; file: number }
  | { kind: 'deleteRecreate'; file: number }
  | { kind: 'truncate'; file: number }
  | { kind: 'restart' }
  | { kind: 'stop' }
  | { kind: 'pause'; ms: number };

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
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('pause' as const), ms: fc.integer({ min: 0, max: 60 }) }) },
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
        if (!(await this.readyToRotate(op.file))) return;
        this.rotate(op.file, (f, to) => renameSync(f.path, to), true);
        return;
      case 'copyTruncate':
        if (!(await this.readyToRotate(op.file))) return;
        if (this.rotate(op.file, (f, to) => {
          copyFileSync(f.path, to);
          truncateSync(f.path, 0);
        }, false)) await this.waitNoticed(op.file);
        return;
      case 'deleteRecreate':
        // Deleting loses whatever was not read: only once this generation has been read in full.
        if (!(await this.caughtUp(op.file))) return;
        this.rotate(op.file, (f) => unlinkSync(f.path), false);
        return;
      case 'truncate':
        if (!(await this.caughtUp(op.file))) return;
        if (this.rotate(op.file, (f) => truncateSync(f.path, 0), false)) await this.waitNoticed(op.file);
        return;
      case 'restart':
        await this.stop();
        return this.start();
      case 'stop':
        return this.stop();
      case 'pause':
        await sleep(op.ms);
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
   * A generation may be rotated away once the tailer has met it (read a line of it): before that it
   * may not know the file, and no tailer can read a file it never saw. An empty one is always fine.
   */
  private async readyToRotate(file: number): Promise<boolean> {
    const f = this.files[file];
    if (f.genLines.length === 0) return true;
    const seen = () => this.sink.live(f.source).some((line) => f.genLines.includes(line));
    if (!this.running) return seen();
    await waitUntil(() => expect(seen()).toBe(true), 5000);
    return true;
  }

  private async caughtUp(file: number): Promise<boolean> {
    const f = this.files[file];
    const done = () => {
      const live = new Set(this.sink.live(f.source));
      return f.genLines.every((line) => live.has(line));
    };
    if (!this.running) return done();
    await waitUntil(() => expect(done()).toBe(true), 5000);
    return true;
  }

  /** After a truncation, waits until the tailer has noticed it, so later writes are not mistaken for old bytes. */
  private async waitNoticed(file: number): Promise<void> {
    if (!this.running) return;
    const f = this.files[file];
    const ino = statSync(f.path).ino;
    await waitUntil(() => {
      const row = this.h.sources.status().find((r) => r.inode === ino && r.state === 'live');
      expect(row).toBeDefined();
      expect(row!.offset).toBeLessThanOrEqual(statSync(f.path).size);
    }, 5000);
  }
}

describe('FileSources against a model', () => {
  it('reads every line exactly once, in order per file generation, across rotations, truncations and restarts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 35 }), fc.boolean(), async (ops, holdLast) => {
        const dir = tempDir('lw-model-');
        const logs = join(dir, 'logs');
        mkdirSync(logs);
        const h = harness(dir, ['logs/*.log'], { followRotatedMs: 60_000, backfillLines: 5 }, { holdLast });
        const runner = new Runner(h, logs);
        await runner.start();
        try {
          for (const op of ops) await runner.apply(op);
          await runner.start();
          await waitUntil(() => expect(new Set(runner.sink.live()).size).toBe(runner.written.length), 10_000, 20);
        } finally {
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
      // Fixed seed in CI; MODEL_SEED and MODEL_RUNS explore further by hand.
      { seed: Number(process.env.MODEL_SEED ?? 20261130), numRuns: Number(process.env.MODEL_RUNS ?? 40), endOnFailure: true },
    );
  }, 240_000);
});
