// Apache/Nginx access logs: common (`%h %l %u %t "%r" %>s %b`), combined (+ `"%{Referer}i"
// "%{User-agent}i"`), an optional virtual host first (`%v` / `$host`), and anything after the user
// agent (request time, X-Forwarded-For...) kept as extra fields. Hand-scanned: this is the format with
// the most lines per second to keep up with.
import type { LogEntry } from '../../types.ts';
import { NOT_KEPT, type MetadataBuilder } from '../entry.ts';
import { makeDeferredEntry, type FormatSpec, type LineParser, type ParseContext } from '../format.ts';
import { levelFromStatus } from '../level.ts';
import { digitsAt, isDigitCode, twoDigitsAt } from '../digits.ts';
import { monthAt, utcMs } from '../time/calendar.ts';

const QUOTE = 34;
const SPACE = 32;
const BACKSLASH = 92;

/** Index of the quote closing a `"..."` field whose content starts at `from`, honouring `\"`; -1 if none. */
function closingQuote(line: string, from: number): number {
  let q = line.indexOf('"', from);
  while (q > 0 && line.charCodeAt(q - 1) === BACKSLASH) {
    // An even run of backslashes escapes itself, not the quote.
    let k = q - 1;
    while (k >= from && line.charCodeAt(k) === BACKSLASH) k--;
    if ((q - 1 - k) % 2 === 0) break;
    q = line.indexOf('"', q + 1);
  }
  return q;
}

/** Index of the first space in `line[from, limit]` (short head fields: a char loop beats a search); -1 if none. */
function spaceAfter(line: string, from: number, limit: number): number {
  for (let i = from; i <= limit; i++) if (line.charCodeAt(i) === SPACE) return i;
  return -1;
}

/** End of the request field: a closing quote followed by ` <status>` (request lines may hold quotes). */
function requestEnd(line: string, from: number): number {
  let q = closingQuote(line, from);
  while (q >= 0) {
    if (line.charCodeAt(q + 1) === SPACE) {
      const c = line.charCodeAt(q + 2);
      if (isDigitCode(c) || c === 45) return q;
    }
    q = closingQuote(line, q + 1);
  }
  return -1;
}

/**
 * Reads access lines in two steps. `parse` checks the whole structure and takes what every stage needs
 * (time, status → level, request → message, common or combined); the fields (ip, method, path, user
 * agent...) are cut from the raw line only when something reads the entry's metadata, as most lines
 * are counted and stored without that.
 */
class AccessParser implements LineParser, MetadataBuilder {
  readonly name = 'access';
  readonly multiline = 'none' as const;
  // Cache of the last hour + zone converted, keyed by their fields.
  private cachedKey = -1;
  private cachedBase = 0;
  // Where the last scan found each part: [hostStart, identStart, userStart, open) is the head.
  private hostStart = 0;
  private identStart = 0;
  private userStart = 0;
  private open = 0;
  private reqStart = 0;
  private reqEnd = 0;
  private status = 0;
  private bytes: number | null = 0;
  private refStart = 0;
  private refEnd = 0;
  private uaEnd = 0;
  /** Index after the last field read (the user agent's closing quote, or the bytes). */
  private rest = 0;
  private combined = false;
  private time = NaN;

  constructor(private readonly ctx: ParseContext) {}

  parse(line: string): LogEntry | null {
    if (!this.scan(line, true)) return null;
    const status = this.status;
    return makeDeferredEntry(
      this.ctx, this.time, status === 0 ? 'INFO' : levelFromStatus(status), line.slice(this.reqStart, this.reqEnd),
      this.combined ? 'combined' : 'common', line, this, null, status === 0 ? null : status,
    );
  }

  keptField(name: string, hint: unknown): unknown {
    return name === 'status' ? hint : NOT_KEPT;
  }

