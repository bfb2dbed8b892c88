// Written timestamp shapes: ISO, named months (syslog, ctime), access-log dates, numeric d/m/y, compact,
// month-day and time-only; the scanner that finds the first one in a line; structured time values.
import { digitsAt, fractionMs, isDigitCode, isWordCode, skipDigits, twoDigitsAt } from '../digits.ts';
import { MS_PER_MINUTE } from './calendar.ts';
import { epochToMs } from './epoch.ts';
import { ordinalOrWeekAt, ordinalOrWeekEnd } from './iso-week.ts';
import { ANY_MONTH_RE, monthFromAnyName } from './month-names.ts';
import { tai64nAt, TAI64N_DIGITS } from './tai64.ts';
import type { TimeResolver } from './resolver.ts';
import { lastZoneEnd, lastZoneGuess, takeZoneGuess, zoneAt } from './zones.ts';

/** Where a timestamp was found in a line and what it means. Reused between calls (no allocation). */
export interface TimestampMatch {
  start: number;
  end: number;
  time: number;
  /** The text wrote no year (it was inferred). */
  yearless: boolean;
  month: number;
  day: number;
  /** The zone written with a year-less time, minutes east of UTC; NaN when none was (or the year was written). */
  offset: number;
  /**
   * A zone abbreviation written after the time whose offset is not certain (`IST`, `MSK`, unknown):
   * the time was read in the source's zone and the caller keeps this text (`timezone_text`). '' if none.
   */
  zoneText: string;
}

export function newTimestampMatch(): TimestampMatch {
  return { start: 0, end: 0, time: NaN, yearless: false, month: 0, day: 0, offset: NaN, zoneText: '' };
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

/** Where the zone after a time ends: after what zoneAt read, a guessed abbreviation included; else `end`. */
function afterZone(offset: number, end: number): number {
  return offset === offset || lastZoneGuess() !== '' ? lastZoneEnd() : end;
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
  // `2012-025T…` (day of year) and `2012-W04-3T…` (ISO week date): iso-week.ts.
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
  // Hours, minutes and seconds may be written unpadded (`2017-1-3 4:05:06`, issue 11).
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
  j = afterZone(offset, j);
  return finish(m, i, j, r.fields(y, mo, d, h, mi, sec, ms, offset), false, mo, d);
}

// Patterns tried by the scanner at a candidate position (sticky). Groups documented per pattern.
/** English, French, German and Spanish month names (month-names.ts, issue 16). */
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
/** …and `yyyymmdd-h:m:s:ms` with unpadded fields (HealthApp's `20171223-22:16:0:119`, issue 11). */
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
  m.zoneText = takeZoneGuess();
  if (time !== time) return false;
  m.start = start;
  m.end = end;
  m.time = time;
  m.yearless = yearless;
  m.offset = NaN;
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
  end = afterZone(offset, end);
  // ctime with a zone: `Sat Apr 27 03:33:07 PDT 2013` writes the year after it.
  if (yearText === undefined && end > i + g[0].length && s.charCodeAt(end) === 32 && digitsAt(s, end + 1, 4) >= 1970 && !isDigitCode(s.charCodeAt(end + 5))) {
    yearText = s.slice(end + 1, end + 5);
    end += 5;
  }
  const mi = Number(g[5]);
  const sec = Number(g[6]);
  const ms = fracMs(g[7]);
  if (yearText === undefined) {
    if (!finish(m, i, end, r.yearless(mo, d, h, mi, sec, ms, offset), true, mo, d)) return false;
    m.offset = offset;
    return true;
  }
  return finish(m, i, end, r.fields(Number(yearText), mo, d, h, mi, sec, ms, offset), false, mo, d);
}

function tryDayNamedMonth(s: string, i: number, r: TimeResolver, m: TimestampMatch): boolean {
  DAY_NAMED_MONTH.lastIndex = i;
  const g = DAY_NAMED_MONTH.exec(s);
  if (g === null) return false;
  let end = i + g[0].length;
  const offset = zoneAt(s, end);
  end = afterZone(offset, end);
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
  end = afterZone(offset, end);
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
  end = afterZone(offset, end);
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
  end = afterZone(offset, end);
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
      // Redo the time in the written year from its wall clock: the zone's offset that day may differ
      // between the inferred year and the written one (DST starts on a different date each year), and
      // the wall clock's year is not the UTC year near New Year.
      const offset = m.offset === m.offset ? m.offset : r.offsetAt(m.time);
      const wall = new Date(m.time + offset * MS_PER_MINUTE);
      const t = r.fields(Number(g[1]), m.month, m.day, wall.getUTCHours(), wall.getUTCMinutes(), wall.getUTCSeconds(), wall.getUTCMilliseconds(), m.offset);
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
