import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, ruleSchema, rulesSchema } from '../../src/alerts/config.ts';
import { parseConfig } from '../../src/config/load.ts';

function errorOf(rules: unknown): string {
  try {
    parseConfig({ rules });
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the config to be rejected');
}

describe('rule config', () => {
  it('keeps the two rules of the original LogWatch as defaults', () => {
    expect(parseConfig({}).rules).toEqual(DEFAULT_RULES);
    expect(DEFAULT_RULES.map((r) => [r.name, r.type, r.level, r.pattern, r.threshold, r.window, r.cooldown])).toEqual([
      ['High Error Rate', 'threshold', 'ERROR', undefined, 3, 60, 300],
      ['Connection Failed', 'threshold', undefined, 'connection failed|connection refused', 1, 60, 300],
    ]);
  });

  it('fills the contract defaults: threshold 1, window 60, cooldown 300, type threshold', () => {
    expect(ruleSchema.parse({ name: 'x' })).toMatchObject({ type: 'threshold', threshold: 1, window: 60, cooldown: 300, maxKeys: 10_000 });
  });

  it('accepts every rule type with its own fields', () => {
    const parsed = rulesSchema.parse([
      { name: 'brute force', pattern: 'failed password', groupBy: 'metadata.ip', threshold: 5, window: 300, where: ['metadata.user != "git"'] },
      { name: 'spike', type: 'rate', level: 'ERROR', factor: 4, baseline: 6, threshold: 20 },
      { name: 'heartbeat', type: 'absence', pattern: 'heartbeat', source: 'logs/cron-*.log', window: 600 },
      { name: 'new user', type: 'new_value', field: 'metadata.user', warmup: 86400 },
    ]);
    expect(parsed.map((r) => r.type)).toEqual(['threshold', 'rate', 'absence', 'new_value']);
  });

  it('names the rule and the field in every error', () => {
    expect(errorOf([{ name: 'ok' }, { name: 'Bad', threshold: 0 }])).toMatch(/field rules\[1\]\.threshold: rule "Bad": .*>=1/);
    expect(errorOf([{ name: 'Cond', where: ['metadata.status >> 500'] }])).toMatch(/rules\[0\]\.where\[0\]: rule "Cond": cannot read the value/);
    expect(errorOf([{ name: 'Re', pattern: '(' }])).toMatch(/rules\[0\]\.pattern: rule "Re": not a valid regular expression/);
    expect(errorOf([{ threshold: 2 }])).toMatch(/rules\[0\]\.name: rule 1:/);
    expect(errorOf([{ name: 'Dup' }, { name: 'Dup' }])).toMatch(/rules\[1\]\.name: duplicate rule name "Dup"/);
    expect(errorOf([{ name: 'Typo', treshold: 3 }])).toMatch(/rules\[0\]\.treshold: unknown field/);
  });

  it('rejects fields that do not apply to the rule type, and a new_value rule without field', () => {
    expect(errorOf([{ name: 'n', type: 'new_value' }])).toMatch(/rules\[0\]\.field: rule "n": a new_value rule needs "field"/);
    expect(errorOf([{ name: 'n', type: 'new_value', field: 'metadata.ip', groupBy: 'source' }])).toMatch(/rules\[0\]\.groupBy/);
    expect(errorOf([{ name: 't', factor: 3 }])).toMatch(/rules\[0\]\.factor: rule "t": factor applies to rate rules only/);
    expect(errorOf([{ name: 't', field: 'metadata.ip' }])).toMatch(/rules\[0\]\.field: .*use groupBy/);
    expect(errorOf([{ name: 'g', groupBy: 'ip' }])).toMatch(/rules\[0\]\.groupBy: rule "g": expected a field such as/);
  });
});
