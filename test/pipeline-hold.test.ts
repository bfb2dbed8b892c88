// Holding an entry for its stack trace costs no latency (issue 11): once the reader has handed over
// everything written, a held entry goes out after parse.multilineGraceMs of quiet; a trace written in
// one write or in a few close together is still one entry; a writer that stalls mid-trace splits it,
// and the split is counted.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.ts';
import { createMemoryLogger } from '../src/logger.ts';
import { Pipeline } from '../src/pipeline.ts';
import { ManualTimers } from './helpers/manual-timers.ts';

const pipelines: Pipeline[] = [];
afterEach(() => {
  for (const p of pipelines.splice(0)) p.close();
});

function setup() {
  const timers = new ManualTimers();
  const config = parseConfig({ notifiers: {}, stateDir: mkdtempSync(join(tmpdir(), 'lw-hold-')) });
  const p = new Pipeline({ config, logger: createMemoryLogger(), clock: () => timers.now, timers });
  pipelines.push(p);
  const commits: number[] = [];
  /** One write() of the writer, read to the end of the file and handed over, as the file source does. */
  const write = (lines: string[]) => {
    p.write({ source: 'app.log', lines, receivedAt: timers.now, onCommit: (held) => commits.push(held) });
    p.caughtUp('app.log');
  };
  const stats = () => p.sourceFormats().find((s) => s.source === 'app.log')!;
  return { timers, p, write, stats, commits };
}

const ERROR = '2026-11-30 10:15:02,123 - app - ERROR - request failed';
const TRACE = ['Traceback (most recent call last):', '  File "app.py", line 12, in handle', '    1 / 0', 'ZeroDivisionError: division by zero'];

describe('a held entry', () => {
  it('defaults to a 3 ms grace within the 250 ms bound', async () => {
    const config = parseConfig({ notifiers: {} });
    expect(config.parse).toMatchObject({ multilineGraceMs: 3, multilineTimeoutMs: 250 });
  });

  it('goes out a grace after the writer wrote its traceback in one write: joined', async () => {
    const { timers, p, write, stats, commits } = setup();
    write([ERROR, ...TRACE]);
    expect(p.store.size).toBe(0);
    await timers.advance(2);
    expect(p.store.size).toBe(0);
    await timers.advance(1);
    expect(p.store.all().map((e) => e.raw)).toEqual([[ERROR, ...TRACE].join('\n')]);
    expect(commits).toEqual([5, 0]);
    expect(timers.now).toBe(3);
    expect(stats()).toMatchObject({ joined: 4, split: 0 });
  });

  it('stays joined when the traceback comes in three writes 2 ms apart', async () => {
    const { timers, p, write, stats } = setup();
    write([ERROR, TRACE[0]!]);
    await timers.advance(2);
    write([TRACE[1]!, TRACE[2]!]);
    await timers.advance(2);
    write([TRACE[3]!]);
    expect(p.store.size).toBe(0);
    await timers.advance(3);
    expect(p.store.all().map((e) => e.raw)).toEqual([[ERROR, ...TRACE].join('\n')]);
    expect(stats()).toMatchObject({ joined: 4, split: 0 });
  });

  it('is split when the writer stalls 1 s mid-trace, and the split is counted', async () => {
    const { timers, p, write, stats } = setup();
    write([ERROR, TRACE[0]!]);
    await timers.advance(1000);
    expect(p.store.all().map((e) => e.raw)).toEqual([`${ERROR}\n${TRACE[0]}`]);
    write(TRACE.slice(1));
    await timers.advance(5);
    expect(p.store.all().map((e) => e.raw)).toEqual([`${ERROR}\n${TRACE[0]}`, TRACE.slice(1).join('\n')]);
    expect(p.store.all()[1]!.format).toBe('unknown');
    expect(stats()).toMatchObject({ split: 1 });
  });

  it('counts a split before the unindented last line of a traceback too, and not a record that follows a flush', async () => {
    const { timers, p, write, stats } = setup();
    write([ERROR, ...TRACE.slice(0, 3)]);
    await timers.advance(1000);
    write([TRACE[3]!]);
    await timers.advance(1000);
    expect(p.store.all().map((e) => e.raw.split('\n').length)).toEqual([4, 1]);
    expect(stats()).toMatchObject({ split: 1 });
    write(['2026-11-30 10:15:04,000 - app - INFO - a record after the pause']);
    await timers.advance(1000);
    expect(stats()).toMatchObject({ split: 1 });
  });

  it('waits the whole bound while the reader has not caught up (a backlog, an unfinished line)', async () => {
    const { timers, p } = setup();
    p.write({ source: 'app.log', lines: [ERROR, TRACE[0]!], receivedAt: 0 });
    await timers.advance(249);
    expect(p.store.size).toBe(0);
    p.write({ source: 'app.log', lines: TRACE.slice(1), receivedAt: 0 });
    await timers.advance(249);
    expect(p.store.size).toBe(0);
    await timers.advance(1);
    expect(p.store.all().map((e) => e.raw)).toEqual([[ERROR, ...TRACE].join('\n')]);
  });

  it('goes out with the next entry at once, whatever the timers', async () => {
    const { p, write } = setup();
    write([ERROR, ...TRACE, '2026-11-30 10:15:03,000 - app - INFO - next']);
    expect(p.store.all().map((e) => e.message.split('\n')[0])).toEqual(['request failed']);
  });
});