  buildMetadata(entry: LogEntry): Record<string, unknown> {
    const line = entry.raw;
    // The line scanned before; the time is not needed (and the source's zone may have changed since).
    if (!this.scan(line, false)) return {};
    const { reqStart, reqEnd } = this;
    let method: string | null = null;
    let path: string | null = null;
    let protocol: string | null = null;
    const sp1 = line.indexOf(' ', reqStart);
    if (sp1 > reqStart && sp1 < reqEnd) {
      const sp2 = line.lastIndexOf(' ', reqEnd - 1);
      if (sp2 > sp1 && line.startsWith('HTTP/', sp2 + 1)) {
        method = line.slice(reqStart, sp1);
        path = line.slice(sp1 + 1, sp2);
        protocol = line.slice(sp2 + 1, reqEnd);
      } else if (sp2 === sp1) {
        // HTTP/0.9 style `GET /path`.
        method = line.slice(reqStart, sp1);
        path = line.slice(sp1 + 1, reqEnd);
      }
    }
    const combined = this.combined;
    const metadata: Record<string, unknown> = {
      ip: line.slice(this.hostStart, this.identStart - 1),
      method,
      path,
      protocol,
      status: this.status === 0 ? null : this.status,
      bytes: this.bytes,
      referer: combined ? line.slice(this.refStart, this.refEnd) : null,
      user_agent: combined ? line.slice(this.refEnd + 3, this.uaEnd) : null,
    };
    const rest = this.rest;
    if (rest < line.length) {
      const extra = line.slice(rest).trim();
      if (extra.length > 0) {
        const n = Number(extra);
        if (Number.isFinite(n)) metadata.request_time = n;
        else metadata.extra = extra;
      }
    }
    const { hostStart, identStart, userStart, open } = this;
    if (hostStart > 0) metadata.vhost = line.slice(0, hostStart - 1);
    if (line.charCodeAt(identStart) !== 45 || userStart - identStart !== 2) metadata.ident = line.slice(identStart, userStart - 1);
    if (line.charCodeAt(userStart) !== 45 || open - userStart !== 1) metadata.user = line.slice(userStart, open);
    return metadata;
  }

  /**
   * Hot path: checks that `line` is an access line and records where its parts are (and, with
   * `withTime`, its time). Index searches on long stretches, char codes on short ones.
   */
  private scan(line: string, withTime: boolean): boolean {
    const open = line.indexOf(' [');
    if (open < 5 || open > 300) return false;
    // Head: `host ident user` or `vhost host ident user` (ident and user are usually `-`).
    const s1 = line.indexOf(' ');
    const s2 = spaceAfter(line, s1 + 1, open);
    if (s2 < 0) return false;
    const s3 = s2 === open ? -1 : spaceAfter(line, s2 + 1, open);
    if (s3 < 0) return false;
    if (s3 !== open) {
      if (spaceAfter(line, s3 + 1, open) !== open) return false;
      this.hostStart = s1 + 1;
      this.identStart = s2 + 1;
      this.userStart = s3 + 1;
    } else {
      this.hostStart = 0;
      this.identStart = s1 + 1;
      this.userStart = s2 + 1;
    }
    this.open = open;

    // [dd/Mon/yyyy:HH:MM:SS +zzzz]
    const ts = open + 2;
    const close = line.indexOf(']', ts);
    if (close < 0 || line.charCodeAt(close + 1) !== SPACE || line.charCodeAt(close + 2) !== QUOTE) return false;
    if (withTime) {
      const time = this.readTime(line, ts, close);
      if (time !== time) return false;
      this.time = time;
    }

    const reqStart = close + 3;
    const reqEnd = requestEnd(line, reqStart);
    if (reqEnd < 0) return false;
    const statusStart = reqEnd + 2;
    let status = digitsAt(line, statusStart, 3);
    let bytesStart = statusStart + 4;
    if (status < 0) {
      if (line.charCodeAt(statusStart) !== 45) return false;
      bytesStart = statusStart + 2;
      status = 0;
    }
    if (line.charCodeAt(bytesStart - 1) !== SPACE) return false;
    let bytesEnd = bytesStart;
    let bytes: number | null = 0;
    for (let c = line.charCodeAt(bytesEnd); c >= 48 && c <= 57; c = line.charCodeAt(++bytesEnd)) bytes = bytes * 10 + c - 48;
    if (bytesEnd === bytesStart) {
      if (line.charCodeAt(bytesStart) !== 45) return false;
      bytes = null;
      bytesEnd++;
    }
    const after = line.charCodeAt(bytesEnd);
    if (after === after && after !== SPACE) return false;
    this.reqStart = reqStart;
    this.reqEnd = reqEnd;
    this.status = status;
    this.bytes = bytes;

    // `"referer" "user agent"` after the bytes makes it combined.
    this.combined = false;
    this.rest = bytesEnd;
    if (line.charCodeAt(bytesEnd + 1) === QUOTE && after === SPACE) {
      const refStart = bytesEnd + 2;
      // The first unescaped quote closes the referer when a quoted user agent follows: the usual
      // case, and the same answer as searching `" "` first (escaped quotes aside, handled below).
      let refEnd = closingQuote(line, refStart);
      if (refEnd < 0 || line.charCodeAt(refEnd + 1) !== SPACE || line.charCodeAt(refEnd + 2) !== QUOTE) {
        refEnd = line.indexOf('" "', refStart);
        if (refEnd <= 0 || line.charCodeAt(refEnd - 1) === BACKSLASH) refEnd = -1;
      }
      if (refEnd > 0) {
        const uaEnd = closingQuote(line, refEnd + 3);
        if (uaEnd > 0) {
          this.combined = true;
          this.refStart = refStart;
          this.refEnd = refEnd;
          this.uaEnd = uaEnd;
          this.rest = uaEnd + 1;
        }
      }
    }
    return true;
  }

