import { describe, expect, it } from 'vitest';
import { rulesSchema } from '../../src/alerts/config.ts';
import { rules, testEngine } from './helpers.ts';

const errorRule = { name: 'Errors', level: 'ERROR' as const, threshold: 3, window: 60 };
const error = { level: 'ERROR' as const };

describe('reloading rules', () => {
  it('keeps the windows and lifecycle of unchanged rules', () => {
    const t = testEngine([errorRule]);
    t.push(error, error);
    const summary = t.engine.reload(rules(errorRule, { name: 'Added', pattern: 'x' }));
    expect(summary).toEqual({ kept: ['Errors'], changed: [], added: ['Added'], removed: [] });
    expect(t.push(error).map((a) => a.rule)).toEqual(['Errors']);
  });

  it('restarts the windows of a changed rule but carries its firing keys and cooldowns', () => {
    const t = testEngine([errorRule]);
    expect(t.push(error, error, error)).toHaveLength(1);
    expect(t.engine.reload(rules({ ...errorRule, message: 'too many errors' })).changed).toEqual(['Errors']);
    // Still firing: no second alert for the same errors, and its resolve still comes.
    t.clock.at(1);
    expect(t.push(error, error, error)).toEqual([]);
    expect(t.engine.rules()[0]).toMatchObject({ firing: [''], matches: 3 });
    expect(t.tickUntil(200).map((a) => a.state)).toEqual(['resolved']);
  });

  it('drops removed rules and follows the new notify targets', () => {
    const t = testEngine([errorRule, { name: 'Other', pattern: 'x', notify: ['ops'] }]);
    expect(t.engine.notifyTargets('Other')).toEqual(['ops']);
    const summary = t.engine.reload(rules({ ...errorRule, notify: ['pager'] }));
    expect(summary).toEqual({ kept: [], changed: ['Errors'], added: [], removed: ['Other'] });
    expect(t.engine.rules().map((r) => r.name)).toEqual(['Errors']);
    expect(t.engine.activeRules).toBe(1);
    expect(t.engine.notifyTargets('Errors')).toEqual(['pager']);
    expect(t.engine.notifyTargets('Other')).toBeUndefined();
  });

  it('a bad new config never reaches the engine: validation fails first and the running rules stay', () => {
    const t = testEngine([errorRule]);
    t.push(error, error);
    const bad = rulesSchema.safeParse([{ ...errorRule, threshold: 'three' }]);
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].message).toMatch(/^rule "Errors": /);
    expect(t.push(error)).toHaveLength(1);
  });
});
