// ISO 8601 ordinal dates (`2012-025`, day 25 of 2012) and week dates (`2012-W04-3`, Wednesday of week
// 4), read into a month and a day so the usual time path applies. Written by some mainframe, GPS and
// HPC schedulers; without this the year is read and the rest dropped, or the line gets the receive time.
import { digitsAt } from '../digits.ts';

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const CUMULATIVE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

/** Month * 32 + day of day-of-year `doy` (1-based) of year `y`; -1 when the year has no such day. */
export function monthDayOfOrdinal(y: number, doy: number): number {
  const leap = isLeap(y) ? 1 : 0;
  if (doy < 1 || doy > 365 + leap) return -1;
  for (let m = 1; m <= 12; m++) {
    const end = CUMULATIVE[m]! + (m >= 2 ? leap : 0);
    if (doy <= end) return m * 32 + doy - (CUMULATIVE[m - 1]! + (m >= 3 ? leap : 0));
  }
  return -1;
}

/** Weekday (1 = Monday … 7 = Sunday) of January 4th, which is always in ISO week 1. */
function jan4Weekday(y: number): number {
  // Days since 1970-01-01 (a Thursday) of y-01-04, then its weekday.
  const a = y - 1;
  const days = 365 * (a - 1969) + Math.floor(a / 4) - Math.floor(a / 100) + Math.floor(a / 400) - (492 - 19 + 4) + 3;
  return ((((days + 3) % 7) + 7) % 7) + 1;
}

function weeksInYear(y: number): number {
  // A year has 53 weeks when it starts on a Thursday, or is leap and starts on a Wednesday.
  const jan1 = ((jan4Weekday(y) - 3 - 1 + 7) % 7) + 1;
  return jan1 === 4 || (isLeap(y) && jan1 === 3) ? 53 : 52;
}

/**
 * Year * 512 + month * 32 + day of ISO week date `y-Www-d`; -1 when there is no such week or day.
 * The year may differ from `y` (week 1 can start in December, week 52/53 end in January).
 */
export function dateOfIsoWeek(y: number, week: number, weekday: number): number {
  if (week < 1 || week > weeksInYear(y) || weekday < 1 || weekday > 7) return -1;
  // Ordinal of the Monday of week 1, possibly ≤ 0 (in December of y - 1).
  const ordinal = 4 - (jan4Weekday(y) - 1) + (week - 1) * 7 + (weekday - 1);
  let year = y;
  let doy = ordinal;
  if (doy < 1) {
    year = y - 1;
    doy += isLeap(year) ? 366 : 365;
  } else if (doy > (isLeap(y) ? 366 : 365)) {
    doy -= isLeap(y) ? 366 : 365;
    year = y + 1;
  }
  const md = monthDayOfOrdinal(year, doy);
  return md < 0 ? -1 : year * 512 + md;
}

/** Index after the date ordinalOrWeekAt read. */
export let ordinalOrWeekEnd = 0;

/**
 * After `yyyy-` at `i`: `ddd` (ordinal) or `Www[-d]` (week; Monday when no day), followed by `T` or a
 * space as a date-time writes it. Year * 512 + month * 32 + day, or -1; sets ordinalOrWeekEnd.
 */
export function ordinalOrWeekAt(s: string, i: number, y: number): number {
  let date: number;
  let end: number;
  if (s.charCodeAt(i) === 87 /* W */) {
    const week = digitsAt(s, i + 1, 2);
    if (week < 0) return -1;
    let weekday = 1;
    end = i + 3;
    if (s.charCodeAt(end) === 45 && digitsAt(s, end + 1, 1) >= 0) {
      weekday = digitsAt(s, end + 1, 1);
      end += 2;
    }
    date = dateOfIsoWeek(y, week, weekday);
  } else {
    const doy = digitsAt(s, i, 3);
    end = i + 3;
    if (doy < 0) return -1;
    const md = monthDayOfOrdinal(y, doy);
    date = md < 0 ? -1 : y * 512 + md;
  }
  const next = s.charCodeAt(end);
  if (date < 0 || (next !== 84 && next !== 32)) return -1;
  ordinalOrWeekEnd = end;
  return date;
}
