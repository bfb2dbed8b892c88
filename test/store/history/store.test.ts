import { appendFileSync, copyFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allPages, filesUnder, makeEntry, openHistory } from './helpers.ts';

describe('HistoryStore', () => {
  it('gives back every field of what was appended, newest first, from memory and from segments alike', async () => {
    const h = await openHistory({ segmentBytes: 600, blockBytes: 200 });
    const entries = [
      makeEntry({ message: 'plain', raw: 'plain' }),
      makeEntry({ message: 'suffix of raw', raw: '2026-12-01 ERROR suffix of raw', level: 'ERROR' }),
      makeEntry({ message: 'not in raw', raw: '{"msg":"x"}', format: 'json', metadata: { status: 503, nested: { a: [1, 'b'] } }, pattern: 'p7' }),
      makeEntry({ message: 'line\nwith "quotes" and \u0000 and é', raw: 'line\nwith "quotes" and \u0000 and é' }),
    ];
    h.store.append(entries);
    const inMemory = await allPages(h.store);
    await h.store.flush();
    h.clock.now += 120_000; // past the seal age
    await h.store.sync();
    expect(h.store.stats().segments).toBe(1);
    await h.store.close();
    const store = await h.reopen();
    const sealed = await allPages(store);
    expect(store.stats().segments).toBeGreaterThan(0);
    for (const list of [inMemory, sealed]) {
      expect(list.map((e) => e.message)).toEqual(entries.map((e) => e.message).reverse());
      const json = list.find((e) => e.format === 'json')!;
      expect(json).toMatchObject({ metadata: { status: 503, nested: { a: [1, 'b'] } }, pattern: 'p7', raw: '{"msg":"x"}' });
      const error = list.find((e) => e.level === 'ERROR')!;
      expect(error).toMatchObject({ id: entries[1].id, time: entries[1].time, receivedAt: entries[1].receivedAt, source: 'logs/app.log' });
    }
    expect(sealed.map((e) => e.seq)).toEqual([3, 2, 1, 0]);
  });

  it('seals on size: many small segments, sequence numbers continuing across a restart', async () => {
    const h = await openHistory({ segmentBytes: 2000, blockBytes: 500 });
    for (let i = 0; i < 20; i++) {
      h.store.append(Array.from({ length: 10 }, () => makeEntry()));
      await h.store.flush();
    }
    const segments = h.store.stats().segments;
    expect(segments).toBeGreaterThanOrEqual(5);
    await h.store.close();
    const store = await h.reopen({ segmentBytes: 2000, blockBytes: 500 });
    store.append([makeEntry()]);
    const all = await allPages(store, {}, 1000);
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 201 }, (_, i) => 200 - i));
    await store.close();
  });

  it('seals on age only once the oldest unsealed entry has waited segmentAgeMs', async () => {
    const h = await openHistory({ segmentAgeMs: 1000 });
    h.store.append([makeEntry()]);
    await h.store.flush();
    h.clock.now += 999;
    h.store.append([makeEntry()]);
    await h.store.flush();
    expect(h.store.stats().segments).toBe(0);
    h.clock.now += 1;
    h.store.append([makeEntry()]);
    await h.store.sync();
    expect(h.store.stats()).toMatchObject({ segments: 1, entries: 3 });
  });

  it('never puts a source name in a file name', async () => {
    const h = await openHistory({ segmentBytes: 100 });
    h.store.append([makeEntry({ source: '../../../etc/passwd' }), makeEntry({ source: 'C:\\evil\u0000name' }), makeEntry({ source: '/abs/path.log' })]);
    await h.store.flush();
    await h.store.close();
    for (const file of filesUnder(h.dir)) expect(file).toMatch(/^\d{4}-\d{2}-\d{2}\/\d{16}\.seg$/);
    const store = await h.reopen();
    expect((await allPages(store)).map((e) => e.source)).toEqual(['/abs/path.log', 'C:\\evil\u0000name', '../../../etc/passwd']);
  });

  it('drops (and counts) entries past maxQueued instead of blocking the caller', async () => {
    const h = await openHistory({ maxQueued: 10 });
    h.store.append(Array.from({ length: 15 }, () => makeEntry()));
    expect(h.store.stats()).toMatchObject({ queued: 10, dropped: 5 });
    await h.store.flush();
    expect(h.store.stats()).toMatchObject({ queued: 0, entries: 10 });
  });

  it('pages with a cursor: pages join into the full newest-first list, the last page says there is no more', async () => {
    const h = await openHistory({ segmentBytes: 1500, blockBytes: 400 });
    h.store.append(Array.from({ length: 95 }, (_, i) => makeEntry({ level: i % 3 === 0 ? 'ERROR' : 'INFO' })));
    await h.store.flush();
    const errors = await allPages(h.store, { level: 'ERROR' }, 7);
    expect(errors.map((e) => e.seq)).toEqual(Array.from({ length: 32 }, (_, i) => 93 - 3 * i));
    const first = await h.store.search({ limit: 95 });
    expect(first.next).toBeNull();
    await expect(h.store.search({ cursor: 'bm9wZQ' })).rejects.toThrow(/cursor/);
  });

  it('a crash after a segment was renamed in but before its journal was deleted seals nothing twice', async () => {
    const h = await openHistory();
    h.store.append(Array.from({ length: 5 }, () => makeEntry()));
    await h.store.flush();
    const journal = readdirSync(h.dir).find((name) => name.endsWith('.jnl'))!;
    copyFileSync(join(h.dir, journal), join(h.dir, 'saved'));
    await h.store.close(); // seals the 5 and deletes the journal
    copyFileSync(join(h.dir, 'saved'), join(h.dir, journal));
    const store = await h.reopen();
    expect((await allPages(store)).map((e) => e.seq)).toEqual([4, 3, 2, 1, 0]);
    expect(readdirSync(h.dir).filter((name) => name.endsWith('.jnl'))).toHaveLength(1); // only the new, empty one
  });

  it('recovers the whole records of a journal a crash cut short, and drops the cut one', async () => {
    const h = await openHistory();
    h.store.append([makeEntry({ message: 'a' }), makeEntry({ message: 'b' })]);
    await h.store.flush();
    const journal = join(h.dir, readdirSync(h.dir).find((name) => name.endsWith('.jnl'))!);
    // A record whose write was cut: header promises 2 rows, one and a half arrive.
    appendFileSync(journal, '#2 2\n[1,0,1,"s","f",0,"c",0,9]\n[1,0,1,"s","f",0,"d');
    const store = await h.reopen();
    expect((await allPages(store)).map((e) => e.message)).toEqual(['b', 'a']);
    store.append([makeEntry({ message: 'e' })]);
    expect((await allPages(store)).map((e) => [e.seq, e.message])).toEqual([[2, 'e'], [1, 'b'], [0, 'a']]);
    writeFileSync(join(h.dir, 'unrelated.txt'), 'x');
  });
});

