// Apache/Nginx access logs: common (`%h %l %u %t "%r" %>s %b`), combined (+ `"%{Referer}i"
// "%{User-agent}i"`), an optional virtual host first (`%v` / `$host`), and anything after the user
// agent (request time, X-Forwarded-For...) kept as extra fields. Hand-scanned: this is the format with
// the most lines per second to keep up with.
import type { LogEntry } from '../../types.ts';
import { makeEntry, type FormatSpec, type LineParser, type ParseContext } from '../format.ts';
import { levelFromStatus } from '../level.ts';
import { digitsAt, isDigitCode, monthAt, utcMs } from '../time.ts';

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

class AccessParser implements LineParser {
  readonly name = 'access';
  readonly multiline = 'none' as const;
  // Cache of the last `dd/Mon/yyyy:HH` + zone converted.
  private cachedHour = '';
  private cachedZone = '';
  private cachedBase = 0;

  constructor(private readonly ctx: ParseContext) {}

  parse(line: string): LogEntry | null {
    const open = line.indexOf(' [');
    if (open < 5 || open > 300) return null;
    // Head: `host ident user` or `vhost host ident user`.
    const s1 = line.indexOf(' ');
    const s2 = line.indexOf(' ', s1 + 1);
    const s3 = line.indexOf(' ', s2 + 1);
    if (s2 < 0 || s3 < 0 || s3 > open) return null;
    let vhost: string | undefined;
    let hostStart = 0;
    let identStart = s1 + 1;
    let userStart = s2 + 1;
    if (s3 !== open) {
      if (line.indexOf(' ', s3 + 1) !== open) return null;
      vhost = line.slice(0, s1);
      hostStart = s1 + 1;
      identStart = s2 + 1;
      userStart = s3 + 1;
    }
    const ip = line.slice(hostStart, identStart - 1);

    // [dd/Mon/yyyy:HH:MM:SS +zzzz]
    const ts = open + 2;
    const close = line.indexOf(']', ts);
    if (close < 0 || line.charCodeAt(close + 1) !== SPACE || line.charCodeAt(close + 2) !== QUOTE) return null;
    const time = this.time(line, ts, close);
    if (time !== time) return null;

    const reqStart = close + 3;
    const reqEnd = requestEnd(line, reqStart);
    if (reqEnd < 0) return null;
    const statusStart = reqEnd + 2;
    let status = digitsAt(line, statusStart, 3);
    let bytesStart = statusStart + 4;
    if (status < 0) {
      if (line.charCodeAt(statusStart) !== 45) return null;
      bytesStart = statusStart + 2;
      status = 0;
    }
    if (line.charCodeAt(bytesStart - 1) !== SPACE) return null;
    let bytesEnd = bytesStart;
    let bytes: number | null = 0;
    for (let c = line.charCodeAt(bytesEnd); c >= 48 && c <= 57; c = line.charCodeAt(++bytesEnd)) bytes = bytes * 10 + c - 48;
    if (bytesEnd === bytesStart) {
      if (line.charCodeAt(bytesStart) !== 45) return null;
      bytes = null;
      bytesEnd++;
    }
    const after = line.charCodeAt(bytesEnd);
    if (after === after && after !== SPACE) return null;

    const request = line.slice(reqStart, reqEnd);
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

    let referer: string | null = null;
    let userAgent: string | null = null;
    let format = 'common';
    let rest = bytesEnd;
    if (line.charCodeAt(rest + 1) === QUOTE && line.charCodeAt(rest) === SPACE) {
      const refEnd = line.indexOf('" "', rest + 2);
      if (refEnd > 0 && line.charCodeAt(refEnd - 1) !== BACKSLASH) {
        const uaEnd = closingQuote(line, refEnd + 3);
        if (uaEnd > 0) {
          referer = line.slice(rest + 2, refEnd);
          userAgent = line.slice(refEnd + 3, uaEnd);
          format = 'combined';
          rest = uaEnd + 1;
        }
      } else {
        const refEnd2 = closingQuote(line, rest + 2);
        if (refEnd2 > 0 && line.charCodeAt(refEnd2 + 1) === SPACE && line.charCodeAt(refEnd2 + 2) === QUOTE) {
          const uaEnd = closingQuote(line, refEnd2 + 3);
          if (uaEnd > 0) {
            referer = line.slice(rest + 2, refEnd2);
            userAgent = line.slice(refEnd2 + 3, uaEnd);
            format = 'combined';
            rest = uaEnd + 1;
          }
        }
      }
    }
    const metadata: Record<string, unknown> = {
      ip, method, path, protocol, status: status === 0 ? null : status, bytes, referer, user_agent: userAgent,
    };
    if (rest < line.length) {
      const extra = line.slice(rest).trim();
      if (extra.length > 0) {
        const n = Number(extra);
        if (Number.isFinite(n)) metadata.request_time = n;
        else metadata.extra = extra;
      }
    }
    if (vhost !== undefined) metadata.vhost = vhost;
    if (line.charCodeAt(identStart) !== 45 || userStart - identStart !== 2) metadata.ident = line.slice(identStart, userStart - 1);
    if (line.charCodeAt(userStart) !== 45 || open - userStart !== 1) metadata.user = line.slice(userStart, open);

    return makeEntry(this.ctx, time, status === 0 ? 'INFO' : levelFromStatus(status), request, format, metadata, line);
  }

