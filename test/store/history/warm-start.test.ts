// The buffer warmed from history at start: history's newest entries in the order they were stored, as
// backfill, without history's own fields; and not after a crash (the sources send those lines again).
import { describe, expect, it } from 'vitest';
import { storeReader } from '../../../src/store/history/index.ts';
import type { LogEntry } from '../../../src/types.ts';
import { warmFromHistory } from '../../../src/warm-start.ts';
import { makeEntry, openHistory } from './helpers.ts';

describe('warmFromHistory', () => {
  it('emits the newest `count` entries, oldest first, as backfill, without seq or pattern', async () => {
    const h = await openHistory({ segmentBytes: 2000, blockBytes: 500 });
    const entries = Array.from({ length: 2500 }, (_, i) => makeEntry({ message: `m${i}`, pattern: 'p1' }));
    h.store.append(entries);
    await h.store.close();
    const store = await h.reopen();
    const emitted: Array<{ entries: LogEntry[]; backfill: boolean }> = [];
    const n = await warmFromHistory(storeReader(store), { emit: (batch, o) => emitted.push({ entries: batch, backfill: o.backfill }) }, 1200);
    expect(n).toBe(1200);
    expect(emitted.every((e) => e.backfill)).toBe(true);
    const all = emitted.flatMap((e) => e.entries);
    expect(all.map((e) => e.message)).toEqual(Array.from({ length: 1200 }, (_, i) => `m${1300 + i}`));
    expect(all.some((e) => 'seq' in e || 'pattern' in e)).toBe(false);
    expect(await warmFromHistory(storeReader(store), { emit: () => {} }, 10_000)).toBe(2500);
    expect(store.recoveredFromCrash).toBe(false);
    await store.close();
  });

  it('an empty history warms nothing', async () => {
    const h = await openHistory();
    expect(await warmFromHistory(storeReader(h.store), { emit: () => expect.fail('nothing to emit') }, 100)).toBe(0);
    await h.store.close();
  });

  it('the store says when it recovered a journal a stop without shutdown left (then logwatch does not warm)', async () => {
    const h = await openHistory();
    h.store.append([makeEntry(), makeEntry()]);
    await h.store.flush();
    // No close: as after kill -9.
    const store = await h.reopen();
    expect(store.recoveredFromCrash).toBe(true);
    await store.close();
    expect((await h.reopen()).recoveredFromCrash).toBe(false);
    await h.store.close();
  });
});
