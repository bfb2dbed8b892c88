import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../../src/alerts/config.ts';
import type { RuleInput } from '../../src/alerts/index.ts';
import { summary, T0, testEngine } from './helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length > 0) rmSync(dirs.pop()!, { recursive: true, force: true });
});
function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'logwatch-alerts-'));
  dirs.push(dir);
  return dir;
}

const errorLines = [{ level: 'ERROR' as const, message: 'e1' }, { level: 'ERROR' as const, message: 'e2' }, { level: 'ERROR' as const, message: 'e3' }];

describe('alert state across restarts', () => {
  it('does not re-send an alert when a restart after a crash re-reads the lines that fired it', () => {
    const dir = stateDir();
    const first = testEngine(DEFAULT_RULES, { stateDir: dir });
    const fired = first.push(...errorLines);
    expect(fired.map((a) => a.rule)).toEqual(['High Error Rate']);
    // No close(): the process was killed. The state was written before evaluate() returned.
    const second = testEngine(DEFAULT_RULES, { stateDir: dir, start: 5 });
    expect(second.push(...errorLines)).toEqual([]);
    expect(second.engine.recent(10).map((a) => [a.id, a.rule, a.count])).toEqual([[fired[0].id, 'High Error Rate', 3]]);
    expect(second.engine.totalAlerts).toBe(1);
    // The restored alert still resolves, and ids keep increasing.
    const resolved = second.tickUntil(200);
    expect(summary(resolved).map(([, state, key]) => [state, key])).toEqual([['resolved', '']]);
    expect(resolved[0].id).toBe(fired[0].id + 1);
    // Past the cooldown the rule fires again.
    second.clock.at(400);
    expect(second.push(...errorLines)).toHaveLength(1);
  });

  it('keeps silences, and the resolve of an alert nobody was told about stays silent', () => {
    const dir = stateDir();
    const first = testEngine(DEFAULT_RULES, { stateDir: dir });
    first.engine.addSilence({ rule: 'High Error Rate', duration: 3600, comment: 'maintenance' });
    expect(first.push(...errorLines)[0].silenced).toBe(true);
    first.engine.close();
    const second = testEngine(DEFAULT_RULES, { stateDir: dir, start: 10 });
    expect(second.engine.silences()).toEqual([expect.objectContaining({ rule: 'High Error Rate', comment: 'maintenance', status: 'active' })]);
    expect(second.tickUntil(200).map((a) => [a.state, a.silenced])).toEqual([['resolved', true]]);
  });

  it('remembers the values a new_value rule learned and its warm-up', () => {
    const dir = stateDir();
    const rule: RuleInput = { name: 'New IP', type: 'new_value', field: 'metadata.ip', warmup: 60 };
    const first = testEngine([rule], { stateDir: dir });
    first.push({ metadata: { ip: 'a' } }, { metadata: { ip: 'b' } });
    first.engine.close();
    const second = testEngine([rule], { stateDir: dir, start: 100 });
    expect(second.push({ metadata: { ip: 'a' } }, { metadata: { ip: 'b' } })).toEqual([]);
    expect(summary(second.push({ metadata: { ip: 'c' } }))).toEqual([[100, 'firing', 'c', 1]]);
  });

  it('writes atomically, leaving no temporary file, and debounces writes nothing forces', async () => {
    const dir = stateDir();
    const t = testEngine([{ name: 'New IP', type: 'new_value', field: 'metadata.ip', warmup: 60 }], { stateDir: dir, persistDelayMs: 20 });
    t.push({ metadata: { ip: 'a' } });
    expect(existsSync(join(dir, 'alerts.json'))).toBe(false);
    await new Promise((r) => setTimeout(r, 60));
    expect(readdirSync(dir)).toEqual(['alerts.json']);
    t.engine.close();
  });

  it('starts fresh, with a warning, from a state file it cannot trust', () => {
    const dir = stateDir();
    writeFileSync(join(dir, 'alerts.json'), '{"version":1,"savedAt":');
    const t = testEngine(DEFAULT_RULES, { stateDir: dir });
    expect(t.logger.lines.join('\n')).toMatch(/alert state .* is unreadable.*start fresh/);
    expect(t.push(...errorLines)).toHaveLength(1);
    writeFileSync(join(dir, 'alerts.json'), JSON.stringify({ version: 1, savedAt: T0, lastId: 'x' }));
    expect(testEngine(DEFAULT_RULES, { stateDir: dir }).logger.lines.join('\n')).toMatch(/not in the expected shape/);
  });

  it('does not persist rules changed between runs beyond what their type and key allow', () => {
    const dir = stateDir();
    const first = testEngine([{ name: 'R', level: 'ERROR', threshold: 3 }], { stateDir: dir });
    first.push(...errorLines);
    first.engine.close();
    // Same name, now grouped by source: a different key space, so the old cooldown does not apply.
    const second = testEngine([{ name: 'R', level: 'ERROR', threshold: 3, groupBy: 'source' }], { stateDir: dir, start: 1 });
    expect(summary(second.push(...errorLines))).toEqual([[1, 'firing', 'app.log', 3]]);
  });
});
