import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../../src/alerts/config.ts';
import { summary, T0, testEngine } from './helpers.ts';

const highErrorRate = { name: 'High Error Rate', level: 'ERROR' as const, threshold: 3, window: 60, cooldown: 300 };

describe('threshold rules (the default type)', () => {
  it('"High Error Rate" fires on the third ERROR in 60 s, then stays quiet for the 300 s cooldown', () => {
    const t = testEngine(DEFAULT_RULES);
    expect(t.push({ level: 'ERROR' })).toEqual([]);
    t.clock.at(1);
    expect(t.push({ level: 'CRITICAL' })).toEqual([]);
    t.clock.at(2);
    const fired = t.push({ level: 'ERROR', message: 'third' });
    expect(fired.map((a) => [a.rule, a.state, a.count])).toEqual([['High Error Rate', 'firing', 3]]);
    expect(fired[0].logs.map((e) => e.level)).toEqual(['ERROR', 'CRITICAL', 'ERROR']);
    t.clock.at(3);
    expect(t.push({ level: 'ERROR' })).toEqual([]);
    // Resolved once the errors stop; a new burst inside the cooldown stays quiet, one after it fires.
    expect(summary(t.tickUntil(200))).toEqual([[120, 'resolved', '', 0]]);
    expect(t.push({ level: 'ERROR' }, { level: 'ERROR' }, { level: 'ERROR' })).toEqual([]);
    t.clock.at(302);
    expect(summary(t.push({ level: 'ERROR' }, { level: 'ERROR' }, { level: 'ERROR' }))).toEqual([[302, 'firing', '', 3]]);
    expect(t.engine.totalAlerts).toBe(2);
  });

  it('"Connection Failed" fires on the first matching line, case-insensitive, at any level', () => {
    const t = testEngine(DEFAULT_RULES);
    const fired = t.push({ level: 'INFO', message: 'worker 3: Connection Refused by 10.0.0.7:5432' });
    expect(fired.map((a) => [a.rule, a.count, a.message])).toEqual([['Connection Failed', 1, 'worker 3: Connection Refused by 10.0.0.7:5432']]);
    expect(t.push({ level: 'WARNING', message: 'connection fine' })).toEqual([]);
  });

  it('counts lower levels only when they reach the minimum', () => {
    const t = testEngine([highErrorRate]);
    expect(t.push({ level: 'WARNING' }, { level: 'INFO' }, { level: 'UNKNOWN' }, { level: 'ERROR' })).toEqual([]);
    expect(t.push({ level: 'WARNING' }, { level: 'ERROR' })).toEqual([]);
    expect(t.push({ level: 'ERROR' })).toHaveLength(1);
  });

  it('fires with exactly N in the window, and not once the first has slid out', () => {
    const edge = testEngine([highErrorRate]);
    edge.push({ level: 'ERROR' });
    edge.clock.at(30);
    edge.push({ level: 'ERROR' });
    edge.clock.at(59.999);
    expect(summary(edge.push({ level: 'ERROR' }))).toEqual([[59.999, 'firing', '', 3]]);

    const slid = testEngine([highErrorRate]);
    slid.push({ level: 'ERROR' });
    slid.clock.at(30);
    slid.push({ level: 'ERROR' });
    slid.clock.at(60);
    expect(slid.push({ level: 'ERROR' })).toEqual([]);
    slid.clock.at(61);
    expect(summary(slid.push({ level: 'ERROR' }))).toEqual([[61, 'firing', '', 3]]);
  });

  it('places a recent entry at its own time, and a late or future one at the time it arrives', () => {
    const rule = { name: 'pair', level: 'ERROR' as const, threshold: 2, window: 60 };
    // Written 50 s ago: it counts at t=50 and has left the window by t=111.
    const recent = testEngine([rule], { start: 100 });
    recent.push({ level: 'ERROR', time: T0 + 50_000 });
    recent.clock.at(111);
    expect(recent.push({ level: 'ERROR' })).toEqual([]);
    // Written an hour ago (a replay, a wrong clock): it counts when it arrives, at t=100.
    const late = testEngine([rule], { start: 100 });
    late.push({ level: 'ERROR', time: T0 - 3_600_000 });
    late.clock.at(111);
    expect(late.push({ level: 'ERROR' })).toHaveLength(1);
    // Stamped in the future: counted now, not held back until its time comes.
    const future = testEngine([rule], { start: 100 });
    future.push({ level: 'ERROR', time: T0 + 7_200_000 });
    expect(future.push({ level: 'ERROR' })).toHaveLength(1);
  });

  it('fills {placeholders} in the rule message', () => {
    const t = testEngine([{ name: 'Auth', pattern: 'denied', threshold: 2, groupBy: 'metadata.user', message: '{count} denials for {key} in {window}s ({rule})' }]);
    const fired = t.push({ message: 'denied', metadata: { user: 'bob' } }, { message: 'denied', metadata: { user: 'bob' } });
    expect(fired.map((a) => a.message)).toEqual(['2 denials for bob in 60s (Auth)']);
  });
});
