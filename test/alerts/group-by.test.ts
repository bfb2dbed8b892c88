import { describe, expect, it } from 'vitest';
import { summary, testEngine } from './helpers.ts';

const bruteForce = { name: 'Brute force', pattern: 'failed password', groupBy: 'metadata.ip', threshold: 3, window: 60 };
const fail = (ip: string) => ({ message: 'Failed password for root', metadata: { ip } });

describe('groupBy', () => {
  it('gives each key its own window, cooldown and alert', () => {
    const t = testEngine([bruteForce]);
    expect(t.push(fail('10.0.0.1'), fail('10.0.0.2'), fail('10.0.0.1'), fail('10.0.0.2'))).toEqual([]);
    const fired = t.push(fail('10.0.0.1'));
    expect(summary(fired)).toEqual([[0, 'firing', '10.0.0.1', 3]]);
    expect(fired[0].message).toBe('3 matching entries in 60s (threshold 3) for metadata.ip=10.0.0.1');
    expect(fired[0].logs.every((e) => e.metadata.ip === '10.0.0.1')).toBe(true);
    expect(t.push(fail('10.0.0.1'))).toEqual([]);
    expect(summary(t.push(fail('10.0.0.2')))).toEqual([[0, 'firing', '10.0.0.2', 3]]);
    expect(t.engine.rules()[0].firing.sort()).toEqual(['10.0.0.1', '10.0.0.2']);
  });

  it('does not count entries without the grouping field', () => {
    const t = testEngine([bruteForce]);
    expect(t.push(...Array.from({ length: 10 }, () => ({ message: 'failed password' })))).toEqual([]);
    expect(t.engine.rules()[0].keys).toBe(0);
  });

  it('tracks thousands of keys, firing only the one over its threshold', () => {
    const t = testEngine([bruteForce]);
    const batch = Array.from({ length: 5000 }, (_, i) => fail(`10.1.${i >> 8}.${i & 255}`));
    expect(t.push(...batch)).toEqual([]);
    expect(summary(t.push(fail('10.1.0.7'), fail('10.1.0.7')))).toEqual([[0, 'firing', '10.1.0.7', 3]]);
    expect(t.engine.rules()[0]).toMatchObject({ keys: 5000, evictedKeys: 0, firingCount: 1 });
  });

  it('caps the keys it tracks, evicting the least recently seen and counting them', () => {
    const t = testEngine([{ ...bruteForce, maxKeys: 100, threshold: 25 }]);
    // A busy key seen every 50 new keys survives 1000 one-off keys and keeps its count.
    for (let i = 0; i < 1000; i++) {
      if (i % 50 === 0) expect(t.push(fail('busy'))).toEqual([]);
      expect(t.push(fail(`one-off-${i}`))).toEqual([]);
    }
    expect(t.push(fail('busy'), fail('busy'), fail('busy'), fail('busy'))).toEqual([]);
    expect(summary(t.push(fail('busy')))).toEqual([[0, 'firing', 'busy', 25]]);
    const status = t.engine.rules()[0];
    expect(status.keys).toBe(100);
    expect(status.evictedKeys).toBe(901);
    expect(t.engine.metrics()).toMatchObject({ trackedKeys: 100, evictedKeysTotal: 901 });
  });
});
