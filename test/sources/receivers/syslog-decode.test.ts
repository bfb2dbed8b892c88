// Syslog messages as they arrive on the wire, into records.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSyslog, rfc3339 } from '../../../src/sources/receivers/syslog-decode.ts';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const PEER = '10.0.0.9';

describe('decodeSyslog', () => {
  it('reads RFC 5424 with structured data, BOM and fractional time with an offset', () => {
    const frame = '<165>1 2026-11-30T10:15:02.123456+01:00 web-1 nginx 4242 ID47 [exampleSDID@32473 iut="3" eventSource="App\\"lication\\]"][meta x="1"] \ufeffGET / 200';
    const r = decodeSyslog(frame, PEER, NOW);
    expect(r).toMatchObject({ source: 'web-1:nginx', line: 'GET / 200', raw: frame, level: 'INFO', time: Date.parse('2026-11-30T09:15:02.123Z') });
    expect(r.metadata).toEqual({
      host: 'web-1', program: 'nginx', pid: 4242, msgid: 'ID47', facility: 'local4', severity: 5, peer: PEER,
      structured_data: { 'exampleSDID@32473': { iut: '3', eventSource: 'App"lication]' }, meta: { x: '1' } },
    });
  });

  it('reads RFC 5424 with every header field nil', () => {
    const r = decodeSyslog('<11>1 - - - - - -', PEER, NOW);
    expect(r).toMatchObject({ source: `${PEER}:syslog`, line: '', level: 'ERROR' });
    expect(r.time).toBeUndefined();
    expect(r.metadata).toEqual({ host: PEER, facility: 'user', severity: 3 });
  });

  it("drops the one stray space rsyslog's RFC 5424 template leaves before a message it got in RFC 3164", () => {
    expect(decodeSyslog('<27>1 2026-12-08T05:50:47+00:00 vm api - - -  db connection failed', PEER, NOW).line).toBe('db connection failed');
    // The separator, the stray space, four spaces of indentation that stay.
    expect(decodeSyslog('<27>1 - vm api - - -      at frame (a.js:1)', PEER, NOW).line).toBe('    at frame (a.js:1)');
    expect(decodeSyslog('<27>1 - vm api - - - text', PEER, NOW).line).toBe('text');
  });

  it('reads RFC 3164 with host and tag[pid], in the local zone with the year inferred', () => {
    const r = decodeSyslog('<38>Nov 30 10:15:02 web-1 sshd[123]: Failed password for root', PEER, NOW);
    expect(r).toMatchObject({ source: 'web-1:sshd', line: 'Failed password for root', level: 'INFO' });
    expect(r.metadata).toMatchObject({ host: 'web-1', program: 'sshd', pid: 123, facility: 'auth', severity: 6 });
    // Tests run with TZ=UTC.
    expect(r.time).toBe(Date.parse('2026-11-30T10:15:02Z'));
    // December seen in January: last year.
    expect(decodeSyslog('<13>Dec 31 23:59:59 h app: x', PEER, Date.parse('2027-01-01T00:00:10Z')).time).toBe(Date.parse('2026-12-31T23:59:59Z'));
    // A day in the future at most: tomorrow's date is this year (clocks drift), the day after is last year's.
    expect(decodeSyslog('<13>Dec  1 11:00:00 h app: x', PEER, NOW).time).toBe(Date.parse('2026-12-01T11:00:00Z'));
    expect(decodeSyslog('<13>Dec  2 13:00:00 h app: x', PEER, NOW).time).toBe(Date.parse('2025-12-02T13:00:00Z'));
  });

  it('reads RFC 3164 without a host (the peer stands in) and a message that has no tag', () => {
    expect(decodeSyslog('<13>Nov 30 10:15:02 cron[7]: job done', PEER, NOW)).toMatchObject({ source: `${PEER}:cron`, line: 'job done', metadata: { host: PEER, program: 'cron', pid: 7 } });
    const r = decodeSyslog('<13>Nov 30 10:15:02 web-1 just a message\n', PEER, NOW);
    expect(r).toMatchObject({ source: 'web-1:syslog', line: 'just a message', raw: '<13>Nov 30 10:15:02 web-1 just a message' });
    expect(r.metadata?.program).toBeUndefined();
  });

  it("reads rsyslog's forward format (RFC 3339 time in the RFC 3164 slot)", () => {
    const r = decodeSyslog('<86>2026-11-30T10:15:02.5-05:00 db-2 postgres[99]: LOG:  checkpoint complete', PEER, NOW);
    expect(r).toMatchObject({ source: 'db-2:postgres', line: 'LOG:  checkpoint complete', time: Date.parse('2026-11-30T15:15:02.500Z') });
  });

  it('keeps anything else as a message: no PRI is user.notice, a bad PRI is text', () => {
    expect(decodeSyslog('hello world', PEER, NOW)).toMatchObject({ line: 'hello world', level: 'INFO', metadata: { facility: 'user', severity: 5, host: PEER } });
    expect(decodeSyslog('<999>hello', PEER, NOW)).toMatchObject({ line: '<999>hello' });
    expect(decodeSyslog('<13>1 not-a-time h a p m - x', PEER, NOW)).toMatchObject({ line: '1 not-a-time h a p m - x' });
  });

  it('maps every severity to a level as the syslog file format does', () => {
    const levels = [0, 1, 2, 3, 4, 5, 6, 7].map((s) => decodeSyslog(`<${8 + s}>x`, PEER, NOW).level);
    expect(levels).toEqual(['CRITICAL', 'CRITICAL', 'CRITICAL', 'ERROR', 'WARNING', 'INFO', 'INFO', 'DEBUG']);
  });

  it('never throws, and the raw text is the frame without its terminator', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((s) => `<${s.length % 200}>1 ${s}`), fc.string().map((s) => `<13>Nov 30 10:15:02 ${s}`)), (frame) => {
        const r = decodeSyslog(frame, PEER, NOW);
        expect(frame.startsWith(r.raw!)).toBe(true);
        expect(r.source).toMatch(/^[^\u0000-\u001f]+:[^\u0000-\u001f]+$/);
        expect(typeof r.line).toBe('string');
      }),
    );
  });
});

describe('rfc3339', () => {
  it('agrees with Date.parse on millisecond-precision times in any offset', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1971-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }), fc.integer({ min: -14 * 60, max: 14 * 60 }), (date, offset) => {
        const shifted = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 23);
        const sign = offset < 0 ? '-' : '+';
        const abs = Math.abs(offset);
        const text = `${shifted}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
        expect(rfc3339(text)).toBe(date.getTime());
      }),
    );
    expect(rfc3339('2026-13-01T00:00:00Z')).toBeNaN();
  });
});
