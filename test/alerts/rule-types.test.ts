import { describe, expect, it } from 'vitest';
import { summary, testEngine } from './helpers.ts';

describe('rate rules', () => {
  // 10 s windows; the average of the 2 windows before must be exceeded 3 times, with at least 5 matches.
  const spike = { name: 'Spike', type: 'rate' as const, level: 'ERROR' as const, window: 10, factor: 3, baseline: 2, threshold: 5 };

  function steady() {
    const t = testEngine([spike]);
    // Two errors every 10 s: an average of 2 per window.
    for (const s of [1, 6, 11, 16, 21, 26]) {
      t.clock.at(s);
      expect(t.push({ level: 'ERROR' })).toEqual([]);
    }
    t.clock.at(31);
    return t;
  }

  it('fires when the window reaches factor × the average of the previous windows', () => {
    const t = steady();
    // Window (21, 31] holds the error at 26: four more make 5 < 3 × 2.
    expect(t.push(...Array.from({ length: 4 }, () => ({ level: 'ERROR' as const })))).toEqual([]);
    const fired = t.push({ level: 'ERROR' });
    expect(summary(fired)).toEqual([[31, 'firing', '', 6]]);
    expect(fired[0].message).toContain('average of 2');
  });

  it('needs the minimum count even when the previous windows were empty', () => {
    const t = testEngine([spike]);
    t.clock.at(40);
    expect(t.push(...Array.from({ length: 4 }, () => ({ level: 'ERROR' as const })))).toEqual([]);
    expect(t.push({ level: 'ERROR' })).toHaveLength(1);
  });

  it('stays quiet until it has seen `baseline` windows', () => {
    const t = testEngine([spike]);
    t.clock.at(19);
    expect(t.push(...Array.from({ length: 50 }, () => ({ level: 'ERROR' as const })))).toEqual([]);
  });
});

describe('absence rules', () => {
  const heartbeat = { name: 'Heartbeat', type: 'absence' as const, pattern: 'heartbeat', window: 60, cooldown: 0 };

  it('fires when fewer than threshold matches arrive in a window, and resolves after the line is back', () => {
    const t = testEngine([heartbeat]);
    for (let s = 0; s <= 120; s += 30) {
      t.clock.at(s);
      t.push({ message: 'heartbeat ok' });
      expect(t.engine.tick()).toEqual([]);
    }
    // The last heartbeat (t=120) leaves the window at t=180.
    const fired = t.tickUntil(199);
    expect(summary(fired)).toEqual([[180, 'firing', '', 0]]);
    expect(fired[0].message).toBe('no matching entry in the last 60s');
    expect(fired[0].logs.map((e) => e.message)).toEqual(Array(5).fill('heartbeat ok'));
    t.clock.at(200);
    t.push({ message: 'heartbeat ok' });
    // Held last at t=199: resolves resolveAfter (= window) later; that lone heartbeat leaves the
    // window at t=260, when the line is missing again (cooldown 0).
    expect(summary(t.tickUntil(300))).toEqual([[259, 'resolved', '', 1], [260, 'firing', '', 0]]);
  });

  it('waits one window after start before judging, then fires for a line never seen', () => {
    const t = testEngine([heartbeat]);
    expect(summary(t.tickUntil(61))).toEqual([[60, 'firing', '', 0]]);
  });

  it('with groupBy, fires only for the key that went quiet', () => {
    const t = testEngine([{ ...heartbeat, groupBy: 'source', threshold: 2 }]);
    for (let s = 0; s <= 200; s += 20) {
      t.clock.at(s);
      t.push({ message: 'heartbeat', source: 'web-1' });
      if (s < 100) t.push({ message: 'heartbeat', source: 'web-2' });
      t.engine.tick();
    }
    const alerts = t.engine.recent(10);
    // web-2's last two heartbeats were at 60 and 80: fewer than 2 in the window (60, 120] at t=120.
    expect(summary(alerts)).toEqual([[120, 'firing', 'web-2', 1]]);
    expect(alerts[0].message).toContain('for source=web-2');
  });
});

describe('new_value rules', () => {
  it('learns values during the warm-up, then alerts once per value never seen', () => {
    const t = testEngine([{ name: 'New user', type: 'new_value', field: 'metadata.user', warmup: 100 }]);
    expect(t.push({ metadata: { user: 'alice' } }, { metadata: { user: 'bob' } })).toEqual([]);
    t.clock.at(99);
    expect(t.push({ metadata: { user: 'carol' } })).toEqual([]);
    t.clock.at(150);
    expect(t.push({ metadata: { user: 'alice' } }, { metadata: { user: 'carol' } }, {})).toEqual([]);
    const fired = t.push({ metadata: { user: 'mallory' } }, { metadata: { user: 'mallory' } });
    expect(summary(fired)).toEqual([[150, 'firing', 'mallory', 1]]);
    expect(fired[0].message).toBe('new value of metadata.user: mallory');
    t.clock.at(151);
    expect(t.push({ metadata: { user: 'mallory' } })).toEqual([]);
    expect(summary(t.tickUntil(300))).toEqual([[210, 'resolved', 'mallory', 0]]);
  });
});