describe('when segments cannot be written', () => {
  it('keeps the unsealed tail bounded (oldest dropped, counted) and seals again once the disk works', async () => {
    const h = await openHistory({ segmentBytes: 1000, segmentAgeMs: 0 });
    // A file where the day's folder must go: every seal fails (as on a full or read-only disk).
    const blocker = join(h.dir, new Date(h.clock.now).toISOString().slice(0, 10));
    writeFileSync(blocker, 'not a folder');
    for (let i = 0; i < 30; i++) {
      h.store.append(Array.from({ length: 10 }, () => makeEntry()));
      await h.store.sync();
    }
    const stats = h.store.stats();
    expect(stats.segments).toBe(0);
    expect(stats.dropped).toBeGreaterThan(0);
    expect(stats.entries + stats.dropped).toBe(300);
    expect(stats.entries).toBeLessThan(150); // at most 8 segments' worth of rows (about 90 here)
    rmSync(blocker);
    h.store.append([makeEntry()]);
    await h.store.sync();
    expect(h.store.stats()).toMatchObject({ segments: 1, entries: stats.entries + 1 });
  });
});

describe('retention', () => {
  it('drops whole segments, oldest first, while over maxBytes', async () => {
    const h = await openHistory({ segmentBytes: 1000, blockBytes: 400, maxBytes: 5000 });
    for (let i = 0; i < 40; i++) {
      h.store.append(Array.from({ length: 8 }, () => makeEntry()));
      await h.store.flush();
      const stats = h.store.stats();
      expect(stats.bytes - 0).toBeLessThanOrEqual(5000 + 2000); // sealed bytes under the cap; the journal on top
    }
    const stats = h.store.stats();
    expect(stats.expiredSegments).toBeGreaterThan(0);
    const seqs = (await allPages(h.store, {}, 1000)).map((e) => e.seq);
    // What is left is the newest, contiguous run: nothing in the middle went missing.
    expect(seqs[0]).toBe(319);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => 319 - i));
    expect(seqs.length).toBeLessThan(320);
  });

  it('drops segments whose newest entry was received more than maxAge ago, and only those', async () => {
    const h = await openHistory({ segmentAgeMs: 0, maxAgeMs: 10_000 });
    const start = h.clock.now;
    for (let i = 0; i < 6; i++) {
      h.clock.now = start + 4000 * i;
      h.store.append([makeEntry({ receivedAt: h.clock.now, message: `at ${i}` })]);
      await h.store.sync(); // one segment each
    }
    expect(h.store.stats().segments).toBe(3); // at 20 s, the limit is 10 s: received at 0, 4 and 8 s are gone
    h.clock.now = start + 25_000;
    await h.store.enforceRetention();
    // Received at 12, 16, 20 s are left; at 25 s the limit is 15 s.
    expect((await allPages(h.store)).map((e) => e.message)).toEqual(['at 5', 'at 4']);
    expect(filesUnder(h.dir).filter((f) => f.endsWith('.seg'))).toHaveLength(2);
  });
});

