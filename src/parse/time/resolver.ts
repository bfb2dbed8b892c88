// The resolver: written wall-clock fields → ms since the epoch, UTC. A zone written in the line wins;
// else the source's configured zone; else the process's local zone. A missing year is inferred so
// that the time is never more than a day ahead of the (injectable) clock. Nothing here throws: an
// impossible time is NaN and the caller falls back to the receive time.
import type { Clock } from '../../types.ts';
import { daysFromCivil, daysInMonth, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE } from './calendar.ts';
import { ianaFormatter, ianaOffsetMinutes, parseOffsetMinutes, UTC_NAMES, type ZoneKind } from './zones.ts';

/** How far ahead of the clock an inferred (year-less) time may lie. */
const FUTURE_SLACK_MS = MS_PER_DAY;

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
  /** Whether the hour of the last zoned() call has one offset throughout (so an hour cache is exact). */
  private uniformHour = true;
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
    return this.zoned(days, h, rest);
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
      const written = offsetMinutes === offsetMinutes;
      const t = written ? days * MS_PER_DAY + h * MS_PER_HOUR + rest - offsetMinutes * MS_PER_MINUTE : this.zoned(days, h, rest);
      if (t <= limit) {
        // The year found for this written hour serves its other lines (the hour is within the slack),
        // unless the zone's offset changes inside the hour: then each line is resolved on its own.
        if (written || this.uniformHour) {
          this.yearlessKey = key;
          this.yearlessBase = t - rest;
        } else {
          this.yearlessKey = NaN;
        }
        return t;
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

  /**
   * UTC ms of a wall-clock time in the resolver's zone (the line wrote none). The start of the last
   * hour is cached, but only for an hour with one offset throughout: where the offset changes inside
   * the hour (Lord Howe's 30-minute DST shift, half-hour zones, 15-minute historic shifts), a cached
   * hour start would put every time after the change off by the shift, so such an hour is resolved
   * exactly, time by time. Sets `uniformHour` for callers that keep a cache of their own.
   */
  private zoned(days: number, h: number, rest: number): number {
    const key = days * 25 + h;
    if (key === this.hourKey) {
      this.uniformHour = true;
      return this.hourBase + rest;
    }
    const wall = days * MS_PER_DAY + h * MS_PER_HOUR;
    const start = this.wallToUtc(wall);
    const end = this.wallToUtc(wall + MS_PER_HOUR - 1);
    if (end - start === MS_PER_HOUR - 1) {
      this.hourKey = key;
      this.hourBase = start;
      this.uniformHour = true;
      return start + rest;
    }
    this.uniformHour = false;
    return this.wallToUtc(wall + rest);
  }

  /**
   * UTC ms of a wall-clock instant (given as if it were UTC ms) in the resolver's zone. A time that
   * occurs twice (DST ends) reads as the first; one that never occurs (DST starts) is moved on by the shift.
   */
  private wallToUtc(wall: number): number {
    switch (this.kind) {
      case 'utc':
        return wall;
      case 'fixed':
        return wall - this.fixedOffset * MS_PER_MINUTE;
      case 'iana': {
        const first = ianaOffsetMinutes(this.formatter!, wall);
        const base = wall - first * MS_PER_MINUTE;
        const second = ianaOffsetMinutes(this.formatter!, base);
        return second === first ? base : wall - second * MS_PER_MINUTE;
      }
      default: {
        // Local time: let Date apply the process zone's rules (DST included) to that wall clock.
        const civil = new Date(wall);
        const date = new Date(0);
        date.setFullYear(civil.getUTCFullYear(), civil.getUTCMonth(), civil.getUTCDate());
        date.setHours(civil.getUTCHours(), civil.getUTCMinutes(), civil.getUTCSeconds(), civil.getUTCMilliseconds());
        return date.getTime();
      }
    }
  }
}
