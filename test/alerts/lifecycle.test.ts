import { describe, expect, it } from 'vitest';
import { summary, testEngine } from './helpers.ts';

const errors = { name: 'Errors', level: 'ERROR' as const, threshold: 1, window: 60 };

describe('alert lifecycle', () => {
  it('resolves resolveAfter seconds after the condition last held, repeating the firing message', () => {
    const t = testEngine([{ ...errors, resolveAfter: 10 }]);
    const [fired] = t.push({ level: 'ERROR', message: 'disk full' });
    // The error is in the window until t=59; resolved 10 s later.
    const resolved = t.tickUntil(100);
    expect(summary(resolved)).toEqual([[69, 'resolved', '', 0]]);
    expect(resolved[0].message).toBe(`resolved: ${fired.message}`);
    expect(resolved[0].id).toBeGreaterThan(fired.id);
    expect(t.engine.rules()[0]).toMatchObject({ firing: [], firingCount: 0 });
  });

  it('repeats a firing alert every repeatInterval while its condition holds, and stops once it clears', () => {
    const t = testEngine([{ ...errors, cooldown: 300, repeatInterval: 30 }]);
    const out = [...t.push({ level: 'ERROR' })];
    for (let s = 1; s <= 100; s++) {
      t.clock.at(s);
      if (s % 5 === 0) t.push({ level: 'ERROR' });
      out.push(...t.engine.tick());
    }
    out.push(...t.tickUntil(400));
    // Last error at t=100, in the window until 159; resolved at 219. No repeat once it stopped holding.
    expect(summary(out)).toEqual([
      [0, 'firing', '', 1],
      [30, 'firing', '', 7],
      [60, 'firing', '', 12],
      [90, 'firing', '', 12],
      [120, 'firing', '', 8],
      [150, 'firing', '', 2],
      [219, 'resolved', '', 0],
    ]);
    expect(t.engine.totalAlerts).toBe(6);
  });

  it('repeats every cooldown by default, as the original LogWatch fired again after its cooldown', () => {
    const t = testEngine([{ ...errors, cooldown: 100 }]);
    const out = [...t.push({ level: 'ERROR' })];
    for (let s = 1; s <= 250; s++) {
      t.clock.at(s);
      if (s % 10 === 0) t.push({ level: 'ERROR' });
      out.push(...t.engine.tick());
    }
    expect(summary(out)).toEqual([[0, 'firing', '', 1], [100, 'firing', '', 6], [200, 'firing', '', 6]]);
  });

  it('never repeats with repeatInterval 0', () => {
    const t = testEngine([{ ...errors, cooldown: 10, repeatInterval: 0 }]);
    const out = [...t.push({ level: 'ERROR' })];
    for (let s = 1; s <= 120; s++) {
      t.clock.at(s);
      t.push({ level: 'ERROR' });
      out.push(...t.engine.tick());
    }
    expect(summary(out)).toEqual([[0, 'firing', '', 1]]);
  });

  it('applies the cooldown after a resolve: a new burst inside it is quiet, one after it fires', () => {
    const t = testEngine([{ ...errors, cooldown: 300, resolveAfter: 0 }]);
    expect(t.push({ level: 'ERROR' })).toHaveLength(1);
    expect(summary(t.tickUntil(61))).toEqual([[60, 'resolved', '', 0]]);
    t.clock.at(250);
    expect(t.push({ level: 'ERROR' })).toEqual([]);
    t.clock.at(300);
    expect(summary(t.push({ level: 'ERROR' }))).toEqual([[300, 'firing', '', 2]]);
  });
});
