// Calendar arithmetic on written date fields: day numbers, month lengths, month names. No Date
// objects here: these run once per line on the hot path.

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

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