  /** `dd/Mon/yyyy:HH:MM:SS[.fff] [+zzzz]` between `start` and `end`; the hour + zone conversion is cached. */
  private readTime(line: string, start: number, end: number): number {
    if (line.charCodeAt(start + 2) !== 47 || line.charCodeAt(start + 6) !== 47 || line.charCodeAt(start + 11) !== 58 || line.charCodeAt(start + 14) !== 58) return NaN;
    const d = twoDigitsAt(line, start);
    const mo = monthAt(line, start + 3);
    const y = digitsAt(line, start + 7, 4);
    const h = twoDigitsAt(line, start + 12);
    const mi = twoDigitsAt(line, start + 15);
    const s = twoDigitsAt(line, start + 18);
    if (d < 0 || mo === 0 || y < 0 || h < 0 || mi < 0 || s < 0 || mi > 59 || s > 60) return NaN;
    let ms = 0;
    let zonePos = start + 20;
    if (line.charCodeAt(zonePos) === 46) {
      let k = zonePos + 1;
      let scale = 100;
      while (isDigitCode(line.charCodeAt(k))) {
        if (scale >= 1) ms += (line.charCodeAt(k) - 48) * scale;
        scale /= 10;
        k++;
      }
      zonePos = k;
    }
    // Without a written zone the source's zone applies (the resolver caches that conversion).
    if (zonePos === end) return this.ctx.time.fields(y, mo, d, h, mi, s, ms, NaN);
    if (line.charCodeAt(zonePos) !== SPACE || zonePos + 6 !== end) return NaN;
    const sign = line.charCodeAt(zonePos + 1);
    const zh = twoDigitsAt(line, zonePos + 2);
    const zm = twoDigitsAt(line, zonePos + 4);
    if ((sign !== 43 && sign !== 45) || zh < 0 || zm < 0) return NaN;
    // Consecutive lines share the hour and zone: one number keys both, so the calendar maths runs once an hour.
    const key = ((((y * 13 + mo) * 100 + d) * 100 + h) * 2 + (sign === 45 ? 1 : 0)) * 10_000 + zh * 100 + zm;
    if (key !== this.cachedKey) {
      const base = utcMs(y, mo, d, h, 0, 0, 0) - (sign === 45 ? -1 : 1) * (zh * 60 + zm) * 60_000;
      if (base !== base) return NaN;
      this.cachedKey = key;
      this.cachedBase = base;
    }
    return this.cachedBase + mi * 60_000 + s * 1000 + ms;
  }
}

export const accessFormat: FormatSpec = {
  name: 'access',
  aliases: ['combined', 'common', 'apache', 'nginx', 'clf'],
  create: (ctx) => new AccessParser(ctx),
};
