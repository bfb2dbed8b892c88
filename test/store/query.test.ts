// The shared entry filter's host field: entries of one sending host, from the API, the stream and the dashboard.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFilter, entryFilterQuerySchema, isEmptyFilter } from '../../src/store/query.ts';
import { entry } from './helpers.ts';

describe('the host filter', () => {
  it('keeps exactly the entries whose metadata.host is the host, with the other filters', () => {
    const hosts = ['web-1', 'web-2', undefined];
    fc.assert(
      fc.property(fc.array(fc.record({ host: fc.constantFrom(...hosts), level: fc.constantFrom('INFO' as const, 'ERROR' as const) }), { maxLength: 40 }), fc.constantFrom('web-1', 'web-2'), (rows, host) => {
        const entries = rows.map((r) => entry({ level: r.level, metadata: r.host === undefined ? {} : { host: r.host } }));
        const byHost = entries.filter(compileFilter({ host }));
        expect(byHost).toEqual(entries.filter((e) => e.metadata.host === host));
        const errors = entries.filter(compileFilter({ host, level: 'ERROR' }));
        expect(errors).toEqual(entries.filter((e) => e.metadata.host === host && e.level === 'ERROR'));
      }),
    );
  });

  it('comes from the query string, empty meaning none', () => {
    expect(entryFilterQuerySchema.parse({ host: 'web-1' })).toEqual({ host: 'web-1' });
    expect(entryFilterQuerySchema.parse({ host: '' })).toEqual({});
    expect(isEmptyFilter({ host: 'web-1' })).toBe(false);
    expect(entryFilterQuerySchema.safeParse({ host: 'x'.repeat(2000) }).success).toBe(false);
  });
});