describe('after a crash, lines the sources read again', () => {
  it('are left out while they repeat, in order, the tail history holds for their source', async () => {
    const h = await openHistory();
    const a = Array.from({ length: 10 }, (_, i) => makeEntry({ source: 'a', message: `a${i}`, time: 1000 + i }));
    const b = Array.from({ length: 3 }, (_, i) => makeEntry({ source: 'b', message: `b${i}`, time: 2000 + i }));
    h.store.append([...a, ...b]);
    await h.store.flush();
    // Crash: the store is abandoned with its journal; a new one opens the same folder.
    const store = await h.reopen();
    // Source a resumes at its checkpoint (a6) and goes on; b sends something new first; c is new.
    const again = a.slice(6).map((e) => ({ ...e, id: e.id + 100 }));
    store.append([...again, makeEntry({ source: 'a', message: 'a10', time: 1010 }), makeEntry({ source: 'b', message: 'b3', time: 2003 }), ...b.slice(1).map((e) => ({ ...e }))]);
    store.append([makeEntry({ source: 'a', message: 'a6', time: 1006 })]); // a's replay is over: a real repeat is kept
    const messages = (await allPages(store, {}, 100)).map((e) => e.message).reverse();
    expect(messages).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9', 'b0', 'b1', 'b2', 'a10', 'b3', 'b1', 'b2', 'a6']);
  });

  it('are looked for only after a crash: a graceful stop leaves no journal', async () => {
    const h = await openHistory();
    h.store.append([makeEntry({ source: 'a', message: 'x', time: 5 })]);
    await h.store.close();
    const store = await h.reopen();
    store.append([makeEntry({ source: 'a', message: 'x', time: 5 })]);
    expect((await allPages(store)).map((e) => e.message)).toEqual(['x', 'x']);
  });
});
