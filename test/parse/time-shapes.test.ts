// Issue 16: times are never silently wrong. Zone abbreviations, localised month names, TAI64N, ISO
// week and ordinal dates, unpadded fields, epochs by size.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateOfIsoWeek, monthDayOfOrdinal } from '../../src/parse/time/iso-week.ts';
import { monthFromAnyName } from '../../src/parse/time/month-names.ts';
import { TimeResolver } from '../../src/parse/time/resolver.ts';
import { tai64nAt } from '../../src/parse/time/tai64.ts';
import { parseTimeText } from '../../src/parse/time/timestamps.ts';
import { ZONE_ABBREVIATIONS } from '../../src/parse/time/zone-abbrev.ts';
import { iso, NOW, parseOne } from './helpers.ts';

const utc = () => {
  const r = new TimeResolver(() => NOW);
  r.setZone('UTC');
  return r;
};

describe('zone abbreviations', () => {
  it('applies PDT to the PostgreSQL line (the 7-hour error of issue 16)', () => {
    const e = parseOne('2025-08-13 01:45:01.123 PDT [12345] LOG:  database system is ready to accept connections');
    expect(iso(e)).toBe('2025-08-13T08:45:01.123Z');
    expect(e).toMatchObject({ format: 'postgres', level: 'INFO', message: 'database system is ready to accept connections', metadata: { pid: 12345, severity: 'LOG' } });
    expect(e.metadata.timestamp_zone_guessed).toBeUndefined();
    // The same line read by the generic fallback (no PostgreSQL layout) gets the same time.
    expect(iso(parseOne('2025-08-13 01:45:01.123 PDT worker ERROR: disk full'))).toBe('2025-08-13T08:45:01.123Z');
  });

  it.each([...ZONE_ABBREVIATIONS])('reads %s as its offset (%d minutes east)', (abbrev, minutes) => {
    if (abbrev === 'Z') return expect(parseTimeText('2025-01-02T03:04:05Z', utc())).toBe(Date.UTC(2025, 0, 2, 3, 4, 5));
    expect(parseTimeText(`2025-01-02 03:04:05 ${abbrev}`, utc())).toBe(Date.UTC(2025, 0, 2, 3, 4, 5) - minutes * 60_000);
  });

  it('keeps an ambiguous or unknown abbreviation and marks the entry, reading the source zone', () => {
    const ist = parseOne('2025-08-13 01:45:01 IST [1] LOG:  checkpoint starting', { timezone: 'Europe/Dublin' });
    expect(ist.metadata).toMatchObject({ timezone_text: 'IST', timestamp_zone_guessed: true });
    expect(iso(ist)).toBe('2025-08-13T00:45:01.000Z');
    const unknown = parseOne('2025-08-13 01:45:01 XYZT worker started', { timezone: 'UTC' });
    expect(unknown.metadata).toMatchObject({ timezone_text: 'XYZT', timestamp_zone_guessed: true });
    expect(iso(unknown)).toBe('2025-08-13T01:45:01.000Z');
    // A word that only looks like a zone stays in the message.
    expect(unknown.message).toBe('XYZT worker started');
    expect(ist.message).toBe('checkpoint starting');
  });

  it('never takes a level word or an HTTP method after a time for a zone', () => {
    for (const word of ['INFO', 'CRIT', 'WARN', 'GET', 'POST', 'LOG', 'ERROR']) {
      const e = parseOne(`2025-08-13 01:45:01 ${word} something happened`);
      expect(e.metadata.timezone_text, word).toBeUndefined();
      expect(iso(e)).toBe('2025-08-13T01:45:01.000Z');
    }
  });

  it('reads ctime with a zone and the year after it', () => {
    expect(parseTimeText('Sat Apr 27 03:33:07 PDT 2013', utc())).toBe(Date.UTC(2013, 3, 27, 10, 33, 7));
    expect(parseTimeText('Thu Jun 2 08:00:01 UTC 2022', utc())).toBe(Date.UTC(2022, 5, 2, 8, 0, 1));
  });
});

describe('month names in four languages', () => {
  it.each([
    ['janv.', 1], ['févr.', 2], ['mars', 3], ['avr.', 4], ['mai', 5], ['juil.', 7], ['août', 8], ['déc.', 12],
    ['Januar', 1], ['Mär', 3], ['Mrz', 3], ['Okt', 10], ['Dez', 12], ['ene', 1], ['ago', 8], ['dic', 12], ['Sept', 9], ['March', 3],
  ] as const)('%s is month %d', (name, month) => {
    expect(monthFromAnyName(name)).toBe(month);
  });

  it('reads localised syslog headers', () => {
    const fr = parseOne('août 19 11:08:37 host prog[1]: démarrage');
    expect(fr.format).toBe('syslog-rfc3164');
    expect(iso(fr)).toBe('2026-08-19T11:08:37.000Z');
    expect(fr.metadata).toMatchObject({ host: 'host', program: 'prog', pid: 1 });
    expect(iso(parseOne('Okt 3 09:00:00 host kernel: x'))).toBe('2026-10-03T09:00:00.000Z');
    expect(iso(parseOne('dic 24 23:59:59 host cron[7]: y'))).toBe('2025-12-24T23:59:59.000Z');
  });

  it('reads localised dates in text', () => {
    expect(parseTimeText('19 août 2025 11:08:37', utc())).toBe(Date.UTC(2025, 7, 19, 11, 8, 37));
    expect(parseTimeText('3 dic 2024 10:00:00', utc())).toBe(Date.UTC(2024, 11, 3, 10, 0, 0));
  });
});

