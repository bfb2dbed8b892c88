import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TOKENS, minedText, tokenize, WILDCARD } from '../../src/analyze/tokens.ts';

const t = (message: string) => tokenize(message).join(' ');

describe('tokenize', () => {
  it('masks numbers, IPs with ports, hex, UUIDs, dates and durations, keeping keys and brackets', () => {
    expect(t('Accepted password for root from 10.0.0.1 port 22 ssh2')).toBe('Accepted password for root from <*> port <*>');
    expect(t('connect to 10.1.2.3:5432 failed after 30ms')).toBe('connect to <*> failed after <*>');
    expect(t('session (uid=0), pid 0x7fa3 id 123e4567-e89b-12d3-a456-426614174000')).toBe('session (uid=<*>), pid <*> id <*>');
    expect(t('at Fri Jun 17 07:07:00 2005 done')).toBe('at <*> done');
    expect(t('stored 5.2 KB, free 188.0 B')).toBe('stored <*>, free <*>');
  });

  it('masks paths, URLs, e-mails and quoted strings with spaces, not apostrophes', () => {
    expect(t('open /var/www/html/ failed')).toBe('open <*> failed');
    expect(t('GET https://example.com/a?b=c ok')).toBe('GET <*> ok');
    expect(t('mail to bob@example.com sent')).toBe('mail to <*> sent');
    expect(t('acquire tag="View Lock", name=x')).toBe('acquire tag="<*>", name=x');
    expect(t("can't open 'my file' now")).toBe("can't open '<*>' now");
    expect(t('C:\\Windows\\System32\\x.dll loaded')).toBe('<*> loaded');
  });

  it('collapses a run of variables into one, whatever its length', () => {
    expect(t('called (stack @0x1 @0x2 @0x3)')).toBe(t('called (stack @0x1 @0x2 @0x3 @0x4 @0x5)'));
    expect(t('values 1 2 3 4 end')).toBe('values <*> end');
  });

  it('tokenises JSON by its keys, the message field by its words', () => {
    expect(tokenize('{"level":"info","msg":"user 42 logged in","took":12,"ok":true,"req":{"id":"a1"}}')).toEqual([
      'level=info', 'msg=', 'user', WILDCARD, 'logged', 'in', `took=${WILDCARD}`, 'ok=true', `req.id=${WILDCARD}`,
    ]);
    expect(tokenize('{not json')).toEqual(['{not', 'json']);
  });

  it('tokenises logfmt by its keys, the message field by its words', () => {
    expect(tokenize('level=warn msg="disk almost full" path=/var/lib used=93')).toEqual([
      'level=warn', 'msg=', 'disk', 'almost', 'full', `path=${WILDCARD}`, `used=${WILDCARD}`,
    ]);
  });

  it('mines the first line only, and the raw line when the message is empty', () => {
    expect(t('boom\n  at x.y(Z.java:1)')).toBe('boom');
    expect(minedText({ message: '', raw: '2024 Link error' })).toBe('2024 Link error');
    expect(minedText({ message: 'm', raw: 'r' })).toBe('m');
  });

  it('never leaves a digit outside <*> nor more than MAX_TOKENS tokens (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        const tokens = tokenize(text);
        expect(tokens.length).toBeLessThanOrEqual(MAX_TOKENS);
        for (const token of tokens) {
          if (token.startsWith('{')) continue; // JSON keys are kept as written
          const outside = token.split(WILDCARD).join('');
          if (!token.includes('=')) expect(/\d/.test(outside), token).toBe(false);
          expect(token).not.toMatch(/\s/);
        }
      }),
      { numRuns: 500 },
    );
  });
});
