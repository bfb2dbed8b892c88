import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SOURCE_BYTES, sanitizeSourceName, sourceNameProblem } from '../../src/sources/source-name.ts';
import { createApp } from '../../src/app.ts';
import { fakeContext } from '../web/fake-context.ts';

/** The documented rule, written the slow obvious way. */
function naiveOk(name: string): boolean {
  if (name === '' || Buffer.byteLength(name, 'utf8') > MAX_SOURCE_BYTES) return false;
  for (const ch of name) {
    const cp = ch.codePointAt(0)!;
    if (cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) return false;
    if (cp >= 0xd800 && cp <= 0xdfff) return false; // a lone surrogate (pairs are iterated as one code point)
  }
  return !name.split('/').flatMap((s) => s.split('\\')).includes('..');
}

describe('source names', () => {
  it('refuses .. segments, control characters, NUL, bidi overrides and more than 255 bytes', () => {
    for (const bad of ['../../etc/x', 'a/../b', '..', 'a\\..\\b', 'a\u0000b', 'a\nb', 'tab\there', 'x\u007f', 'x\u0085', 'evil\u202etxt.exe', '', 'é'.repeat(128), 'a'.repeat(256), '\ud800x']) {
      expect(sourceNameProblem(bad), JSON.stringify(bad)).not.toBeNull();
    }
    for (const good of ['http', 'web-1/nginx', 'a..b', '...', '.hidden', 'app.log', 'ünïcode ✓', '日本', 'a'.repeat(255), '😀'.repeat(63)]) {
      expect(sourceNameProblem(good), JSON.stringify(good)).toBeNull();
    }
  });

  it('agrees with the naive rule on arbitrary strings', () => {
    const alphabet = fc.constantFrom('a', '.', '/', '\\', '\u0000', '\n', '\u007f', '\u0090', '\u202e', 'é', '😀', '\ud800', ' ');
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: alphabet, maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 })), (name) => {
        expect(sourceNameProblem(name) === null).toBe(naiveOk(name));
      }),
      { numRuns: 2000 },
    );
  });

  it('POST /api/ingest answers 400 naming the problem and stores nothing', async () => {
    const ctx = fakeContext();
    const web = createApp(ctx);
    try {
      for (const source of ['../../etc/x', 'a%00b', 'x'.repeat(256)]) {
        const res = await web.app.request(`/api/ingest?source=${source}`, { method: 'POST', body: 'line' });
        expect(res.status, source).toBe(400);
        expect((await res.json()).error).toMatch(/source/);
      }
      const header = await web.app.request('/api/ingest', { method: 'POST', body: 'line', headers: { 'X-Log-Source': 'a/../b' } });
      expect(header.status).toBe(400);
      expect(ctx.spool.accepted).toEqual([]);
    } finally {
      web.close();
    }
  });

  it('sanitizeSourceName (receivers) always yields a valid name, keeps valid names, and keeps what it can of bad ones', () => {
    const alphabet = fc.constantFrom('a', '.', '/', '\\', '\u0000', '\n', '\u007f', '\u0090', '\u202e', 'é', '😀', '\ud800', '\udc00', ' ');
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: alphabet, maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 400 })), (name) => {
        const clean = sanitizeSourceName(name, 'fallback');
        expect(naiveOk(clean), JSON.stringify(clean)).toBe(true);
        if (naiveOk(name)) expect(clean).toBe(name);
        // Nothing is added or reordered: each kept character is the original or its one-character stand-in.
        else if (name !== '') expect([...clean].length).toBeLessThanOrEqual([...name].length);
      }),
      { numRuns: 2000 },
    );
    expect(sanitizeSourceName('web\u202e1:../../etc')).toBe('web_1:../__/etc');
    expect(sanitizeSourceName('a/' + '.'.repeat(300))).toBe('a/' + '.'.repeat(253));
    expect(sanitizeSourceName('x/' + 'a'.repeat(250) + '/..x')).toBe('x/' + 'a'.repeat(250) + '/__');
    expect(sanitizeSourceName('\u0000'.slice(1), 'fb')).toBe('fb');
  });
});
