import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Analyzer, type PatternedEntry } from '../../src/analyze/analyzer.ts';
import { PATTERN_STATE_FILE } from '../../src/analyze/state-file.ts';
import type { AnomalyEvent } from '../../src/analyze/types.ts';
import type { Level } from '../../src/types.ts';

const T0 = Date.UTC(2026, 10, 30, 8, 0, 0);
const MIN = 60_000;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'lw-analyze-'));
  dirs.push(dir);
  return dir;
};

function entry(message: string, level: Level = 'INFO', source = 'app', time = T0): PatternedEntry {
  return { id: 0, time, level, message, source, format: 'generic', metadata: {}, raw: `${level} ${message}`, receivedAt: time };
}

describe('Analyzer', () => {
  it('gives every entry its pattern id and lists patterns with counts, trend, sparkline and a sample', () => {
    const clock = { now: T0 };
    const analyzer = new Analyzer({ clock: () => clock.now });
    const out: AnomalyEvent[] = [];
    const batch = [entry('user 1 logged in'), entry('user 2 logged in'), entry('disk /dev/sda1 full', 'ERROR')];
    analyzer.analyze(batch, false, out);
    expect(batch[0]!.pattern).toBe(batch[1]!.pattern);
    expect(batch[2]!.pattern).not.toBe(batch[0]!.pattern);
    clock.now += 5 * MIN;
    analyzer.analyze([entry('user 3 logged in'), entry('user 4 logged in'), entry('user 5 logged in')], false, out);

    const all = analyzer.patterns({ from: T0, to: clock.now + MIN });
    expect(all.map((p) => [p.template, p.count])).toEqual([['user <*> logged in', 5], ['disk <*> full', 1]]);
    expect(all[0]!.sparkline.slice(-6)).toEqual([2, 0, 0, 0, 0, 3]);
    expect(all[0]!.isNew).toBe(true);
    expect(all[1]!.sample).toMatchObject({ level: 'ERROR', message: 'disk /dev/sda1 full' });

    const errors = analyzer.patterns({ level: 'ERROR', from: T0, to: clock.now + MIN });
    expect(errors.map((p) => p.template)).toEqual(['disk <*> full']);
    expect(analyzer.patterns({ source: 'other', from: T0, to: clock.now + MIN })).toEqual([]);

    const recent = analyzer.patterns({ from: T0 + 5 * MIN, to: T0 + 6 * MIN });
    expect(recent).toHaveLength(1);
    expect(recent[0]).toMatchObject({ count: 3, previousCount: 0, trend: 'up', total: 5 });
  });

  it('keeps ids, counts and knowledge across a restart: a known pattern is not new again', async () => {
    const stateDir = tempDir();
    const clock = { now: T0 };
    const options = { clock: () => clock.now, stateDir, anomalies: { warmupMs: 0 } };
    const first = new Analyzer(options);
    const out: AnomalyEvent[] = [];
    const a = entry('job 17 finished in 3 s');
    first.analyze([a], false, out);
    expect(out.map((e) => e.kind)).toEqual(['new_pattern']);
    await first.save();
    expect(JSON.parse(readFileSync(join(stateDir, PATTERN_STATE_FILE), 'utf8')).version).toBe(1);

    clock.now += MIN;
    const second = new Analyzer(options);
    const again: AnomalyEvent[] = [];
    const b = entry('job 18 finished in 4 s');
    second.analyze([b], false, again);
    expect(b.pattern).toBe(a.pattern);
    expect(again).toEqual([]);
    expect(second.patterns({ from: T0, to: clock.now + MIN })[0]).toMatchObject({ count: 2, total: 2 });
  });

  it('starts fresh, with a warning naming the file, when the state file is damaged', () => {
    const stateDir = tempDir();
    writeFileSync(join(stateDir, PATTERN_STATE_FILE), '{"version":1,"clusters":"no"}');
    const warnings: string[] = [];
    const analyzer = new Analyzer({ clock: () => T0, stateDir, warn: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(PATTERN_STATE_FILE);
    const e = entry('still works');
    analyzer.analyze([e], false, []);
    expect(e.pattern).toMatch(/^[0-9a-z]{11}$/);
  });

  it('learns from history without reporting anomalies for it', () => {
    const analyzer = new Analyzer({ clock: () => T0 + 60 * MIN, anomalies: { warmupMs: 0 } });
    const out: AnomalyEvent[] = [];
    analyzer.analyze([entry('old line 1', 'ERROR', 'app', T0)], true, out);
    expect(out).toEqual([]);
    expect(analyzer.patterns({ from: T0, to: T0 + 61 * MIN })[0]!.count).toBe(1);
  });

  it('lists the most frequent warning-or-worse patterns for the top-errors chart', () => {
    const analyzer = new Analyzer({ clock: () => T0 });
    analyzer.analyze(
      [entry('timeout after 3 s', 'ERROR'), entry('timeout after 5 s', 'ERROR'), entry('cache miss 7', 'WARNING'), entry('request 9 ok', 'INFO')],
      false,
      [],
    );
    expect(analyzer.top(5).map((p) => [p.template, p.count, p.level, p.example])).toEqual([
      ['timeout after <*>', 2, 'ERROR', 'timeout after 3 s'],
      ['cache miss <*>', 1, 'WARNING', 'cache miss 7'],
    ]);
    expect(analyzer.top(1)).toHaveLength(1);
  });

  it('resolves the id of a merged pattern to the one it was merged into, with its counts', () => {
    const analyzer = new Analyzer({ clock: () => T0 });
    const batch = ['Invalid user admin from x', 'Invalid user oracle from x', 'Invalid user test from x'].map((m) => entry(m));
    analyzer.analyze(batch, false, []);
    const ids = batch.map((e) => analyzer.resolve(e.pattern!));
    expect(new Set(ids).size).toBe(1);
    expect(analyzer.patterns({ from: T0, to: T0 + MIN })).toHaveLength(1);
    expect(analyzer.patterns({ from: T0, to: T0 + MIN })[0]!.count).toBe(3);
  });
});
