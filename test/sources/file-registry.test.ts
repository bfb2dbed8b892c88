// The registry of followed files against a naive model: random sequences of the transitions the file
// source makes (add, copy put before, rotate away, return to a glob path, retire) must leave every
// lookup (by key, by glob path, by watched name, per source chain) saying what the model says.
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../src/logger.ts';
import { DescriptorBudget } from '../../src/sources/descriptor-budget.ts';
import { ErrorReporter } from '../../src/sources/error-reporter.ts';
import { FollowedFile } from '../../src/sources/files/followed-file.ts';
import { FileRegistry } from '../../src/sources/files/registry.ts';
import type { FileIo } from '../../src/sources/files/types.ts';
import { ReadSlots } from '../../src/sources/read-slots.ts';
import { FakeTime } from './fake-time.ts';
import { tempDir } from './harness.ts';

type Op =
  | { kind: 'add'; path: number; source: number }
  | { kind: 'copy'; of: number }
  | { kind: 'rotate'; file: number }
  | { kind: 'return'; file: number; path: number }
  | { kind: 'retire'; file: number };

const PATHS = 4;
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), path: fc.nat(PATHS - 1), source: fc.nat(2) }),
  fc.record({ kind: fc.constant('copy' as const), of: fc.nat(30) }),
  fc.record({ kind: fc.constant('rotate' as const), file: fc.nat(30) }),
  fc.record({ kind: fc.constant('return' as const), file: fc.nat(30), path: fc.nat(PATHS - 1) }),
  fc.record({ kind: fc.constant('retire' as const), file: fc.nat(30) }),
);

interface ModelFile {
  file: FollowedFile;
  /** Glob path while live, null once rotated away. */
  path: string | null;
  realPath: string;
  retired: boolean;
}

describe('FileRegistry against a model', () => {
  it('keeps every index in step through every transition', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        const time = new FakeTime();
        const io = { clock: time.clock, timers: time.timers, maxLineBytes: 1024, partialLineTimeoutMs: 1000, wake() {} } as unknown as FileIo;
        const registry = new FileRegistry();
        const model: ModelFile[] = [];
        const chains = new Map<string, FollowedFile[]>();
        let ino = 1;
        const make = (source: string, path: string, rotated: boolean): ModelFile => {
          // Behind a symlink, say: a real path is one file's at a time.
          const realPath = `/real/${ino}`;
          const file = new FollowedFile(io, { source, path, realPath, stats: { dev: 1, ino: ino++, size: 0 } }, 0);
          if (rotated) file.rotatedAway();
          return { file, path: rotated ? null : path, realPath, retired: false };
        };
        const live = () => model.filter((m) => !m.retired);
        const pick = (i: number) => (live().length === 0 ? undefined : live()[i % live().length]);
        // What the scan does when a path holds another file now: the one there is rotated away first.
        const vacate = (path: string) => {
          for (const m of live()) if (m.path === path) rotate(m);
        };
        const rotate = (m: ModelFile) => {
          registry.rotateAway(m.file);
          m.path = null;
        };
        for (const op of ops) {
          if (op.kind === 'add') {
            const path = `/logs/f${op.path}.log`;
            vacate(path);
            const m = make(`s${op.source}`, path, false);
            registry.add(m.file);
            model.push(m);
            chains.set(m.file.source, [...(chains.get(m.file.source) ?? []), m.file]);
          } else if (op.kind === 'copy') {
            const of = pick(op.of);
            if (of === undefined) continue;
            const m = make(of.file.source, `/logs/copy-${ino}`, true);
            registry.addBefore(m.file, of.file);
            model.push(m);
            const list = chains.get(of.file.source) as FollowedFile[];
            list.splice(list.indexOf(of.file), 0, m.file);
          } else if (op.kind === 'rotate') {
            const m = pick(op.file);
            if (m !== undefined) rotate(m);
          } else if (op.kind === 'return') {
            const m = pick(op.file);
            if (m === undefined || m.path !== null) continue;
            const path = `/logs/f${op.path}.log`;
            vacate(path);
            registry.returnTo(m.file, path);
            m.path = path;
          } else {
            const m = pick(op.file);
            if (m === undefined) continue;
            registry.retire(m.file);
            m.retired = true;
            const list = (chains.get(m.file.source) as FollowedFile[]).filter((f) => f !== m.file);
            if (list.length === 0) chains.delete(m.file.source);
            else chains.set(m.file.source, list);
          }

          for (const m of model) {
            expect(registry.get(m.file.key)).toBe(m.retired ? undefined : m.file);
            expect(m.file.isRotated).toBe(m.path === null);
          }
          for (let p = 0; p < PATHS; p++) {
            const path = `/logs/f${p}.log`;
            const atPath = live().find((m) => m.path === path)?.file;
            expect(registry.atPath(path)).toBe(atPath);
            expect(registry.named(path)).toBe(atPath);
          }
          for (const m of live()) if (m.path !== null) expect(registry.named(m.realPath)).toBe(m.file);
          expect(new Map(registry.livePaths())).toEqual(new Map(live().filter((m) => m.path !== null).map((m) => [m.path, m.file])));
          expect(new Map(registry.chains().map((c) => [c.name, [...c.files]]))).toEqual(chains);
        }
      }),
      { seed: 20261208, numRuns: 300 },
    );
  });

  it('chooses for eviction an open live file not being read: idle before busy, least recently used first, never a rotated one', async () => {
    const dir = tempDir('lw-registry-');
    const time = new FakeTime();
    const io: FileIo = {
      descriptors: new DescriptorBudget(100, () => false),
      slots: new ReadSlots(1, 4096),
      errors: new ErrorReporter(createMemoryLogger()),
      clock: time.clock,
      timers: time.timers,
      chunkBytes: 4096,
      maxLineBytes: 1024,
      partialLineTimeoutMs: 1000,
      wake() {},
    };
    const open = async (name: string): Promise<FollowedFile> => {
      const path = join(dir, name);
      writeFileSync(path, 'a line\n');
      time.advance(10); // each file is made (last used) later than the one before
      const file = new FollowedFile(io, { source: name, path, realPath: path, stats: statSync(path) }, 0);
      expect(await file.open()).toBe(true);
      return file;
    };
    const rotated = await open('rotated.log');
    rotated.rotatedAway();
    const busyOld = await open('busy-old.log');
    const idleNew = await open('idle-new.log');
    const busyNew = await open('busy-new.log');
    expect((await idleNew.readToEnd()).end).toBe('eof'); // read to its end: idle
    const registry = new FileRegistry();
    for (const file of [rotated, busyOld, idleNew, busyNew]) registry.add(file);
    expect(registry.evictionVictim([])).toBe(idleNew);
    await idleNew.close();
    // No idle one left: the least recently used busy one; a file being planned counts too.
    expect(registry.evictionVictim([])).toBe(busyOld);
    const planned = await open('planned.log');
    await planned.readToEnd();
    expect(registry.evictionVictim([planned])).toBe(planned);
    for (const file of [rotated, busyOld, busyNew, planned]) await file.close();
    expect(registry.evictionVictim([planned])).toBeUndefined();
  });
});
