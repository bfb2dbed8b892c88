import { appendFileSync, cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../src/logger.ts';
import { ingestSchema, type IngestConfig } from '../../src/sources/config.ts';
import { createIngestSpool } from '../../src/sources/index.ts';
import type { IngestPart, IngestSpool } from '../../src/sources/types.ts';
import { tempDir } from './harness.ts';
import { waitFor } from '../helpers/wait.ts';
import { RecordingSink } from './recording-sink.ts';

const opened: IngestSpool[] = [];
afterEach(async () => {
  for (const spool of opened.splice(0)) await spool.close();
});

function spoolAt(stateDir: string, sink: RecordingSink, config: Partial<IngestConfig> = {}) {
  const logger = createMemoryLogger();
  const ingest = ingestSchema.parse({ checkpointIntervalMs: 50, ...config });
  const spool = createIngestSpool({ ingest, stateDir, sink, logger, clock: Date.now });
  opened.push(spool);
  return { spool, logger };
}

function lines(tag: string, from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, i) => `${tag} ${from + i}`);
}

function segmentFiles(stateDir: string): string[] {
  return readdirSync(join(stateDir, 'spool')).filter((name) => name.endsWith('.spool'));
}

describe('IngestSpool', () => {
  it('writes the lines to the spool before resolving, then hands them over with the format and zone of their source', async () => {
    const state = tempDir('lw-spool-');
    const sink = new RecordingSink();
    const { spool } = spoolAt(state, sink, { sources: { app: { format: 'python', timezone: 'Asia/Tokyo' } } });
    await spool.open();
    await spool.accept([
      { source: 'app', lines: ['a 1', 'a 2'] },
      { source: 'app', lines: ['{"msg":"x"}'], format: 'json' },
      { source: 'other', lines: ['o 1'] },
    ]);
    const onDisk = segmentFiles(state).map((name) => readFileSync(join(state, 'spool', name), 'utf8')).join('');
    expect(onDisk).toContain('"a 1"');
    expect(onDisk).toContain('"o 1"');
    expect(sink.lines).toEqual([
      { source: 'app', line: 'a 1', backfill: false, format: 'python', timezone: 'Asia/Tokyo' },
      { source: 'app', line: 'a 2', backfill: false, format: 'python', timezone: 'Asia/Tokyo' },
      { source: 'app', line: '{"msg":"x"}', backfill: false, format: 'json', timezone: 'Asia/Tokyo' },
      { source: 'other', line: 'o 1', backfill: false },
    ]);
    const rows = spool.status();
    expect(rows.map((r) => [r.name, r.kind, r.lines, r.lag])).toEqual([
      ['app', 'ingest', 3, 0],
      ['other', 'ingest', 1, 0],
    ]);
  });

  it('after a clean close, replays the last backfillLines lines as history and nothing as new', async () => {
    const state = tempDir('lw-spool-');
    const first = spoolAt(state, new RecordingSink()).spool;
    await first.open();
    await first.accept([{ source: 'http', lines: lines('l', 0, 8) }]);
    await first.accept([{ source: 'http', lines: lines('l', 8, 12) }]);
    await first.close();
    const sink = new RecordingSink();
    await spoolAt(state, sink, { backfillLines: 5 }).spool.open();
    expect(sink.history()).toEqual(lines('l', 7, 12));
    expect(sink.live()).toEqual([]);
  });

  it('replays lines accepted but not processed before a crash, as new lines, after the history', async () => {
    const state = tempDir('lw-spool-');
    // The parser holds the last line: it is not processed when the process dies.
    const holding = new RecordingSink(true, 60_000);
    const first = spoolAt(state, holding).spool;
    await first.open();
    await first.accept([{ source: 'http', lines: lines('c', 0, 5) }]);
    await waitFor(() => readFileSync(join(state, 'spool', 'committed.json'), 'utf8').includes('"committed":4'));
    // A kill at this instant leaves exactly what is on disk now.
    const crashed = tempDir('lw-spool-crash-');
    cpSync(state, crashed, { recursive: true });
    const sink = new RecordingSink();
    await spoolAt(crashed, sink).spool.open();
    expect(sink.history()).toEqual(lines('c', 0, 4));
    expect(sink.live()).toEqual(['c 4']);
  });

  it('drops a record cut short by a crash (the request was never acknowledged) and keeps the ones before it', async () => {
    const state = tempDir('lw-spool-');
    const first = spoolAt(state, new RecordingSink()).spool;
    await first.open();
    await first.accept([{ source: 'http', lines: ['kept 1', 'kept 2'] }]);
    await first.close();
    const [segment] = segmentFiles(state);
    appendFileSync(join(state, 'spool', segment), '{"q":2,"t":1,"p":[{"s":"http","l":["torn');
    const sink = new RecordingSink();
    const { spool, logger } = spoolAt(state, sink);
    await spool.open();
    expect(sink.history()).toEqual(['kept 1', 'kept 2']);
    expect(sink.live()).toEqual([]);
    expect(logger.lines.some((l) => l.includes('incomplete last record'))).toBe(true);
    // The spool continues after the last whole record.
    await spool.accept([{ source: 'http', lines: ['next'] }]);
    await spool.close();
    const again = new RecordingSink();
    await spoolAt(state, again).spool.open();
    expect(again.history()).toEqual(['kept 1', 'kept 2', 'next']);
  });

  it('groups concurrent requests into writes and keeps their order', async () => {
    const state = tempDir('lw-spool-');
    const sink = new RecordingSink();
    const { spool } = spoolAt(state, sink);
    await spool.open();
    const requests = Array.from({ length: 50 }, (_, i) => spool.accept([{ source: `s${i % 3}`, lines: lines(`r${i}`, 0, 20) }]));
    await Promise.all(requests);
    expect(sink.live()).toEqual(Array.from({ length: 50 }, (_, i) => lines(`r${i}`, 0, 20)).flat());
    const records = segmentFiles(state).map((name) => readFileSync(join(state, 'spool', name), 'utf8')).join('').trim().split('\n');
    expect(records).toHaveLength(50);
  });

  it('refuses lines while not open', async () => {
    const state = tempDir('lw-spool-');
    const { spool } = spoolAt(state, new RecordingSink());
    await expect(spool.accept([{ source: 'http', lines: ['x'] }])).rejects.toThrow(/not open/);
    await spool.open();
    await spool.close();
    await expect(spool.accept([{ source: 'http', lines: ['x'] }])).rejects.toThrow(/not open/);
  });

  it('keeps the spool under spoolMaxBytes by deleting whole old segments, and still replays history', async () => {
    const state = tempDir('lw-spool-');
    const { spool } = spoolAt(state, new RecordingSink(), { spoolMaxBytes: 1024 * 1024, spoolSegmentBytes: 128 * 1024 });
    await spool.open();
    const long = 'x'.repeat(1000);
    for (let i = 0; i < 40; i++) await spool.accept([{ source: 'big', lines: Array.from({ length: 100 }, (_, j) => `${i}-${j} ${long}`) }]);
    const total = segmentFiles(state).reduce((sum, name) => sum + statSync(join(state, 'spool', name)).size, 0);
    expect(total).toBeLessThanOrEqual(1024 * 1024);
    expect(segmentFiles(state).length).toBeGreaterThan(1);
    await spool.close();
    const sink = new RecordingSink();
    await spoolAt(state, sink, { backfillLines: 3 }).spool.open();
    expect(sink.history().map((l) => l.split(' ')[0])).toEqual(['39-97', '39-98', '39-99']);
  });
});