  /** `dd/Mon/yyyy:HH:MM:SS[.fff] [+zzzz]` between `start` and `end`; the hour part is cached. */
  private time(line: string, start: number, end: number): number {
    if (line.charCodeAt(start + 2) !== 47 || line.charCodeAt(start + 11) !== 58) return NaN;
    const mi = digitsAt(line, start + 15, 2);
    const s = digitsAt(line, start + 18, 2);
    if (mi < 0 || s < 0 || mi > 59 || s > 60) return NaN;
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
    const hasZone = line.charCodeAt(zonePos) === SPACE && zonePos + 6 === end;
    if (hasZone && this.cachedHour.length > 0 && line.startsWith(this.cachedHour, start) && line.startsWith(this.cachedZone, zonePos + 1)) {
      return this.cachedBase + mi * 60_000 + s * 1000 + ms;
    }
    if (!hasZone && zonePos !== end) return NaN;
    const d = digitsAt(line, start, 2);
    const mo = monthAt(line, start + 3);
    const y = digitsAt(line, start + 7, 4);
    const h = digitsAt(line, start + 12, 2);
    if (d < 0 || mo === 0 || y < 0 || h < 0 || line.charCodeAt(start + 6) !== 47 || line.charCodeAt(start + 14) !== 58) return NaN;
    // Without a written zone the source's zone applies (the resolver caches that conversion).
    if (!hasZone) return this.ctx.time.fields(y, mo, d, h, mi, s, ms, NaN);
    const sign = line.charCodeAt(zonePos + 1);
    const zh = digitsAt(line, zonePos + 2, 2);
    const zm = digitsAt(line, zonePos + 4, 2);
    if ((sign !== 43 && sign !== 45) || zh < 0 || zm < 0) return NaN;
    const offset = (sign === 45 ? -1 : 1) * (zh * 60 + zm);
    const base = utcMs(y, mo, d, h, 0, 0, 0) - offset * 60_000;
    if (base !== base) return NaN;
    this.cachedHour = line.slice(start, start + 14);
    this.cachedZone = line.slice(zonePos + 1, end);
    this.cachedBase = base;
    return base + mi * 60_000 + s * 1000 + ms;
  }
}

export const accessFormat: FormatSpec = {
  name: 'access',
  aliases: ['combined', 'common', 'apache', 'nginx', 'clf'],
  create: (ctx) => new AccessParser(ctx),
};
