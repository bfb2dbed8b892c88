import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { patternId, TemplateMiner } from '../../src/analyze/miner.ts';
import { tokenize } from '../../src/analyze/tokens.ts';

describe('TemplateMiner', () => {
  it('groups lines that differ in variables and keeps the first id when the template generalises', () => {
    const miner = new TemplateMiner();
    const a = miner.match('app', 'Connected to db-1 in 12 ms as admin', 1);
    const b = miner.match('app', 'Connected to db-1 in 30 ms as admin', 2);
    expect(b.cluster.id).toBe(a.cluster.id);
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(b.cluster.count).toBe(2);
    expect(b.cluster.template).toBe('Connected to <*> in <*> as admin');
    expect(a.cluster.id).toBe(patternId('app', 'Connected to <*> in <*> as admin'));
  });

  it('keeps templates apart that differ in a plain word ("Starting" vs "Ending")', () => {
    const miner = new TemplateMiner();
    const ids = ['Starting TrustedInstaller initialization.', 'Ending TrustedInstaller initialization.', 'Starting TrustedInstaller finalization.'].map(
      (m) => miner.match('cbs', m, 0).cluster.id,
    );
    expect(new Set(ids).size).toBe(3);
  });

  it('takes a word position for a variable once it has seen minVariants words there, and aliases the merged ids', () => {
    const miner = new TemplateMiner({ minVariants: 3 });
    const first = miner.match('ssh', 'Invalid user admin from <*>', 0).cluster.id;
    const second = miner.match('ssh', 'Invalid user oracle from <*>', 1).cluster.id;
    expect(second).not.toBe(first);
    const third = miner.match('ssh', 'Invalid user test from <*>', 2).cluster;
    expect(third.id).toBe(first);
    expect(third.template).toBe('Invalid user <*> from <*>');
    expect(third.count).toBe(3);
    expect(miner.resolve(second)).toBe(first);
    expect(miner.match('ssh', 'Invalid user guest from <*>', 3).cluster.id).toBe(first);
  });

  it('keeps sources apart', () => {
    const miner = new TemplateMiner();
    expect(miner.match('a', 'disk full', 0).cluster.id).not.toBe(miner.match('b', 'disk full', 0).cluster.id);
  });

  it('stays under its cap by evicting the least recently used, and counts evictions', () => {
    const miner = new TemplateMiner({ maxClustersPerSource: 20 });
    const keep = miner.match('s', 'keep me alive', 0).cluster;
    for (let i = 0; i < 100; i++) {
      miner.match('s', `event${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))} happened`, i);
      miner.match('s', 'keep me alive', i);
    }
    expect(miner.size).toBeLessThanOrEqual(20);
    expect(miner.evictions).toBeGreaterThan(0);
    expect(miner.get('s', keep.id)).toBe(keep);
  });

  it('restores saved clusters with the same ids, so a known line is not new again', () => {
    const miner = new TemplateMiner();
    const id = miner.match('s', 'worker 7 started', 0).cluster.id;
    miner.match('s', 'worker 9 started', 1);
    const again = new TemplateMiner();
    again.load(JSON.parse(JSON.stringify(miner.save())));
    const match = again.match('s', 'worker 12 started', 2);
    expect(match.created).toBe(false);
    expect(match.cluster.id).toBe(id);
    expect(match.cluster.count).toBe(3);
  });

  it('always returns a live cluster whose template covers the message (property)', () => {
    const word = fc.constantFrom('alpha', 'beta', 'gamma', 'delta', '42', '7', 'x=1', 'k=v', '/tmp/a');
    fc.assert(
      fc.property(fc.array(fc.array(word, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 60 }), (lines) => {
        const miner = new TemplateMiner({ maxClustersPerSource: 8 });
        for (const words of lines) {
          const { cluster } = miner.match('s', words.join(' '), 0);
          expect(cluster.evicted).toBe(false);
          expect(miner.get('s', cluster.id)).toBe(cluster);
          expect(cluster.template).toBe(cluster.tokens.join(' '));
          expect(cluster.tokens.length).toBe(tokenize(words.join(' ')).length);
        }
        expect(miner.size).toBeLessThanOrEqual(8);
      }),
      { numRuns: 200 },
    );
  });
});
