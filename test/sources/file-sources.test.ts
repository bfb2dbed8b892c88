import { appendFileSync, copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, symlinkSync, truncateSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait.ts';
import { FakeTime } from './fake-time.ts';
import { appendLines, harness, openDescriptors, range, step, tempDir, type Harness } from './harness.ts';
import { RecordingSink } from './recording-sink.ts';

let running: Harness[] = [];
afterEach(async () => {
  for (const h of running) await h.sources.stop();
  running = [];
});

async function started(h: Harness): Promise<Harness> {
  running.push(h);
  await h.sources.start();
  return h;
}

function logsDir(dir: string, sub = 'logs'): string {
  const path = join(dir, sub);
  mkdirSync(path, { recursive: true });
  return path;
}

describe('FileSources: naming and first start', () => {
  it('names sources as configured: relative stays relative without ./, absolute stays absolute', async () => {
    const dir = tempDir();
    const logs = logsDir(dir);
    writeFileSync(join(logs, 'app.log'), 'old\n');
    const h = await started(harness(dir, ['./logs/*.log', { path: `${logs}/*.txt`, format: 'json', timezone: 'Europe/Paris' }]));
    appendFileSync(join(logs, 'app.log'), 'new\n');
    writeFileSync(join(logs, 'b.txt'), '{"a":1}\n');
    await waitFor(() => ['new', '{"a":1}'].every((line) => h.sink.live().includes(line)));
    const byLine = new Map(h.sink.lines.map((l) => [l.line, l]));
    expect(byLine.get('old')).toMatchObject({ source: 'logs/app.log', backfill: true });
    expect(byLine.get('new')).toMatchObject({ source: 'logs/app.log', backfill: false });
    expect(byLine.get('{"a":1}')).toMatchObject({ source: `${logs}/b.txt`, format: 'json', timezone: 'Europe/Paris' });
  });

  it('loads the last backfillLines lines of files present at first start as history, then tails from their end', async () => {
    const dir = tempDir();
    const logs = logsDir(dir);
    const path = join(logs, 'app.log');
    writeFileSync(path, `${range('h', 0, 50).join('\n')}\nunfinished`);
    const h = await started(harness(dir, ['logs/*.log'], { backfillLines: 10 }));
    expect(h.sink.history()).toEqual(range('h', 40, 50));
    appendFileSync(path, ' now finished\nlive 1\n');
    await waitFor(() => h.sink.live().length >= 2);
    expect(h.sink.live()).toEqual(['unfinished now finished', 'live 1']);
    const [row] = h.sources.status();
    expect(row).toMatchObject({ name: 'logs/app.log', kind: 'file', backfilled: 10, state: 'live', lastError: null, lag: 0 });
  });

  it('shares the history budget by the lines files really have, newest files first', async () => {
    const dir = tempDir();
    const logs = logsDir(dir);
    const names = ['a.log', 'b.log', 'c.log'];
    names.forEach((name, i) => {
      writeFileSync(join(logs, name), `${range(name, 0, 30).join('\n')}\n`);
      const t = new Date(Date.now() - (3 - i) * 60_000);
      utimesSync(join(logs, name), t, t);
    });
    // The per-file allowance (50) is above what any file has; the total (80) is not: the newer two
    // take the 30 lines they have, and the oldest file gets the 20 that remain.
    const h = await started(harness(dir, ['logs/*.log'], { backfillLines: 50, backfillTotalLines: 80 }));
    expect(h.sink.history('logs/c.log')).toEqual(range('c.log', 0, 30));
    expect(h.sink.history('logs/b.log')).toEqual(range('b.log', 0, 30));
    expect(h.sink.history('logs/a.log')).toEqual(range('a.log', 10, 30));
  });

  it('reads files that appear later from byte 0, including in directories created later (**)', async () => {
    const dir = tempDir();
    logsDir(dir);
    const h = await started(harness(dir, ['logs/**/*.log']));
    const deep = logsDir(dir, 'logs/a/b/c');
    writeFileSync(join(deep, 'late.log'), 'first\nsecond\n');
    await waitFor(() => h.sink.live('logs/a/b/c/late.log').length >= 2);
    expect(h.sink.live('logs/a/b/c/late.log')).toEqual(['first', 'second']);
    expect(h.sink.history()).toEqual([]);
  });
});

describe('FileSources: restarts', () => {
  it('reads a line written while stopped exactly once after a restart, and reloads history as backfill', async () => {
    const dir = tempDir();
    const path = join(logsDir(dir), 'app.log');
    writeFileSync(path, '');
    const h = await started(harness(dir, ['logs/*.log'], { backfillLines: 3 }));
    appendLines(path, 'a', 0, 5);
    await waitFor(() => h.sink.live().length >= 5);
    expect(h.sink.live()).toEqual(range('a', 0, 5));
    await h.sources.stop();
    appendLines(path, 'a', 5, 8);
    const second = new RecordingSink();
    h.restart({ sink: second });
    await h.sources.start();
    expect(second.history()).toEqual(range('a', 2, 5));
    await waitFor(() => second.live().length >= 3);
    expect(second.live()).toEqual(range('a', 5, 8));
  });

  it('treats a file that appeared while stopped as new (read from 0), not as history', async () => {
    const dir = tempDir();
    const logs = logsDir(dir);
    const h = await started(harness(dir, ['logs/*.log']));
    await h.sources.stop();
    appendLines(join(logs, 'new.log'), 'n', 0, 3);
    const second = new RecordingSink();
    h.restart({ sink: second });
    await h.sources.start();
    await waitFor(() => second.live().length >= 3);
    expect(second.live()).toEqual(range('n', 0, 3));
    expect(second.history()).toEqual([]);
  });

  it('keeps lines held by the parser out of the checkpoint until they are emitted', async () => {
    const dir = tempDir();
    const path = join(logsDir(dir), 'app.log');
    writeFileSync(path, '');
    const time = new FakeTime();
    const h = harness(dir, ['logs/*.log'], { backfillLines: 0, checkpointIntervalMs: 1000 }, { time });
    // A parser that holds the last line until the next batch or a flush (no idle flush here).
    h.restart({ sink: new RecordingSink(true, 60_000, time.timers) });
    await started(h);
    appendLines(path, 'x', 0, 3);
    await step(h);
    expect(h.sink.live()).toEqual(range('x', 0, 2));
    // The periodic checkpoint comes due; its write is real I/O, so wait for the status to show it.
    time.advance(1000);
    const due = new Date(time.now).toISOString();
    await waitFor(() => h.sources.status()[0].checkpointAt === due);
    // The checkpoint stops at the start of the held line...
    expect(h.sources.status()[0].checkpointOffset).toBe(Buffer.byteLength('x 0\nx 1\n'));
    // ...and the stop flushes it, so the final checkpoint covers everything.
    await h.sources.stop();
    expect(h.sink.live()).toEqual(range('x', 0, 3));
    const checkpoint = JSON.parse(readFileSync(join(h.state, 'file-checkpoints.json'), 'utf8'));
    expect(checkpoint.files[0].offset).toBe(readFileSync(path).length);
  });

  it('reads a new file that reuses the inode of a file deleted while stopped from 0, under its own name', async () => {
    const dir = tempDir();
    const logs = logsDir(dir);
    const h = await started(harness(dir, ['logs/*.log']));
    appendLines(join(logs, 'gone.log'), 'g', 0, 30);
    await waitFor(() => h.sink.live().length >= 30);
    expect(h.sink.live()).toHaveLength(30);
    const freed = statSync(join(logs, 'gone.log')).ino;
    unlinkSync(join(logs, 'gone.log'));
    await h.sources.stop();
    // The path under test needs the freed inode handed out again: make files until one gets it (ext4 and
    // tmpfs give it to the next file made), then move that one into the glob (a rename keeps the inode).
    const misses: string[] = [];
    let reused = false;
    for (let i = 0; i < 100 && !reused; i++) {
      const candidate = join(dir, `candidate-${i}`);
      writeFileSync(candidate, '');
      if (statSync(candidate).ino === freed) {
        renameSync(candidate, join(logs, 'reuse.log'));
        reused = true;
      } else {
        misses.push(candidate);
      }
    }
    for (const miss of misses) unlinkSync(miss);
    if (!reused) {
      // Another process took the freed inode first (tests run in parallel). Force the same situation:
      // the checkpoint names the inode the new file has, as the file system would have made it.
      writeFileSync(join(logs, 'reuse.log'), '');
      const file = join(h.state, 'file-checkpoints.json');
      const checkpoint = JSON.parse(readFileSync(file, 'utf8')) as { files: Array<{ ino: number }> };
      const entry = checkpoint.files.find((f) => f.ino === freed);
      expect(entry, 'the checkpoint lists the deleted file').toBeDefined();
      entry!.ino = statSync(join(logs, 'reuse.log')).ino;
      writeFileSync(file, JSON.stringify(checkpoint));
    }
    // Either way the path under test is reached: the checkpoint names the inode the new file has.
    const saved = JSON.parse(readFileSync(join(h.state, 'file-checkpoints.json'), 'utf8')) as { files: Array<{ ino: number }> };
    expect(saved.files.map((f) => f.ino)).toContain(statSync(join(logs, 'reuse.log')).ino);
    appendLines(join(logs, 'reuse.log'), 'r', 0, 40);
    const sink = new RecordingSink();
    h.restart({ sink });
    await h.sources.start();
    await waitFor(() => sink.live('logs/reuse.log').length >= 40);
    expect(sink.live('logs/reuse.log')).toEqual(range('r', 0, 40));
    expect(sink.live('logs/gone.log')).toEqual([]);
  });

  it('moves a corrupt checkpoint aside and starts as on a first start', async () => {
    const dir = tempDir();
    const path = join(logsDir(dir), 'app.log');
    writeFileSync(path, 'old\n');
    const h = harness(dir, ['logs/*.log']);
    writeFileSync(join(h.state, 'file-checkpoints.json'), '{"version":1,"glo');
    await started(h);
    expect(h.sink.history()).toEqual(['old']);
    expect(readdirSync(h.state).some((name) => name.startsWith('file-checkpoints.json.corrupt-'))).toBe(true);
    expect(h.logger.lines.some((l) => l.includes('unreadable'))).toBe(true);
  });
});

describe('FileSources: rotation', () => {
  it('rename + create: reads the rest of the old file (late writes too) before the new one', async () => {
    const dir = tempDir();
    const logs = logsDir(dir);
    const path = join(logs, 'app.log');
    writeFileSync(path, '');
    const h = await started(harness(dir, ['logs/*.log']));
    appendLines(path, 'r', 0, 3);
    renameSync(path, join(logs, 'app.log.1'));
    appendLines(join(logs, 'app.log.1'), 'r', 3, 5); // the writer has not reopened yet
    appendLines(path, 'r', 5, 8);
    await waitFor(() => h.sink.live('logs/app.log').length >= 8);
    expect(h.sink.live('logs/app.log')).toEqual(range('r', 0, 8));
    const rows = h.sources.status();
    expect(rows.map((r) => r.state).sort()).toEqual(['live', 'rotated']);
  });

  it('follows a renamed file for followRotatedMs after it goes quiet, then no more', async () => {
    const dir = tempDir();
    const logs = logsDir(dir);
    const path = join(logs, 'app.log');
    writeFileSync(path, '');
    const time = new FakeTime();
    const h = await started(harness(dir, ['logs/*.log'], { followRotatedMs: 400 }, { time }));
    appendLines(path, 'q', 0, 2);
    renameSync(path, join(logs, 'app.log.1'));
    appendLines(path, 'q', 2, 3);
    await step(h);
    expect(h.sink.live()).toEqual(range('q', 0, 3));
    expect(h.sources.status().map((r) => r.state)).toEqual(['rotated', 'live']);
    // The periodic scans (every 50 ms) look at it; a late write restarts the wait.
    time.advance(300);
    await h.sources.settled();
    appendLines(join(logs, 'app.log.1'), 'q', 3, 4);
    await step(h);
    expect(h.sink.live()).toEqual(range('q', 0, 4));
    time.advance(399);
    await h.sources.settled();
    expect(h.sources.status()).toHaveLength(2);
    time.advance(1);
    await h.sources.settled();
    expect(h.sources.status().map((r) => r.state)).toEqual(['live']);
  });

  it('copy + truncate: reads the rest from the copy, then the file again from 0', async () => {
    const dir = tempDir();
    const logs = logsDir(dir);
    const path = join(logs, 'app.log');
    writeFileSync(path, '');
    const h = await started(harness(dir, ['logs/*.log'], { scanIntervalMs: 5000 }));
    appendLines(path, 'c', 0, 40);
    await waitFor(() => h.sink.live().length >= 40);
    expect(h.sink.live()).toHaveLength(40);
    // Lines the tailer has not read yet when the copy is made: only the copy has them afterwards.
    await h.sources.stop();
    appendLines(path, 'c', 40, 45);
    const sink = new RecordingSink();
    h.restart({ sink });
    await h.sources.start();
    await waitFor(() => sink.live().length >= 5);
    expect(sink.live()).toEqual(range('c', 40, 45));
    appendLines(path, 'c', 45, 50);
    copyFileSync(path, join(logs, 'app.log.1'));
    truncateSync(path, 0);
    appendLines(path, 'c', 50, 53);
    await waitFor(() => sink.live().length >= 13);
    expect(sink.live()).toEqual(range('c', 40, 53));
  });

  it('copy + truncate while stopped: resumes in the copy, then reads the file from 0', async () => {
    const dir = tempDir();
    const logs = logsDir(dir);
    const path = join(logs, 'app.log');
    writeFileSync(path, '');
    const h = await started(harness(dir, ['logs/*.log']));
    appendLines(path, 'k', 0, 10);
    await waitFor(() => h.sink.live().length >= 10);
    expect(h.sink.live()).toHaveLength(10);
    await h.sources.stop();
    appendLines(path, 'k', 10, 15);
    copyFileSync(path, join(logs, 'app.log.1'));
    truncateSync(path, 0);
    appendLines(path, 'k', 15, 18);
    const sink = new RecordingSink();
    h.restart({ sink });
    await h.sources.start();
    await waitFor(() => sink.live().length >= 8);
    expect(sink.live()).toEqual(range('k', 10, 18));
  });

  it('copy + truncate, then rename, while stopped: the rest from the copy, then the renamed file, then the new one', async () => {
    const dir = tempDir();
    const logs = logsDir(dir);
    const path = join(logs, 'app.log');
    writeFileSync(path, '');
    const h = await started(harness(dir, ['logs/*.log']));
    appendLines(path, 'z', 0, 30);
    await waitFor(() => h.sink.live().length >= 30);
    expect(h.sink.live()).toHaveLength(30);
    await h.sources.stop();
    appendLines(path, 'z', 30, 35);
    copyFileSync(path, join(logs, 'app.log.c1'));
    truncateSync(path, 0);
    appendLines(path, 'z', 35, 38);
    renameSync(path, join(logs, 'app.log.1'));
    appendLines(path, 'z', 38, 40);
    const sink = new RecordingSink();
    h.restart({ sink });
    await h.sources.start();
    await waitFor(() => sink.live().length >= 10);
    expect(sink.live()).toEqual(range('z', 30, 40));
  });

  it('rename while stopped: finds the old file by inode and reads its rest before the new file', async () => {
    const dir = tempDir();
    const logs = logsDir(dir);
    const path = join(logs, 'app.log');
    writeFileSync(path, '');
    const h = await started(harness(dir, ['logs/*.log']));
    appendLines(path, 'w', 0, 4);
    await waitFor(() => h.sink.live().length >= 4);
    expect(h.sink.live()).toHaveLength(4);
    await h.sources.stop();
    appendLines(path, 'w', 4, 6);
    renameSync(path, join(logs, 'app.log-20261130'));
    appendLines(path, 'w', 6, 9);
    const sink = new RecordingSink();
    h.restart({ sink });
    await h.sources.start();
    await waitFor(() => sink.live().length >= 5);
    expect(sink.live()).toEqual(range('w', 4, 9));
  });

  it('delete + recreate: reads what was left in the deleted file, then the new one', async () => {
    const dir = tempDir();
    const logs = logsDir(dir);
    const path = join(logs, 'app.log');
    writeFileSync(path, '');
    const h = await started(harness(dir, ['logs/*.log'], { scanIntervalMs: 5000 }));
    appendLines(path, 'd', 0, 3);
    await waitFor(() => h.sink.live().length >= 3);
    expect(h.sink.live()).toHaveLength(3);
    appendLines(path, 'd', 3, 5);
    unlinkSync(path);
    appendLines(path, 'd', 5, 7);
    await waitFor(() => h.sink.live().length >= 7);
    expect(h.sink.live()).toEqual(range('d', 0, 7));
  });

  it('a file that shrank is read again from 0', async () => {
    const dir = tempDir();
    const path = join(logsDir(dir), 'app.log');
    writeFileSync(path, '');
    const h = await started(harness(dir, ['logs/*.log']));
    appendLines(path, 't', 0, 5);
    await waitFor(() => h.sink.live().length >= 5);
    expect(h.sink.live()).toHaveLength(5);
    truncateSync(path, 0);
    appendLines(path, 'u', 0, 2);
    await waitFor(() => h.sink.live().length >= 7);
    expect(h.sink.live()).toEqual([...range('t', 0, 5), ...range('u', 0, 2)]);
  });

  it('follows a symlink switched to a new target, after the rest of the old target', async () => {
    const dir = tempDir();
    const targets = logsDir(dir, 'targets');
    const links = logsDir(dir, 'links');
    writeFileSync(join(targets, 'app-1.log'), '');
    symlinkSync(join(targets, 'app-1.log'), join(links, 'current.log'));
    const h = await started(harness(dir, ['links/current.log']));
    appendLines(join(targets, 'app-1.log'), 's', 0, 3);
    await waitFor(() => h.sink.live('links/current.log').length >= 3);
    expect(h.sink.live('links/current.log')).toEqual(range('s', 0, 3));
    appendLines(join(targets, 'app-1.log'), 's', 3, 5);
    writeFileSync(join(targets, 'app-2.log'), '');
    symlinkSync(join(targets, 'app-2.log'), join(links, 'next'));
    renameSync(join(links, 'next'), join(links, 'current.log'));
    appendLines(join(targets, 'app-2.log'), 's', 5, 8);
    await waitFor(() => h.sink.live('links/current.log').length >= 8);
    expect(h.sink.live('links/current.log')).toEqual(range('s', 0, 8));
  });
});

describe('FileSources: partial lines', () => {
  it('waits for the end of a line, and emits it after partialLineTimeoutMs only if it is never finished', async () => {
    const dir = tempDir();
    const path = join(logsDir(dir), 'app.log');
    writeFileSync(path, '');
    const time = new FakeTime();
    const h = await started(harness(dir, ['logs/*.log'], { partialLineTimeoutMs: 400 }, { time }));
    appendFileSync(path, 'slow wri');
    await step(h); // reads the unfinished line: its wait starts
    time.advance(200);
    await h.sources.settled();
    appendFileSync(path, 'ter\nabandoned');
    await step(h); // finishes it; the wait for 'abandoned' starts now
    expect(h.sink.live()).toEqual(['slow writer']);
    time.advance(399);
    await h.sources.settled();
    expect(h.sink.live()).toEqual(['slow writer']);
    time.advance(1);
    await h.sources.settled();
    expect(h.sink.live()).toEqual(['slow writer', 'abandoned']);
  });
});

describe('FileSources: errors and many files', () => {
  it('shows an unreadable path in status, logs it once, retries, and recovers', async () => {
    const dir = tempDir();
    const logs = logsDir(dir);
    symlinkSync(join(logs, 'loop.log'), join(logs, 'loop.log')); // ELOOP on every stat
    const h = await started(harness(dir, ['logs/*.log'], {}, { time: new FakeTime() }));
    await step(h);
    await step(h);
    const row = h.sources.status().find((r) => r.name === 'logs/loop.log');
    expect(row?.lastError).toMatch(/ELOOP/);
    expect(h.logger.lines.filter((l) => l.includes('loop.log'))).toHaveLength(1);
    unlinkSync(join(logs, 'loop.log'));
    writeFileSync(join(logs, 'loop.log'), 'fixed\n');
    await step(h);
    expect(h.sink.live()).toEqual(['fixed']);
    expect(h.sources.status().find((r) => r.name === 'logs/loop.log')?.lastError).toBeNull();
  });

  it('follows 1000 files with a small descriptor budget and leaks no descriptors or watchers', async () => {
    const dir = tempDir();
    const logs = logsDir(dir);
    const count = 1000;
    for (let i = 0; i < count; i++) writeFileSync(join(logs, `f${i}.log`), '');
    const before = openDescriptors();
    const h = await started(harness(dir, ['logs/*.log'], { maxOpenFiles: 64, scanIntervalMs: 200 }));
    const expected = new Map<string, string[]>();
    let written = 0;
    for (let round = 0; round < 3; round++) {
      for (let i = round; i < count; i += 7) {
        const line = `f${i} round ${round}`;
        appendFileSync(join(logs, `f${i}.log`), `${line}\n`);
        const list = expected.get(`logs/f${i}.log`) ?? [];
        list.push(line);
        expected.set(`logs/f${i}.log`, list);
        written++;
      }
      // Each round is read before the next is written (real watch events and scans do the reading).
      await waitFor(() => h.sink.live().length >= written, { timeoutMs: 20_000, intervalMs: 50 });
    }
    const total = written;
    await waitFor(() => h.sink.live().length >= total, { timeoutMs: 20_000, intervalMs: 50 });
    expect(h.sink.live()).toHaveLength(total);
    for (const [source, lines] of expected) expect(h.sink.live(source)).toEqual(lines);
    expect(openDescriptors() - before).toBeLessThanOrEqual(64 + 8);
    await h.sources.stop();
    running = [];
    expect(openDescriptors()).toBeLessThanOrEqual(before);
  }, 60_000);
});