type SpoolOp = { kind: 'accept'; parts: IngestPart[] } | { kind: 'restart' } | { kind: 'crash' };

describe('IngestSpool against a model', () => {
  it('processes every accepted line at least once, exactly once without crashes, in order per source', async () => {
    let counter = 0;
    const partArb = fc.record({ source: fc.constantFrom('a', 'b', 'c'), count: fc.integer({ min: 1, max: 12 }) });
    const opArb: fc.Arbitrary<SpoolOp> = fc.oneof(
      { weight: 8, arbitrary: fc.array(partArb, { minLength: 1, maxLength: 3 }).map((parts) => ({ kind: 'accept' as const, parts: parts.map((p) => ({ source: p.source, lines: Array.from({ length: p.count }, () => `L${counter++}`) })) })) },
      { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'crash' as const }) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 30 }), fc.boolean(), async (ops, holdLast) => {
        let state = tempDir('lw-spool-model-');
        const sink = new RecordingSink(holdLast, 20);
        let spool = spoolAt(state, sink).spool;
        await spool.open();
        const accepted: IngestPart[] = [];
        let crashes = 0;
        for (const op of ops) {
          if (op.kind === 'accept') {
            await spool.accept(op.parts);
            accepted.push(...op.parts);
          } else if (op.kind === 'restart') {
            await spool.close();
            spool = spoolAt(state, sink).spool;
            await spool.open();
          } else {
            // What a kill leaves: the files as they are now. The old instance goes on elsewhere.
            crashes++;
            const copy = tempDir('lw-spool-model-');
            cpSync(state, copy, { recursive: true });
            const old = spool;
            spool = spoolAt(copy, sink).spool;
            state = copy;
            await old.close();
            await spool.open();
          }
        }
        await spool.close();
        // Lines processed after the last open in a crash-free run, per source.
        const expected = new Map<string, string[]>();
        for (const part of accepted) expected.set(part.source, [...(expected.get(part.source) ?? []), ...part.lines]);
        for (const [source, list] of expected) {
          const live = sink.live(source);
          if (crashes === 0) {
            expect(live).toEqual(list);
          } else {
            expect(new Set(live)).toEqual(new Set(list));
          }
        }
        expect(sink.live().length).toBeGreaterThanOrEqual(accepted.reduce((n, p) => n + p.lines.length, 0));
      }),
      { seed: 777, numRuns: 40 },
    );
  }, 120_000);
});
