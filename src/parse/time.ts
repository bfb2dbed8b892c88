// Timestamps: written wall-clock fields → ms since the epoch, UTC. A zone written in the line wins; else
// the source's configured zone; else the process's local zone. A missing year is inferred so that the
// time is never more than a day ahead of the (injectable) clock. Nothing here throws: an impossible
// time is NaN and the caller falls back to the receive time.
import type { Clock } from '../types.ts';
// issue 16: zone abbreviations, month names in four languages, TAI64N, ISO week and ordinal dates.
import { ANY_MONTH_RE, monthFromAnyName } from './month-names.ts';
import { ordinalOrWeekAt, ordinalOrWeekEnd } from './time-iso-week.ts';
import { tai64nAt, TAI64N_DIGITS } from './time-tai64.ts';
import { zoneAbbreviationAt, type ZoneAbbreviation } from './time-zone-abbrev.ts';

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;
/** How far ahead of the clock an inferred (year-less) time may lie. */
const FUTURE_SLACK_MS = MS_PER_DAY;

// ---------------------------------------------------------------------------------------------------
// Calendar arithmetic (no Date objects on the hot path)

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function validFields(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  return (
    y >= 1 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) &&
    h >= 0 && h <= 24 && mi >= 0 && mi <= 59 && s >= 0 && s <= 60
  );
}

/** UTC ms of wall-clock fields read as UTC; NaN when the fields are not a real time. */
export function utcMs(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
  if (!validFields(y, mo, d, h, mi, s)) return NaN;
  return daysFromCivil(y, mo, d) * MS_PER_DAY + h * MS_PER_HOUR + mi * MS_PER_MINUTE + s * 1000 + ms;
}

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

/** Month number (1–12) of an English month name or its 3-letter abbreviation, any case; 0 if none. */
export function monthFromName(name: string): number {
  if (name.length < 3) return 0;
  const month = MONTHS[name.slice(0, 3).toLowerCase()] ?? 0;
  if (month === 0 || name.length === 3) return month;
  const full = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'][month - 1]!;
  const lower = name.toLowerCase();
  return lower === full || (month === 9 && lower === 'sept') ? month : 0;
}

/** Month number of the 3 letters at `i` (`Jan`..`Dec`, any case); 0 if none. No allocation. */
export function monthAt(s: string, i: number): number {
  const a = s.charCodeAt(i) | 32;
  const b = s.charCodeAt(i + 1) | 32;
  const c = s.charCodeAt(i + 2) | 32;
  switch (a) {
    case 106: // j
      if (b === 97 && c === 110) return 1; // jan
      if (b === 117 && c === 110) return 6; // jun
      if (b === 117 && c === 108) return 7; // jul
      return 0;
    case 102: return b === 101 && c === 98 ? 2 : 0; // feb
    case 109: // m
      if (b !== 97) return 0;
      return c === 114 ? 3 : c === 121 ? 5 : 0; // mar, may
    case 97: // a
      if (b === 112 && c === 114) return 4; // apr
      if (b === 117 && c === 103) return 8; // aug
      return 0;
    case 115: return b === 101 && c === 112 ? 9 : 0; // sep
    case 111: return b === 99 && c === 116 ? 10 : 0; // oct
    case 110: return b === 111 && c === 118 ? 11 : 0; // nov
    case 100: return b === 101 && c === 99 ? 12 : 0; // dec
    default: return 0;
  }
}

// ---------------------------------------------------------------------------------------------------
// Digits