describe('TAI64N', () => {
  it('reads the daemontools label (2^62 + TAI seconds, 10 s ahead of UTC)', () => {
    // 0x43322583 = 1127359875 TAI seconds = unix 1127359865; 0x0ba4c2b8 ns = 195.3 ms.
    expect(tai64nAt('4000000043322583' + '0ba4c2b8', 0)).toBe(1127359865 * 1000 + 195);
    const e = parseOne('@400000004332258b0ba4c2b8 ERROR: service failed');
    expect(iso(e)).toBe('2005-09-22T03:31:13.195Z');
    expect(e.level).toBe('ERROR');
  });

  it('matches a model over any second and nanosecond', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 4_000_000_000 }), fc.integer({ min: 0, max: 999_999_999 }), (sec, ns) => {
      const label = (BigInt(2) ** 62n + BigInt(sec + 10)).toString(16).padStart(16, '0') + ns.toString(16).padStart(8, '0');
      expect(tai64nAt(label, 0)).toBe(sec * 1000 + Math.floor(ns / 1e6));
    }));
  });

  it('refuses labels that are not 24 hex digits', () => {
    expect(Number.isNaN(tai64nAt('4000000043322583', 0))).toBe(true);
    expect(Number.isNaN(tai64nAt('4000000043322583' + '0ba4c2b8f', 0))).toBe(true);
    expect(Number.isNaN(tai64nAt('5000000043322583' + '0ba4c2b8', 0))).toBe(true);
  });
});

describe('ISO ordinal and week dates', () => {
  it('reads 2012-025T10:22:40', () => {
    expect(iso(parseOne('2012-025T10:22:40 job started'))).toBe('2012-01-25T10:22:40.000Z');
    expect(parseTimeText('2024-366T00:00:00Z', utc())).toBe(Date.UTC(2024, 11, 31));
    expect(Number.isNaN(parseTimeText('2023-366T00:00:00Z', utc()))).toBe(true);
  });

  it('reads week dates, crossing years', () => {
    expect(parseTimeText('2009-W01-1T00:00:00Z', utc())).toBe(Date.UTC(2008, 11, 29));
    expect(parseTimeText('2004-W53-6T12:00:00Z', utc())).toBe(Date.UTC(2005, 0, 1, 12));
  });

  it('matches Date for every ordinal day and every week date', () => {
    fc.assert(fc.property(fc.integer({ min: 1900, max: 2200 }), fc.integer({ min: 1, max: 366 }), (y, doy) => {
      const md = monthDayOfOrdinal(y, doy);
      const date = new Date(Date.UTC(y, 0, doy));
      expect(md).toBe(date.getUTCFullYear() !== y ? -1 : (date.getUTCMonth() + 1) * 32 + date.getUTCDate());
    }));
    fc.assert(fc.property(fc.integer({ min: 1900, max: 2200 }), fc.integer({ min: 1, max: 52 }), fc.integer({ min: 1, max: 7 }), (y, week, weekday) => {
      // Model: the Monday of week 1 is the Monday on or before January 4th.
      const jan4 = Date.UTC(y, 0, 4);
      const monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * 86_400_000;
      const d = new Date(monday + ((week - 1) * 7 + weekday - 1) * 86_400_000);
      expect(dateOfIsoWeek(y, week, weekday)).toBe(d.getUTCFullYear() * 512 + (d.getUTCMonth() + 1) * 32 + d.getUTCDate());
    }));
  });
});

describe('unpadded fields and epochs', () => {
  it('reads the pipe-separated HealthApp line with unpadded minutes and seconds (issue 11)', () => {
    const e = parseOne('20171223-22:16:0:119|Step_LSC|30002312|onStandStepChanged 3579');
    expect(iso(e)).toBe('2017-12-23T22:16:00.119Z');
    expect(iso(parseOne('20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579'))).toBe('2017-12-23T22:15:29.606Z');
  });

  it('reads 2017-1-3 4:05:06', () => {
    expect(iso(parseOne('2017-1-3 4:05:06 WARN disk almost full'))).toBe('2017-01-03T04:05:06.000Z');
  });

  it.each([
    ['1700000000', 1_700_000_000_000],
    ['1700000000123', 1_700_000_000_123],
    ['1700000000123456', 1_700_000_000_123],
    ['1700000000123456789', 1_700_000_000_123],
    ['1700000000.5', 1_700_000_000_500],
  ])('reads the epoch digit string %s by its size', (text, ms) => {
    expect(parseTimeText(text, utc())).toBe(ms);
  });
});

describe('time of day only', () => {
  it('takes the date of the receive time, not of the clock', async () => {
    const { createParserFactory } = await import('../../src/parse/index.ts');
    // The clock says 2026-11-30; the batch was received on 2026-03-01 (a replayed spool, say).
    const parser = createParserFactory({ formats: {}, parse: { multilineTimeoutMs: 250, detectLines: 20 }, clock: () => NOW }).create({ source: 't' });
    const out: import('../../src/types.ts').LogEntry[] = [];
    const receivedAt = Date.UTC(2026, 2, 1, 12, 0, 0);
    parser.push({ lines: ['08:09:33.814936 execve("/bin/ls", ["ls"]) = 0'], receivedAt, timezone: 'UTC' }, out);
    parser.flush(out);
    expect(new Date(out[0]!.time).toISOString()).toBe('2026-03-01T08:09:33.814Z');
  });
});
