import { describe, expect, it } from 'vitest';
import { LogStore } from '../../src/store/log-store.ts';
import { compileFilter, entryFilterQuerySchema } from '../../src/store/query.ts';
import { entry } from './helpers.ts';

describe('LogStore', () => {
  it('assigns consecutive ids from 1 and keeps only the newest `capacity` entries', () => {
    const store = new LogStore(3);
    store.append([entry(), entry()]);
    store.append([entry(), entry(), entry()]);
    expect(store.lastId).toBe(5);
    expect(store.all().map((e) => e.id)).toEqual([3, 4, 5]);
    expect(store.byId(2)).toBeUndefined();
    expect(store.byId(4)?.id).toBe(4);
  });

  it('query returns the last `limit` matches, oldest first', () => {
    const store = new LogStore(100);
    store.append(Array.from({ length: 10 }, (_, i) => entry({ level: i % 2 === 0 ? 'ERROR' : 'INFO', message: `m${i}` })));
    const errors = store.query(compileFilter({ level: 'ERROR' }), 3);
    expect(errors.map((e) => e.message)).toEqual(['m4', 'm6', 'm8']);
  });

  it('after(id) replays exactly the entries newer than id that are still held', () => {
    const store = new LogStore(5);
    store.append(Array.from({ length: 8 }, () => entry()));
    const all = compileFilter({});
    expect(store.after(5, all).map((e) => e.id)).toEqual([6, 7, 8]);
    expect(store.after(0, all).map((e) => e.id)).toEqual([4, 5, 6, 7, 8]);
    expect(store.after(8, all)).toEqual([]);
    expect(store.after(99, all)).toEqual([]);
    expect(store.after(0, all, 2).map((e) => e.id)).toEqual([7, 8]);
  });
});

describe('filters', () => {
  const entries = [
    entry({ level: 'DEBUG', message: 'cache warm', source: 'a.log' }),
    entry({ level: 'WARNING', message: 'Disk almost FULL', source: 'b.log' }),
    entry({ level: 'ERROR', message: 'connection refused', source: 'a.log', raw: '2026 ERROR db connection refused' }),
    entry({ level: 'UNKNOWN', message: 'no level here', source: 'a.log' }),
  ];
  const messages = (filter: Parameters<typeof compileFilter>[0]) => entries.filter(compileFilter(filter)).map((e) => e.message);

  it('level is a minimum severity', () => {
    expect(messages({ level: 'WARNING' })).toEqual(['Disk almost FULL', 'connection refused']);
    expect(messages({ level: 'DEBUG' })).toEqual(['cache warm', 'Disk almost FULL', 'connection refused']);
  });

  it('source is exact', () => {
    expect(messages({ source: 'b.log' })).toEqual(['Disk almost FULL']);
    expect(messages({ source: 'b' })).toEqual([]);
  });

  it('q is a case-insensitive substring of the message or raw line', () => {
    expect(messages({ q: 'full' })).toEqual(['Disk almost FULL']);
    expect(messages({ q: 'db conn' })).toEqual(['connection refused']);
  });

  it('q is a regex when asked', () => {
    expect(messages({ q: '^(cache|disk)', regex: true })).toEqual(['cache warm', 'Disk almost FULL']);
  });

  it('filters combine with AND', () => {
    expect(messages({ level: 'ERROR', source: 'a.log', q: 'refused' })).toEqual(['connection refused']);
    expect(messages({ level: 'ERROR', source: 'b.log' })).toEqual([]);
  });

  it('the query-string schema accepts lower case levels and WARN, and rejects unknown levels and bad regexes', () => {
    expect(entryFilterQuerySchema.parse({ level: 'warn', q: '' })).toEqual({ level: 'WARNING' });
    expect(entryFilterQuerySchema.parse({ level: 'error', regex: 'true', q: 'a+' })).toEqual({ level: 'ERROR', regex: true, q: 'a+' });
    expect(entryFilterQuerySchema.safeParse({ level: 'LOUD' }).success).toBe(false);
    expect(entryFilterQuerySchema.safeParse({ q: '(', regex: '1' }).success).toBe(false);
  });
});