/** Value of `n` ASCII digits at `i`, or -1 if any of them is not a digit. */
export function digitsAt(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(i + k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Value of the two digits at `i` (0–99), or -1. The hot paths' way to read a date field. */
export function twoDigitsAt(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

export function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Milliseconds of a fraction whose digits are `s[i, end)` (at least one); digits beyond ms are cut. */
function fractionMs(s: string, i: number, end: number): number {
  const n = end - i;
  const a = s.charCodeAt(i) - 48;
  if (n === 1) return a * 100;
  const b = s.charCodeAt(i + 1) - 48;
  if (n === 2) return a * 100 + b * 10;
  return a * 100 + b * 10 + s.charCodeAt(i + 2) - 48;
}

/** Length of the field unpaddedAt read (1 or 2). */
let unpaddedLength = 2;

/** Two digits at `i`, or one digit not followed by another (an unpadded `4` in `4:05:06`); -1 otherwise. */
function unpaddedAt(s: string, i: number): number {
  const two = twoDigitsAt(s, i);
  if (two >= 0) {
    unpaddedLength = 2;
    return isDigitCode(s.charCodeAt(i + 2)) ? -1 : two;
  }
  const c = s.charCodeAt(i) - 48;
  if (c < 0 || c > 9) return -1;
  unpaddedLength = 1;
  return c;
}

/** Index after the run of digits starting at `i`. */
function skipDigits(s: string, i: number): number {
  while (isDigitCode(s.charCodeAt(i))) i++;
  return i;
}

// ---------------------------------------------------------------------------------------------------
// Zones

type ZoneKind = 'local' | 'utc' | 'fixed' | 'iana';

const UTC_NAMES = new Set(['utc', 'etc/utc', 'gmt', 'etc/gmt', 'z', 'uct', 'etc/uct', 'universal', 'etc/universal', 'zulu', 'etc/zulu', 'gmt0', 'etc/gmt0', 'gmt+0', 'gmt-0']);

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function ianaFormatter(zone: string): Intl.DateTimeFormat | null {
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
function ianaOffsetMinutes(formatter: Intl.DateTimeFormat, utc: number): number {
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

// ---------------------------------------------------------------------------------------------------
// The resolver

/**
 * Turns written time fields into UTC ms for one source. Caches the start of the last hour it
 * converted, so a line costs integer arithmetic, not a Date or Intl call.
 */
export class TimeResolver {
  private zoneName: string | undefined = undefined;
  private kind: ZoneKind = 'local';
  private fixedOffset = 0;
  private formatter: Intl.DateTimeFormat | null = null;
  // One-entry cache: a valid date → its day number.
  private dateKey = -1;
  private dateDays = 0;
  // One-entry cache: local hour (days * 24 + hour) → UTC ms of its start, in the current zone.
  private hourKey = NaN;
  private hourBase = 0;
  // One-entry cache for year inference: month/day/hour → UTC ms of that hour in the inferred year.
  private yearlessKey = NaN;
  private yearlessBase = 0;

  constructor(private readonly clock: Clock) {}

  now(): number {
    return this.clock();
  }

  get zone(): string | undefined {
    return this.zoneName;
  }

  /** Zone for times written without one; undefined = the process's local zone. Cheap when unchanged. */
  setZone(zone: string | undefined): void {
    if (zone === this.zoneName) return;
    this.zoneName = zone;
    this.hourKey = NaN;
    this.yearlessKey = NaN;
    this.formatter = null;
    if (zone === undefined) {
      this.kind = 'local';
    } else if (UTC_NAMES.has(zone.toLowerCase())) {
      this.kind = 'utc';
    } else {
      const offset = parseOffsetMinutes(zone);
      if (offset !== undefined) {
        this.kind = 'fixed';
        this.fixedOffset = offset;
      } else {
        this.formatter = ianaFormatter(zone);
        // An unknown zone (config is validated, so only a programming error) reads as local time.
        this.kind = this.formatter === null ? 'local' : 'iana';
      }
    }
  }

  /**
   * UTC ms of written fields. `offsetMinutes` is the zone written in the line (minutes east of UTC),
   * or NaN when the line has none (then the resolver's zone applies). NaN for impossible fields.
   */
  fields(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offsetMinutes: number): number {
    if (!(h >= 0 && h <= 24 && mi >= 0 && mi <= 59 && s >= 0 && s <= 60 && ms >= 0 && ms < 1000)) return NaN;
    const days = this.days(y, mo, d);
    if (days !== days) return NaN;
    const rest = mi * MS_PER_MINUTE + s * 1000 + ms;
    if (offsetMinutes === offsetMinutes) return days * MS_PER_DAY + h * MS_PER_HOUR + rest - offsetMinutes * MS_PER_MINUTE;
    return this.hourStart(days, h) + rest;
  }

  /** Day number of a date, NaN if there is no such date. Consecutive lines mostly share the date. */
  private days(y: number, mo: number, d: number): number {
    const key = (y * 16 + mo) * 32 + d;
    if (key === this.dateKey) return this.dateDays;
    if (!(y >= 1 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo))) return NaN;
    this.dateKey = key;
    this.dateDays = daysFromCivil(y, mo, d);
    return this.dateDays;
  }

  /** Like `fields` for a line that writes no year: the latest year that is not > 1 day in the future. */
  yearless(mo: number, d: number, h: number, mi: number, s: number, ms: number, offsetMinutes: number): number {
    if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 && h <= 24 && mi >= 0 && mi <= 59 && s >= 0 && s <= 60 && ms >= 0 && ms < 1000)) return NaN;
    const rest = mi * MS_PER_MINUTE + s * 1000 + ms;
    const key = ((mo * 32 + d) * 25 + h) * 4096 + (offsetMinutes === offsetMinutes ? offsetMinutes + 2048 : 0);
    if (key === this.yearlessKey) return this.yearlessBase + rest;
    const limit = this.clock() + FUTURE_SLACK_MS;
    const startYear = new Date(limit).getUTCFullYear() + 1;
    for (let y = startYear; y > startYear - 10; y--) {
      if (d > daysInMonth(y, mo)) continue;
      const days = daysFromCivil(y, mo, d);
      const base = offsetMinutes === offsetMinutes
        ? days * MS_PER_DAY + h * MS_PER_HOUR - offsetMinutes * MS_PER_MINUTE
        : this.hourStart(days, h);
      // Compared at the end of the hour's written minute would be exact; the hour start is within
      // the slack and keeps the cache valid for the whole hour.
      if (base + rest <= limit) {
        this.yearlessKey = key;
        this.yearlessBase = base;
        return base + rest;
      }
    }
    return NaN;
  }

  /** Receive time of the batch being parsed (issue 16: a time of day takes its date); NaN = the clock. */
  private reference = NaN;

  setReference(receivedAt: number): void {
    this.reference = receivedAt;
  }

  /** A time of day without a date: the receive date in the zone, or the day before when that would be > 1 h ahead. */
  timeOfDay(h: number, mi: number, s: number, ms: number, offsetMinutes: number): number {
    const now = this.reference === this.reference ? this.reference : this.clock();
    const shift = offsetMinutes === offsetMinutes ? offsetMinutes * MS_PER_MINUTE : this.offsetAt(now) * MS_PER_MINUTE;
    const today = new Date(now + shift);
    const y = today.getUTCFullYear();
    const mo = today.getUTCMonth() + 1;
    const d = today.getUTCDate();
    const t = this.fields(y, mo, d, h, mi, s, ms, offsetMinutes);
    return t > now + MS_PER_HOUR ? t - MS_PER_DAY : t;
  }

  /** Offset east of UTC, minutes, of the resolver's zone at a UTC instant. */
  offsetAt(utc: number): number {
    switch (this.kind) {
      case 'utc': return 0;
      case 'fixed': return this.fixedOffset;
      case 'iana': return ianaOffsetMinutes(this.formatter!, utc);
      default: return -new Date(utc).getTimezoneOffset();
    }
  }

  private hourStart(days: number, h: number): number {
    const key = days * 25 + h;
    if (key === this.hourKey) return this.hourBase;
    const wall = days * MS_PER_DAY + h * MS_PER_HOUR;
    let base: number;
    switch (this.kind) {
      case 'utc':
        base = wall;
        break;
      case 'fixed':
        base = wall - this.fixedOffset * MS_PER_MINUTE;
        break;
      case 'iana': {
        const first = ianaOffsetMinutes(this.formatter!, wall);
        base = wall - first * MS_PER_MINUTE;
        const second = ianaOffsetMinutes(this.formatter!, base);
        if (second !== first) base = wall - second * MS_PER_MINUTE;
        break;
      }
      default: {
        // Local time: let Date apply the process zone's rules (DST included) to that wall clock.
        const civil = new Date(wall);
        const date = new Date(0);
        date.setFullYear(civil.getUTCFullYear(), civil.getUTCMonth(), civil.getUTCDate());
        date.setHours(h, 0, 0, 0);
        base = date.getTime();
      }
    }
    this.hourKey = key;
    this.hourBase = base;
    return base;
  }
}

// ---------------------------------------------------------------------------------------------------
// Epochs

/** Ms of an epoch number in seconds, milliseconds, microseconds or nanoseconds (chosen by magnitude). */
export function epochToMs(n: number): number {
  if (!Number.isFinite(n) || n < 0) return NaN;
  if (n < 1e11) return Math.floor(n * 1000);
  if (n < 1e14) return Math.floor(n);
  if (n < 1e17) return Math.floor(n / 1000);
  return Math.floor(n / 1e6);
}

const EPOCH_MIN_S = 946_684_800; // 2000-01-01
const EPOCH_MAX_S = 4_102_444_800; // 2100-01-01

/** True when an epoch in ms falls in 2000–2099: a bare number that plausibly is a time. */
export function plausibleEpochMs(ms: number): boolean {
  return ms >= EPOCH_MIN_S * 1000 && ms < EPOCH_MAX_S * 1000;
}

// ---------------------------------------------------------------------------------------------------
// Written timestamps

/** Where a timestamp was found in a line and what it means. Reused between calls (no allocation). */
export interface TimestampMatch {
  start: number;
  end: number;
  time: number;
  /** The text wrote no year (it was inferred). */
  yearless: boolean;
  month: number;
  day: number;
  /**
   * A zone abbreviation written after the time whose offset is not certain (`IST`, `MSK`, unknown):
   * the time was read in the source's zone and the caller keeps this text (`timezone_text`). '' if none.
   */
  zoneText: string;
}

export function newTimestampMatch(): TimestampMatch {
  return { start: 0, end: 0, time: NaN, yearless: false, month: 0, day: 0, zoneText: '' };
}

/** Metadata keys of a time read with a zone abbreviation whose offset was guessed (issue 16). */
export const ZONE_TEXT_KEY = 'timezone_text';
export const ZONE_GUESSED_KEY = 'timestamp_zone_guessed';

/** Marks `metadata` when the match read an uncertain zone abbreviation: its text, and the guess. */
export function noteGuessedZone(m: TimestampMatch, metadata: Record<string, unknown>): void {
  if (m.zoneText === '') return;
  metadata[ZONE_TEXT_KEY] = m.zoneText;
  metadata[ZONE_GUESSED_KEY] = true;
}

/**
 * Reads a zone written at `i`: `Z`, `UTC`, `GMT`, `±hh:mm`, `±hhmm`, `±hh`, optionally after one space.
 * Returns minutes east of UTC (NaN if none) and sets `zoneEnd`.
 */
let zoneEnd = 0;
/** An uncertain abbreviation zoneAt read (its offset NaN, zoneEnd after it); '' otherwise. finish() takes it. */
let zoneGuess = '';
const abbreviation: ZoneAbbreviation = { offset: NaN, guessed: '', end: 0 };
function zoneAt(s: string, i: number): number {
  zoneGuess = '';
  let j = i;
  if (s.charCodeAt(j) === 32) j++;
  const c = s.charCodeAt(j);
  // `01:45:01.123 PDT`: after one space, an abbreviation (UTC and GMT with an offset are read below).
  if (j === i + 1 && c >= 65 && c <= 90 && !((c === 85 || c === 71) && (s.charCodeAt(j + 3) === 43 || s.charCodeAt(j + 3) === 45))) {
    const z = zoneAbbreviationAt(s, j, abbreviation);
    if (z !== null) {
      zoneEnd = z.end;
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

function isWordCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/**
 * Parses `YYYY-MM-DD[T ]HH:MM[:SS][.frac][zone]` at `i` (date separators `-`, `/` or `.`; BGL's
 * `YYYY-MM-DD-HH.MM.SS.ffffff` too). With `requireTime` false a bare date is midnight. Sets `m.end`.
 */
export function isoAt(s: string, i: number, r: TimeResolver, m: TimestampMatch, requireTime: boolean): boolean {
  const century = twoDigitsAt(s, i);
  const yy = twoDigitsAt(s, i + 2);
  if (century < 0 || yy < 0) return false;
  let y = century * 100 + yy;
  const sep = s.charCodeAt(i + 4);
  if (sep !== 45 && sep !== 47 && sep !== 46) return false;
  let j = i + 5;
  let mo: number;
  let d: number;
  // `2012-025T…` (day of year) and `2012-W04-3T…` (ISO week date).
  const date = sep === 45 ? ordinalOrWeekAt(s, j, y) : -1;
  if (date >= 0) {
    y = Math.floor(date / 512);
    mo = (date >> 5) & 15;
    d = date & 31;
    j = ordinalOrWeekEnd;
  } else {
    mo = twoDigitsAt(s, j);
    if (mo < 0) {
      mo = digitsAt(s, j, 1);
      if (mo < 0) return false;
      j += 1;
    } else j += 2;
    if (s.charCodeAt(j) !== sep) return false;
    j++;
    d = twoDigitsAt(s, j);
    if (d < 0) {
      d = digitsAt(s, j, 1);
      if (d < 0) return false;
      j += 1;
    } else j += 2;
  }
  const dt = s.charCodeAt(j);
  // Hours, minutes and seconds may be written unpadded (`2017-1-3 4:05:06`, `22:16:0`).
  const h = unpaddedAt(s, j + 1);
  if ((dt !== 84 && dt !== 32 && dt !== 45) || h < 0 || (unpaddedLength === 1 && dt === 45)) {
    if (requireTime || isDigitCode(s.charCodeAt(j))) return false;
    return finish(m, i, j, r.fields(y, mo, d, 0, 0, 0, 0, NaN), false, mo, d);
  }
  j += 1 + unpaddedLength;
  const tsep = s.charCodeAt(j);
  if (tsep !== 58 && !(tsep === 46 && dt === 45)) return false;
  const mi = unpaddedAt(s, j + 1);
  if (mi < 0) return false;
  j += 1 + unpaddedLength;
  let sec = 0;
  if (s.charCodeAt(j) === tsep && isDigitCode(s.charCodeAt(j + 1))) {
    sec = unpaddedAt(s, j + 1);
    if (sec < 0) return false;
    j += 1 + unpaddedLength;
  }
  let ms = 0;
  const fc = s.charCodeAt(j);
  if ((fc === 46 || fc === 44) && isDigitCode(s.charCodeAt(j + 1))) {
    const end = skipDigits(s, j + 1);
    ms = fractionMs(s, j + 1, end);
    j = end;
  }
  if (isDigitCode(s.charCodeAt(j))) return false;
  const offset = zoneAt(s, j);
  if (offset === offset || zoneGuess !== '') j = zoneEnd;
  return finish(m, i, j, r.fields(y, mo, d, h, mi, sec, ms, offset), false, mo, d);
}

// Patterns tried by the scanner at a candidate position (sticky). Groups documented per pattern.
/** English, French, German and Spanish month names (month-names.ts). */
const MONTH_RE = ANY_MONTH_RE;
const DAY_RE = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?';
const FRAC = '(?:[.,](\\d{1,9}))?';
const AMPM = '(?: ?([AaPp][Mm])(?![A-Za-z]))?';
/** [Day] Mon dd[,] [yyyy[,]] hh:mm:ss[.f] [AM] [yyyy] — syslog, ctime, Apache error, Java `Nov 30, 2026 …`. */
const NAMED_MONTH = new RegExp(`(?:${DAY_RE} +)?(${MONTH_RE})(?:\\.? +|-)(\\d{1,2})(?:st|nd|rd|th)?,?(?: (\\d{4}),?)? (\\d{1,2}):(\\d\\d):(\\d\\d)${FRAC}${AMPM}(?: (\\d{4})(?!\\d))?`, 'iy');
/** dd/Mon/yyyy:hh:mm:ss (access logs), dd-Mon-yyyy hh:mm:ss, dd Mon yyyy hh:mm:ss (RFC 2822). */
const DAY_NAMED_MONTH = new RegExp(`(\\d{1,2})([/ -])(${MONTH_RE})\\2(\\d{4})[: ](\\d{1,2}):(\\d\\d):(\\d\\d)${FRAC}`, 'iy');
/** dd/mm/yyyy or mm/dd/yyyy, dd.mm.yyyy, with a time. */
// `:447` milliseconds before an AM/PM (OpenAM's `06/09/2014 02:49:59:447 PM`) read like a fraction.
const NUMERIC_DMY = new RegExp(`(\\d{1,2})([/.-])(\\d{1,2})\\2(\\d{4}),?[ T](\\d{1,2}):(\\d\\d)(?::(\\d\\d))?(?:[.,:](\\d{1,9}))?${AMPM}`, 'y');
/** yyyymmdd-hh:mm:ss[:fff] (HealthApp), yyyymmddThhmmss (ISO basic). */
const COMPACT = /((?:19|20)\d\d)(\d\d)(\d\d)(?:[-T ](\d\d):?(\d\d):?(\d\d)(?!\d)|(\d\d):(\d\d):(\d\d)|[-T ](\d\d?):(\d\d?):(\d\d?)(?!\d))(?:([.,:])(\d{1,9}))?/y;
/** mm-dd hh:mm:ss[.f] (logcat), mm.dd hh:mm:ss (Proxifier): no year. */
const MONTH_DAY = /(\d\d)([-.])(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?/y;
/** hh:mm:ss[.f] alone, only at the start of a line. */
const TIME_ONLY = /(\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?/y;

function fracMs(text: string | undefined): number {
  return text === undefined ? 0 : fractionMs(text, 0, text.length);
}

function hour12(h: number, ampm: string | undefined): number {
  if (ampm === undefined) return h;
  const pm = (ampm.charCodeAt(0) | 32) === 112;
  if (h === 12) return pm ? 12 : 0;
  return pm ? h + 12 : h;
}

function finish(m: TimestampMatch, start: number, end: number, time: number, yearless: boolean, month: number, day: number): boolean {
  m.zoneText = zoneGuess;
  zoneGuess = '';
  if (time !== time) return false;
  m.start = start;
  m.end = end;
  m.time = time;
  m.yearless = yearless;
  m.month = month;
  m.day = day;
  return true;
}

function tryNamedMonth(s: string, i: number, r: TimeResolver, m: TimestampMatch): boolean {
  NAMED_MONTH.lastIndex = i;
  const g = NAMED_MONTH.exec(s);
  if (g === null) return false;
  const mo = monthFromAnyName(g[1]!);
  const d = Number(g[2]);
  let yearText = g[3] ?? g[9];
  const h = hour12(Number(g[4]), g[8]);
  let end = i + g[0].length;
  const offset = zoneAt(s, end);
  if (offset === offset || zoneGuess !== '') {
    end = zoneEnd;
    // ctime with a zone: `Sat Apr 27 03:33:07 PDT 2013` writes the year after it.
    if (yearText === undefined && s.charCodeAt(end) === 32 && digitsAt(s, end + 1, 4) >= 1970 && !isDigitCode(s.charCodeAt(end + 5))) {
      yearText = s.slice(end + 1, end + 5);
      end += 5;
    }
  }
  const mi = Number(g[5]);
  const sec = Number(g[6]);
  const ms = fracMs(g[7]);
  if (yearText === undefined) return finish(m, i, end, r.yearless(mo, d, h, mi, sec, ms, offset), true, mo, d);
  return finish(m, i, end, r.fields(Number(yearText), mo, d, h, mi, sec, ms, offset), false, mo, d);
}

function tryDayNamedMonth(s: string, i: number, r: TimeResolver, m: TimestampMatch): boolean {
  DAY_NAMED_MONTH.lastIndex = i;
  const g = DAY_NAMED_MONTH.exec(s);
  if (g === null) return false;
  let end = i + g[0].length;
  const offset = zoneAt(s, end);
  if (offset === offset || zoneGuess !== '') end = zoneEnd;
  const mo = monthFromAnyName(g[3]!);
  const d = Number(g[1]);
  return finish(m, i, end, r.fields(Number(g[4]), mo, d, Number(g[5]), Number(g[6]), Number(g[7]), fracMs(g[8]), offset), false, mo, d);
}

function tryNumericDmy(s: string, i: number, r: TimeResolver, m: TimestampMatch): boolean {
  NUMERIC_DMY.lastIndex = i;
  const g = NUMERIC_DMY.exec(s);
  if (g === null) return false;
  const a = Number(g[1]);
  const b = Number(g[3]);
  // 13/05 can only be day/month, 05/13 only month/day; otherwise '/' reads US-style, '.' and '-' European.
  const monthFirst = a > 12 ? false : b > 12 ? true : g[2] === '/';
  const mo = monthFirst ? a : b;
  const d = monthFirst ? b : a;
  let end = i + g[0].length;
  const offset = zoneAt(s, end);
  if (offset === offset || zoneGuess !== '') end = zoneEnd;
  const h = hour12(Number(g[5]), g[9]);
  return finish(m, i, end, r.fields(Number(g[4]), mo, d, h, Number(g[6]), Number(g[7] ?? 0), fracMs(g[8]), offset), false, mo, d);
}

function tryCompact(s: string, i: number, r: TimeResolver, m: TimestampMatch): boolean {
  COMPACT.lastIndex = i;
  const g = COMPACT.exec(s);
  if (g === null) return false;
  let end = i + g[0].length;
  if (isDigitCode(s.charCodeAt(end))) return false;
  const offset = zoneAt(s, end);
  if (offset === offset || zoneGuess !== '') end = zoneEnd;
  const mo = Number(g[2]);
  const d = Number(g[3]);
  const h = Number(g[4] ?? g[7] ?? g[10]);
  const mi = Number(g[5] ?? g[8] ?? g[11]);
  const sec = Number(g[6] ?? g[9] ?? g[12]);
  // A `:` field after the seconds (`22:16:0:119`, HealthApp) is a millisecond count, written unpadded, not a fraction.
  const ms = g[13] === ':' && g[14]!.length <= 3 ? Number(g[14]) : fracMs(g[14]);
  return finish(m, i, end, r.fields(Number(g[1]), mo, d, h, mi, sec, ms, offset), false, mo, d);
}

function tryMonthDay(s: string, i: number, r: TimeResolver, m: TimestampMatch): boolean {
  MONTH_DAY.lastIndex = i;
  const g = MONTH_DAY.exec(s);
  if (g === null) return false;
  const end = i + g[0].length;
  if (isDigitCode(s.charCodeAt(end))) return false;
  const mo = Number(g[1]);
  const d = Number(g[3]);
  return finish(m, i, end, r.yearless(mo, d, Number(g[4]), Number(g[5]), Number(g[6]), fracMs(g[7]), NaN), true, mo, d);
}

function tryTimeOnly(s: string, i: number, r: TimeResolver, m: TimestampMatch): boolean {
  TIME_ONLY.lastIndex = i;
  const g = TIME_ONLY.exec(s);
  if (g === null) return false;
  let end = i + g[0].length;
  if (isDigitCode(s.charCodeAt(end)) || s.charCodeAt(end) === 58) return false;
  const offset = zoneAt(s, end);
  if (offset === offset || zoneGuess !== '') end = zoneEnd;
  return finish(m, i, end, r.timeOfDay(Number(g[1]), Number(g[2]), Number(g[3]), fracMs(g[4]), offset), true, 0, 0);
}

/** Tries every written-timestamp shape starting exactly at `i`. */
export function timestampAt(s: string, i: number, r: TimeResolver, m: TimestampMatch): boolean {
  const c = s.charCodeAt(i);
  // `@4000000043322583…`: a TAI64N label (daemontools, runit, s6).
  if (c === 52 && s.charCodeAt(i - 1) === 64 && tai64nAt(s, i) === tai64nAt(s, i)) {
    return finish(m, i - 1, i + TAI64N_DIGITS, tai64nAt(s, i), false, 0, 0);
  }
  if (isDigitCode(c)) {
    const c1 = s.charCodeAt(i + 1);
    if (isDigitCode(c1)) {
      const c2 = s.charCodeAt(i + 2);
      if (isDigitCode(c2)) {
        // 4+ digits: a year first, or a compact date.
        if (isDigitCode(s.charCodeAt(i + 3))) {
          if (isoAt(s, i, r, m, true)) return true;
          return isDigitCode(s.charCodeAt(i + 4)) && tryCompact(s, i, r, m);
        }
        return false;
      }
      if (c2 === 58) return i <= 1 && tryTimeOnly(s, i, r, m);
      if (c2 === 45 || c2 === 46) {
        if (isDigitCode(s.charCodeAt(i + 3))) return tryMonthDay(s, i, r, m) || tryNumericDmy(s, i, r, m);
        return tryDayNamedMonth(s, i, r, m);
      }
      if (c2 === 47) return isDigitCode(s.charCodeAt(i + 3)) ? tryNumericDmy(s, i, r, m) : tryDayNamedMonth(s, i, r, m);
      if (c2 === 32) return tryDayNamedMonth(s, i, r, m);
      return false;
    }
    if (c1 === 47 || c1 === 45 || c1 === 46) return isDigitCode(s.charCodeAt(i + 2)) ? tryNumericDmy(s, i, r, m) : tryDayNamedMonth(s, i, r, m);
    if (c1 === 32) return tryDayNamedMonth(s, i, r, m);
    return false;
  }
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return tryNamedMonth(s, i, r, m);
  return false;
}

/**
 * Finds the first written timestamp that starts at a word boundary within `s[from, limit)`.
 * A year-less match takes its year from a `yyyy.mm.dd`-style date of the same month and day written
 * earlier in the line (Thunderbird-style records carry both).
 */
export function findTimestamp(s: string, from: number, limit: number, r: TimeResolver, m: TimestampMatch): boolean {
  const end = Math.min(limit, s.length);
  let prevWord = from > 0 && isWordCode(s.charCodeAt(from - 1));
  for (let i = from; i < end; i++) {
    const c = s.charCodeAt(i);
    const word = isWordCode(c);
    if (word && !prevWord && timestampAt(s, i, r, m)) {
      if (m.yearless && m.month > 0) borrowYear(s, i, r, m);
      return true;
    }
    prevWord = word;
  }
  return false;
}

/**
 * Like findTimestamp, but first tries position `hint` (where this source's previous line had its
 * time), so that a known layout costs one attempt instead of a scan.
 */
export function findTimestampNear(s: string, hint: number, limit: number, r: TimeResolver, m: TimestampMatch): boolean {
  if (hint >= 0 && hint < limit && (hint === 0 || !isWordCode(s.charCodeAt(hint - 1))) && timestampAt(s, hint, r, m)) {
    if (m.yearless && m.month > 0) borrowYear(s, hint, r, m);
    return true;
  }
  return findTimestamp(s, 0, limit, r, m);
}

const DATED = /((?:19|20)\d\d)[./-](\d\d)[./-](\d\d)(?!\d)/g;

function borrowYear(s: string, before: number, r: TimeResolver, m: TimestampMatch): void {
  DATED.lastIndex = 0;
  const head = s.slice(0, before);
  for (let g = DATED.exec(head); g !== null; g = DATED.exec(head)) {
    if (Number(g[2]) === m.month && Number(g[3]) === m.day) {
      const year = Number(g[1]);
      const inferred = new Date(m.time).getUTCFullYear();
      // Shift by whole years in the wall clock (zone offsets are the same date's).
      const t = m.time + (daysFromCivil(year, m.month, m.day) - daysFromCivil(inferred, m.month, m.day)) * MS_PER_DAY;
      if (t === t) {
        m.time = t;
        m.yearless = false;
      }
      return;
    }
  }
}

const scratch = newTimestampMatch();

/**
 * UTC ms of a time value from a structured field (JSON, logfmt, custom group): ISO text, epoch
 * seconds/ms/µs/ns as text, or any shape the scanner knows. NaN if none.
 */
export function parseTimeText(text: string, r: TimeResolver): number {
  const t = text.trim();
  if (t.length === 0) return NaN;
  const c = t.charCodeAt(0);
  if (isDigitCode(c)) {
    if (isoAt(t, 0, r, scratch, false) && scratch.end === t.length) return scratch.time;
    if (/^\d{9,19}(?:\.\d+)?$/.test(t)) return epochToMs(Number(t));
  }
  if (findTimestamp(t, 0, 64, r, scratch)) return scratch.time;
  return NaN;
}

/** UTC ms of a time field's value: a number is an epoch, a string is parsed. NaN if neither. */
export function parseTimeValue(value: unknown, r: TimeResolver): number {
  if (typeof value === 'number') return epochToMs(value);
  if (typeof value === 'string') return parseTimeText(value, r);
  return NaN;
}
