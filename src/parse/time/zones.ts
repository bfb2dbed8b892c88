// Zones: which names mean UTC, fixed offsets, IANA zones through Intl, and a zone written in a line.
// An unknown zone is never an exception here: validation happens at config load (isValidTimeZone).
import { isDigitCode, digitsAt, isWordCode } from '../digits.ts';
import { daysFromCivil, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE } from './calendar.ts';
import { zoneAbbreviationAt, type ZoneAbbreviation } from './zone-abbrev.ts';

export type ZoneKind = 'local' | 'utc' | 'fixed' | 'iana';

export const UTC_NAMES = new Set(['utc', 'etc/utc', 'gmt', 'etc/gmt', 'z', 'uct', 'etc/uct', 'universal', 'etc/universal', 'zulu', 'etc/zulu', 'gmt0', 'etc/gmt0', 'gmt+0', 'gmt-0']);

const formatters = new Map<string, Intl.DateTimeFormat | null>();

export function ianaFormatter(zone: string): Intl.DateTimeFormat | null {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
        hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch {
      formatter = null;
    }
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** True when `zone` is an IANA zone name this runtime knows, `UTC`, or a fixed offset like `+05:30`. */
export function isValidTimeZone(zone: string): boolean {
  return UTC_NAMES.has(zone.toLowerCase()) || parseOffsetMinutes(zone) !== undefined || ianaFormatter(zone) !== null;
}

/** Minutes east of UTC of `+hh:mm`, `-hhmm`, `+hh`; undefined for anything else. */
export function parseOffsetMinutes(text: string): number | undefined {
  const m = /^([+-])(\d\d):?(\d\d)?$/.exec(text);
  if (m === null) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return minutes > 18 * 60 ? undefined : m[1] === '-' ? -minutes : minutes;
}

/** Offset east of UTC, in minutes, that an IANA zone has at a UTC instant. */
export function ianaOffsetMinutes(formatter: Intl.DateTimeFormat, utc: number): number {
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  for (const part of formatter.formatToParts(utc)) {
    switch (part.type) {
      case 'year': y = Number(part.value); break;
      case 'month': mo = Number(part.value); break;
      case 'day': d = Number(part.value); break;
      case 'hour': h = Number(part.value); break;
      case 'minute': mi = Number(part.value); break;
      case 'second': s = Number(part.value); break;
    }
  }
  const wall = daysFromCivil(y, mo, d) * MS_PER_DAY + h * MS_PER_HOUR + mi * MS_PER_MINUTE + s * 1000;
  return Math.round((wall - Math.floor(utc / 1000) * 1000) / MS_PER_MINUTE);
}

/**
 * Reads a zone written at `i`: `Z`, `UTC`, `GMT`, `±hh:mm`, `±hhmm`, `±hh`, optionally after one space,
 * or after one space an abbreviation (zone-abbrev.ts: `PDT` applied; `IST` read as guessed, see lastZoneGuess).
 * Returns minutes east of UTC (NaN if none) and sets what `lastZoneEnd()` returns.
 */
let zoneEnd = 0;

/** Index after the zone the last successful zoneAt read (one scanner runs at a time: no allocation). */
export function lastZoneEnd(): number {
  return zoneEnd;
}

/** An uncertain abbreviation the last zoneAt read (its offset NaN, lastZoneEnd() after it); '' otherwise. */
let zoneGuess = '';

/** The abbreviation whose offset the last zoneAt could not be sure of (issue 16); '' when it read none such. */
export function lastZoneGuess(): string {
  return zoneGuess;
}

/** lastZoneGuess(), cleared: a match takes it once, so a shape that reads no zone never inherits one. */
export function takeZoneGuess(): string {
  const guess = zoneGuess;
  zoneGuess = '';
  return guess;
}

const abbreviation: ZoneAbbreviation = { offset: NaN, guessed: '', end: 0, consumed: false };

export function zoneAt(s: string, i: number): number {
  zoneGuess = '';
  let j = i;
  if (s.charCodeAt(j) === 32) j++;
  const c = s.charCodeAt(j);
  // `01:45:01.123 PDT`: after one space, an abbreviation (UTC and GMT with an offset are read below).
  if (j === i + 1 && c >= 65 && c <= 90 && !((c === 85 || c === 71) && (s.charCodeAt(j + 3) === 43 || s.charCodeAt(j + 3) === 45))) {
    const z = zoneAbbreviationAt(s, j, abbreviation);
    if (z !== null) {
      zoneEnd = z.consumed ? z.end : i;
      zoneGuess = z.guessed;
      return z.offset;
    }
  }
  if (c === 90 /* Z */ && !isWordCode(s.charCodeAt(j + 1))) {
    zoneEnd = j + 1;
    return 0;
  }
  if ((c === 85 /* U */ && s.startsWith('UTC', j)) || (c === 71 /* G */ && s.startsWith('GMT', j))) {
    const after = s.charCodeAt(j + 3);
    if (after === 43 || after === 45) {
      const offset = zoneAt(s, j + 3);
      if (offset === offset) return offset;
    }
    if (!isWordCode(after)) {
      zoneEnd = j + 3;
      return 0;
    }
    return NaN;
  }
  if (c === 43 || c === 45) {
    const hh = digitsAt(s, j + 1, 2);
    if (hh < 0 || hh > 18) return NaN;
    let mm = 0;
    let end = j + 3;
    if (s.charCodeAt(end) === 58) {
      mm = digitsAt(s, end + 1, 2);
      if (mm < 0) return NaN;
      end += 3;
    } else if (isDigitCode(s.charCodeAt(end))) {
      mm = digitsAt(s, end, 2);
      if (mm < 0) return NaN;
      end += 2;
    } else if (j !== i) {
      // " -05" after a space is too likely to be something else (a dash separator and a number).
      return NaN;
    }
    if (isDigitCode(s.charCodeAt(end))) return NaN;
    zoneEnd = end;
    const minutes = hh * 60 + mm;
    return c === 45 ? -minutes : minutes;
  }
  return NaN;
}
