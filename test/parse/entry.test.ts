// Entries whose metadata is built from the raw line on first read (access and JSON lines): callers see
// the same metadata as if it had been built at once, and per-entry counters can read `status` alone.
import { describe, expect, it } from 'vitest';
import { metadataField, ParsedEntry } from '../../src/parse/entry.ts';
import { appendLine } from '../../src/parse/multiline.ts';
import { toEntryJson } from '../../src/types.ts';
import { parseOne } from './helpers.ts';

const ACCESS = '203.0.113.9 - bob [30/Nov/2026:10:15:02 +0000] "POST /api/cart HTTP/1.1" 503 17 "https://shop.example.com/" "curl/8.0" 0.25';
const JSON_LINE = '{"level":"warn","msg":"slow","time":"2026-11-30T10:15:02.123Z","status":429,"req":{"path":"/a"}}';

describe('metadata built on first read', () => {
  it('access: the metadata read later is the full set of fields, the same object every time', () => {
    const e = parseOne(ACCESS) as ParsedEntry;
    expect(e.metadataDeferred).toBe(true);
    expect(metadataField(e, 'status')).toBe(503);
    expect(e.metadataDeferred).toBe(true);
    const m = e.metadata;
    expect(m).toEqual({
      ip: '203.0.113.9', method: 'POST', path: '/api/cart', protocol: 'HTTP/1.1', status: 503, bytes: 17,
      referer: 'https://shop.example.com/', user_agent: 'curl/8.0', request_time: 0.25, user: 'bob',
    });
    expect(e.metadata).toBe(m);
    expect(e.metadataDeferred).toBe(false);
  });

  it('JSON: the metadata is the object minus level, message and time; status is readable without it', () => {
    const e = parseOne(JSON_LINE) as ParsedEntry;
    expect(metadataField(e, 'status')).toBe(429);
    expect(e.metadataDeferred).toBe(true);
    // Any other field is read from the built metadata.
    expect(metadataField(e, 'absent')).toBeUndefined();
    expect(e.metadataDeferred).toBe(false);
    expect(toEntryJson(e).metadata).toEqual({ status: 429, req: { path: '/a' } });
    expect(metadataField(e, 'req')).toEqual({ path: '/a' });
  });

  it('a nested status is read by building the metadata', () => {
    const e = parseOne('{"msg":"x","status":{"code":500}}') as ParsedEntry;
    expect(metadataField(e, 'status')).toEqual({ code: 500 });
    expect(e.metadataDeferred).toBe(false);
  });

  it('writing metadata replaces it, and appending a line builds it from the line first', () => {
    const e = parseOne(ACCESS) as ParsedEntry;
    e.metadata = { replaced: true };
    expect(e.metadata).toEqual({ replaced: true });
    const f = parseOne(JSON_LINE) as ParsedEntry;
    appendLine(f, '  continued');
    expect(f.raw).toBe(`${JSON_LINE}\n  continued`);
    expect(f.metadata).toEqual({ status: 429, req: { path: '/a' } });
  });

  it('entries from any other source read their metadata as before', () => {
    const plain = { id: 1, time: 0, level: 'INFO' as const, message: 'm', source: 's', format: 'x', metadata: { status: 200 }, raw: 'm', receivedAt: 0 };
    expect(metadataField(plain, 'status')).toBe(200);
  });
});
