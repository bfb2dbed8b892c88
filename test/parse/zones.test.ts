// Zone-less times in zones with daylight saving time. A source without a `timezone` reads its times in
// the process zone (the "local" path), one with a `timezone` through Intl (the "iana" path); both cache
// the start of the last hour. vitest.config.ts runs this file with TZ=UTC, America/New_York and
// Australia/Lord_Howe (whose DST shift is 30 minutes, so an hour's offset can change at minute 30).
// The check is a round trip: take a real instant, write its wall clock in the zone as a log would,
// and the resolver must give back an instant with that same wall clock (the instant itself, except
// where the wall clock occurs twice at the end of DST).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimeResolver } from '../../src/parse/time/resolver.ts';
import { findTimestamp, newTimestampMatch } from '../../src/parse/time/timestamps.ts';

const PROCESS_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;
const DST_ZONES = ['America/New_York', 'Australia/Lord_Howe', 'Europe/Berlin'];
const MINUTE = 60_000;

interface Wall { y: number; mo: number; d: number; h: number; mi: number; s: number; ms: number }

const formatters = new Map<string, Intl.DateTimeFormat>();
/** The wall clock of `t` in `zone`, written by Intl (independent of the resolver's arithmetic). */
function wallOf(t: number, zone: string): Wall {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(t).map((p) => [p.type, Number(p.value)]));
  return { y: parts.year!, mo: parts.month!, d: parts.day!, h: parts.hour!, mi: parts.minute!, s: parts.second!, ms: ((t % 1000) + 1000) % 1000 };
}

/** UTC instants where the zone's offset changes, in [from, to): found by hourly steps, then bisection. */
function transitions(zone: string, from: number, to: number): number[] {
  const offset = (t: number) => {
    const w = wallOf(t, zone);
    return Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s) - Math.floor(t / 1000) * 1000;
  };
  const out: number[] = [];
  for (let t = from; t < to; t += 3_600_000) {
    if (offset(t) === offset(t + 3_600_000)) continue;
    let lo = t;
    let hi = t + 3_600_000;
    while (hi - lo > MINUTE) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
      if (offset(mid) === offset(lo)) lo = mid;
      else hi = mid;
    }
    out.push(hi);
  }
  return out;
}

/** Checks one zone reading (local when `zone` is undefined) over instants, in order, with one resolver. */
function roundTrips(zone: string | undefined, instants: readonly number[]): string[] {
  const name = zone ?? PROCESS_ZONE;
  const r = new TimeResolver(() => Date.UTC(2027, 0, 1));
  r.setZone(zone);
  const bad: string[] = [];
  for (const t of instants) {
    const w = wallOf(t, name);
    const got = r.fields(w.y, w.mo, w.d, w.h, w.mi, w.s, w.ms, NaN);
    if (!(got === got) || JSON.stringify(wallOf(got, name)) !== JSON.stringify(w)) {
      bad.push(`${new Date(t).toISOString()} written ${JSON.stringify(w)} read as ${Number.isNaN(got) ? 'NaN' : new Date(got).toISOString()}`);
    }
  }
  return bad;
}

/** Every 5 minutes for 3 hours either side of each transition of 2024–2026. */
function aroundTransitions(zone: string): number[] {
  const out: number[] = [];
  for (const tr of transitions(zone, Date.UTC(2024, 0, 1), Date.UTC(2027, 0, 1))) {
    for (let t = tr - 3 * 3_600_000; t <= tr + 3 * 3_600_000; t += 5 * MINUTE) out.push(t + 1234);
  }
  return out;
}

describe(`zone-less times (process zone ${PROCESS_ZONE})`, () => {
  it('finds the DST transitions it tests (the zone data is there)', () => {
    expect(transitions('America/New_York', Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1))).toEqual([Date.UTC(2026, 2, 8, 7), Date.UTC(2026, 10, 1, 6)]);
    expect(transitions('Australia/Lord_Howe', Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1))).toEqual([Date.UTC(2026, 3, 4, 15), Date.UTC(2026, 9, 3, 15, 30)]);
  });

  for (const zone of DST_ZONES) {
    it(`reads the wall clock of ${zone} back to its instant around every transition (configured zone)`, () => {
      expect(roundTrips(zone, aroundTransitions(zone)).slice(0, 5)).toEqual([]);
    });
  }

  it('reads the process zone (no `timezone` configured) back to its instant around every transition', () => {
    const instants = PROCESS_ZONE === 'UTC' ? aroundTransitions('America/New_York') : aroundTransitions(PROCESS_ZONE);
    expect(roundTrips(undefined, instants).slice(0, 5)).toEqual([]);
  });

  it('reads random instants back, in the process zone and a configured one, with one resolver each', () => {
    const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) });
    fc.assert(
      fc.property(fc.array(instant, { minLength: 1, maxLength: 20 }), (list) => {
        expect(roundTrips(undefined, list)).toEqual([]);
        expect(roundTrips('Australia/Lord_Howe', list)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('infers the year of a year-less line in the process zone, DST included', () => {
    // Syslog lines around the spring-forward and fall-back of the process zone (or New York under UTC).
    const zone = PROCESS_ZONE === 'UTC' ? 'America/New_York' : PROCESS_ZONE;
    const r = new TimeResolver(() => Date.UTC(2026, 11, 31));
    r.setZone(PROCESS_ZONE === 'UTC' ? zone : undefined);
    const m = newTimestampMatch();
    const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const bad: string[] = [];
    for (const tr of transitions(zone, Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1))) {
      for (let t = tr - 2 * 3_600_000; t <= tr + 2 * 3_600_000; t += 10 * MINUTE) {
        const w = wallOf(t, zone);
        const line = `${MON[w.mo - 1]} ${String(w.d).padStart(2)} ${String(w.h).padStart(2, '0')}:${String(w.mi).padStart(2, '0')}:${String(w.s).padStart(2, '0')} host app: x`;
        if (!findTimestamp(line, 0, 40, r, m) || JSON.stringify(wallOf(m.time, zone)) !== JSON.stringify({ ...w, ms: 0 })) {
          bad.push(`${line} -> ${new Date(m.time).toISOString()}`);
        }
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });
});

describe('a year borrowed from a dated column (Thunderbird-style records)', () => {
  it('reads the time with the offset of the borrowed year, not of the inferred one', () => {
    // 11 March is daylight time in New York in 2026 (DST began 8 March) but standard time in 2023
    // (DST began 12 March): 10:00 that day was 15:00 UTC in 2023.
    const r = new TimeResolver(() => Date.UTC(2026, 11, 1));
    r.setZone('America/New_York');
    const m = newTimestampMatch();
    expect(findTimestamp('- 1678546800 2023.03.11 tbird-admin1 Mar 11 10:00:00 local@tbird-admin1 crond: x', 0, 200, r, m)).toBe(true);
    expect(new Date(m.time).toISOString()).toBe('2023-03-11T15:00:00.000Z');
  });

  it('takes the year of the wall clock near New Year, not the UTC year of the inferred instant', () => {
    // 08:00 on 1 January in Tokyo is still 31 December in UTC.
    const r = new TimeResolver(() => Date.UTC(2026, 5, 1));
    r.setZone('Asia/Tokyo');
    const m = newTimestampMatch();
    expect(findTimestamp('- 1735686000 2025.01.01 tbird-admin1 Jan 1 08:00:00 local@tbird-admin1 crond: x', 0, 200, r, m)).toBe(true);
    expect(new Date(m.time).toISOString()).toBe('2024-12-31T23:00:00.000Z');
  });
});
