import { describe, expect, it } from 'vitest';
import { epochToMs } from '../../src/parse/time/epoch.ts';
import { TimeResolver } from '../../src/parse/time/resolver.ts';
import { findTimestamp, newTimestampMatch, parseTimeText } from '../../src/parse/time/timestamps.ts';
import { isValidTimeZone } from '../../src/parse/time/zones.ts';

const at = (iso: string) => () => Date.parse(iso);

function resolver(now: string, zone?: string): TimeResolver {
  const r = new TimeResolver(at(now));
  r.setZone(zone);
  return r;
}

function find(line: string, r: TimeResolver): string | null {
  const m = newTimestampMatch();
  return findTimestamp(line, 0, 200, r, m) ? new Date(m.time).toISOString() : null;
}

describe('timestamps', () => {
  it('reads zone-less times in the configured zone, DST included', () => {
    const berlin = resolver('2026-11-30T12:00:00Z', 'Europe/Berlin');
    expect(berlin.fields(2026, 7, 1, 12, 0, 0, 0, NaN)).toBe(Date.parse('2026-07-01T10:00:00Z'));
    expect(berlin.fields(2026, 12, 1, 12, 0, 0, 0, NaN)).toBe(Date.parse('2026-12-01T11:00:00Z'));
    const ny = resolver('2026-11-30T12:00:00Z', 'America/New_York');
    expect(ny.fields(2026, 3, 8, 3, 30, 0, 0, NaN)).toBe(Date.parse('2026-03-08T07:30:00Z'));
  });

  it('lets a zone written in the line win over the configured one', () => {
    const r = resolver('2026-11-30T12:00:00Z', 'Asia/Tokyo');
    expect(find('2026-11-30T10:15:02.123+01:00 msg', r)).toBe('2026-11-30T09:15:02.123Z');
    expect(find('2026-11-30 10:15:02Z msg', r)).toBe('2026-11-30T10:15:02.000Z');
    expect(find('[30/Nov/2026:10:15:02 -0500] x', r)).toBe('2026-11-30T15:15:02.000Z');
  });

  it('accepts UTC and fixed offsets as configured zones', () => {
    expect(resolver('2026-01-01T00:00:00Z', 'UTC').fields(2026, 1, 1, 0, 0, 0, 0, NaN)).toBe(Date.parse('2026-01-01T00:00:00Z'));
    expect(resolver('2026-01-01T00:00:00Z', '+05:30').fields(2026, 1, 1, 5, 30, 0, 0, NaN)).toBe(Date.parse('2026-01-01T00:00:00Z'));
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('-0800')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });

  it('infers a missing year, never more than a day ahead of the clock (New Year)', () => {
    const newYear = resolver('2027-01-01T00:10:00Z', 'UTC');
    expect(new Date(newYear.yearless(12, 31, 23, 59, 58, 0, NaN)).toISOString()).toBe('2026-12-31T23:59:58.000Z');
    expect(new Date(newYear.yearless(1, 1, 0, 9, 0, 0, NaN)).toISOString()).toBe('2027-01-01T00:09:00.000Z');
    const eve = resolver('2026-12-31T23:00:00Z', 'UTC');
    // A clock slightly behind the writer: early on Jan 1 is next year, not 364 days ago.
    expect(new Date(eve.yearless(1, 1, 0, 30, 0, 0, NaN)).toISOString()).toBe('2027-01-01T00:30:00.000Z');
    expect(new Date(eve.yearless(1, 2, 12, 0, 0, 0, NaN)).toISOString()).toBe('2026-01-02T12:00:00.000Z');
  });

  it('finds February 29 in the last leap year', () => {
    const r = resolver('2027-03-10T00:00:00Z', 'UTC');
    expect(new Date(r.yearless(2, 29, 10, 0, 0, 0, NaN)).toISOString()).toBe('2024-02-29T10:00:00.000Z');
  });

  it('keeps milliseconds and cuts finer fractions', () => {
    const r = resolver('2026-11-30T12:00:00Z', 'UTC');
    expect(find('2025-04-24T19:51:48.520963849Z x', r)).toBe('2025-04-24T19:51:48.520Z');
    expect(find('2016-12-19 16:31:46,143 INFO', r)).toBe('2016-12-19T16:31:46.143Z');
    expect(find('2026-11-30 10:15:02.5 x', r)).toBe('2026-11-30T10:15:02.500Z');
  });

  it('reads the shapes real logs write', () => {
    const r = resolver('2026-11-30T12:00:00Z', 'UTC');
    const cases: Array<[string, string]> = [
      ['- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02 RAS KERNEL INFO x', '2005-06-03T15:42:50.675Z'],
      ['03-17 16:13:38.811  1702  2395 D WindowManager: x', '2026-03-17T16:13:38.811Z'],
      ['[Sun Dec 04 04:47:44 2005] [notice] x', '2005-12-04T04:47:44.000Z'],
      ['2016/10/25 14:49:34 [error] 1#0: x', '2016-10-25T14:49:34.000Z'],
      ['20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579', '2017-12-23T22:15:29.606Z'],
      ['[10.30 16:49:06] chrome.exe - proxy:5070 open', '2026-10-30T16:49:06.000Z'],
      ['Nov  3 09:23:38 veridian automount[7998]: x', '2026-11-03T09:23:38.000Z'],
      ['Nov 30, 2026 10:15:02 PM org.apache.Foo run', '2026-11-30T22:15:02.000Z'],
      ['nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 25746 INFO x', '2017-05-16T00:00:00.008Z'],
      ['Mon, 30 Nov 2026 10:15:02 +0100 x', '2026-11-30T09:15:02.000Z'],
      ['30.11.2026 10:15:02 x', '2026-11-30T10:15:02.000Z'],
      ['11/30/2026 10:15:02 AM x', '2026-11-30T10:15:02.000Z'],
    ];
    for (const [line, iso] of cases) expect(find(line, r), line).toBe(iso);
  });

  it('takes the year of a dated column for a year-less time (Thunderbird)', () => {
    const r = resolver('2026-11-30T12:00:00Z', 'UTC');
    expect(find('- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 crond[2915]: x', r)).toBe('2005-11-09T12:01:01.000Z');
  });

  it('finds no time in lines without one, and NaN for impossible dates', () => {
    const r = resolver('2026-11-30T12:00:00Z', 'UTC');
    for (const line of ['hello world', '134681 node-246 unix.hw state_change 1 Component', 'version 6005-08b4-0001', '']) expect(find(line, r), line).toBeNull();
    expect(r.fields(2026, 2, 30, 0, 0, 0, 0, NaN)).toBeNaN();
    expect(r.fields(2026, 13, 1, 0, 0, 0, 0, NaN)).toBeNaN();
    expect(r.fields(2026, 1, 1, 25, 0, 0, 0, NaN)).toBeNaN();
    expect(parseTimeText('not a time', r)).toBeNaN();
  });

  it('reads epochs in seconds, milliseconds, microseconds and nanoseconds', () => {
    const ms = Date.parse('2025-04-24T22:08:37.537Z');
    expect(epochToMs(ms / 1000)).toBe(ms);
    expect(epochToMs(ms)).toBe(ms);
    expect(epochToMs(ms * 1000)).toBe(ms);
    expect(epochToMs(ms * 1e6)).toBe(ms);
    const r = resolver('2026-11-30T12:00:00Z', 'UTC');
    expect(parseTimeText('1646861401.5241024', r)).toBe(1646861401524);
    expect(parseTimeText(String(ms), r)).toBe(ms);
  });
});
