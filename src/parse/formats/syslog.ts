// Syslog as written to files and sent over the wire.
// - RFC 3164 / BSD: `[<PRI>]Mmm dd hh:mm:ss [host] tag[pid]: msg` (no year: inferred), also with an
//   RFC 3339 time as rsyslog writes by default on current distributions.
// - RFC 5424: `[<PRI>VERSION ]TIMESTAMP HOST APP PROCID MSGID SD MSG` (structured data into metadata;
//   files such as VMware's omit the `<PRI>VERSION` header).
// Severity comes from PRI when present, else from a `level` SD parameter, else from a level word that
// opens the message (`error: ...`, `<warn>`), else UNKNOWN: BSD files do not write a severity.
import type { Level, LogEntry } from '../../types.ts';
import { makeEntry, type FormatSpec, type LineParser, type ParseContext } from '../format.ts';
import { levelFromStrongWord, levelFromSyslogSeverity, levelFromValue } from '../level.ts';
import { digitsAt, isDigitCode } from '../digits.ts';
import { monthAt } from '../time/calendar.ts';
import { monthNameAt, monthNameEnd } from '../time/month-names.ts';
import type { TimeResolver } from '../time/resolver.ts';
import { isoAt, newTimestampMatch } from '../time/timestamps.ts';
import { ESX_START, headerSeverity, netfilterFields } from './syslog-extras.ts';

const FACILITIES = ['kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp', 'ntp', 'security', 'console', 'solaris-cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'];

/** `name[pid]:`, `name:` or `name[pid]` at the start of the text after the timestamp/host. */
const TAG = /^([^\s[\]:]{1,128})(?:\[([^\]\s]{1,32})\])?(?::(?: |$)|(?= \())/;
/** A level word opening a message: `error: `, `<warn>`, `[ERROR]`, `WARNING:`. */
const MESSAGE_LEVEL = /^(?:<(\w{3,9})>|\[(\w{3,9})\]|(\w{3,9}):(?: |$))/;

/** Parses RFC 5424 structured data at `i`; sets `sdEnd`. Returns null when malformed. */
let sdEnd = 0;
function structuredData(line: string, i: number): Record<string, Record<string, string>> | null {
  const out: Record<string, Record<string, string>> = {};
  while (line.charCodeAt(i) === 91 /* [ */) {
    let j = i + 1;
    while (j < line.length && line.charCodeAt(j) !== 32 && line.charCodeAt(j) !== 93) j++;
    const id = line.slice(i + 1, j);
    if (id.length === 0) return null;
    const params: Record<string, string> = {};
    while (line.charCodeAt(j) === 32) {
      j++;
      const eq = line.indexOf('="', j);
      if (eq < 0) return null;
      const name = line.slice(j, eq);
      let k = eq + 2;
      let value = '';
      let chunk = k;
      for (; k < line.length; k++) {
        const c = line.charCodeAt(k);
        if (c === 92 && k + 1 < line.length) {
          value += line.slice(chunk, k);
          chunk = k + 1;
          k++;
        } else if (c === 34) break;
      }
      if (k >= line.length) return null;
      params[name] = value + line.slice(chunk, k);
      j = k + 1;
    }
    if (line.charCodeAt(j) !== 93) return null;
    out[id] = params;
    i = j + 1;
  }
  sdEnd = i;
  return out;
}

/** True when the text of a timestamp between `from` and `to` holds a zone (`Z`, `+hh:mm`, `-hhmm`). */
function zoneWritten(line: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = line.charCodeAt(k);
    if (c === 90 || c === 43 || c === 45) return true;
  }
  return false;
}

function levelOpeningMessage(message: string): Level | undefined {
  const m = MESSAGE_LEVEL.exec(message);
  if (m === null) return undefined;
  return levelFromStrongWord(m[1] ?? m[2] ?? m[3]!);
}

class SyslogParser implements LineParser {
  readonly name = 'syslog';
  readonly multiline = 'indented' as const;
  private readonly stamp = newTimestampMatch();
  private readonly severity: { level: Level } = { level: 'UNKNOWN' };

  constructor(private readonly ctx: ParseContext) {}

  parse(line: string): LogEntry | null {
    let i = 0;
    let pri = -1;
    let version = -1;
    if (line.charCodeAt(0) === 60 /* < */) {
      const close = line.indexOf('>', 1);
      if (close < 2 || close > 4) return null;
      pri = digitsAt(line, 1, close - 1);
      if (pri < 0 || pri > 191) return null;
      i = close + 1;
      // `<PRI>1 ` opens RFC 5424.
      if (isDigitCode(line.charCodeAt(i))) {
        let j = i;
        while (isDigitCode(line.charCodeAt(j)) && j - i < 2) j++;
        if (line.charCodeAt(j) === 32 && isDigitCode(line.charCodeAt(j + 1)) || line.startsWith(' - ', j)) {
          version = digitsAt(line, i, j - i);
          i = j + 1;
        }
      }
    }
    const c = line.charCodeAt(i);
    if (isDigitCode(c) || (c === 45 && version >= 0)) return this.rfc5424(line, i, pri, version);
    return this.rfc3164(line, i, pri);
  }

  private rfc3164(line: string, i: number, pri: number): LogEntry | null {
    const time = this.bsdTime(line, i, this.ctx.time);
    if (time !== time) return null;
    return this.afterTime(line, this.bsdEnd, pri, time, 'syslog-rfc3164');
  }

  /** The text after the timestamp: `host tag[pid]: msg`, `tag[pid]: msg`, or `host msg`. */
  private afterTime(line: string, i: number, pri: number, time: number, format: string): LogEntry {
    const metadata: Record<string, unknown> = {};
    let rest = line.slice(i);
    // issue 16: a severity where the host is (ESXi `In(14)`) or after it (UniFi `user.warn`): syslog-extras.ts.
    let written = headerSeverity(rest, metadata, this.severity);
    if (written > 0) rest = rest.slice(written);
    // The first word is the tag when it looks like one (`sshd[12]:`, `kernel:`), else the host.
    let tag = TAG.exec(rest);
    if (tag === null) {
      const space = rest.indexOf(' ');
      if (space > 0) {
        metadata.host = rest.slice(0, space);
        rest = rest.slice(space + 1);
        const after = written > 0 ? 0 : headerSeverity(rest, metadata, this.severity);
        if (after > 0) {
          rest = rest.slice(after);
          written = after;
        }
        tag = TAG.exec(rest);
      }
    }
    let message = rest;
    if (tag !== null) {
      metadata.program = tag[1];
      if (tag[2] !== undefined) {
        const pid = Number(tag[2]);
        metadata.pid = Number.isInteger(pid) ? pid : tag[2];
      }
      message = rest.slice(tag[0].length);
      if (message.charCodeAt(0) === 32) message = message.slice(1);
    }
    if (message.includes('IN=')) netfilterFields(message, metadata);
    let level: Level;
    if (pri >= 0) {
      level = levelFromSyslogSeverity(pri & 7);
      metadata.facility = FACILITIES[pri >> 3] ?? pri >> 3;
      metadata.severity = pri & 7;
    } else if (written > 0) {
      level = this.severity.level;
    } else {
      level = levelOpeningMessage(message) ?? 'UNKNOWN';
    }
    return makeEntry(this.ctx, time, level, message, format, metadata, line);
  }

  private bsdEnd = 0;

  /** `Mmm dd hh:mm:ss[.fff][ yyyy]` or `Mmm dd yyyy hh:mm:ss` at `i`, followed by a space. */
  private bsdTime(line: string, i: number, r: TimeResolver): number {
    let mo = monthAt(line, i);
    let j = i + 4;
    if (mo === 0 || line.charCodeAt(i + 3) !== 32) {
      // Localised syslog (`août 19 11:08:37`, `Okt. 3 …`, `dic 3 …`): month-names.ts.
      mo = monthNameAt(line, i);
      if (mo === 0 || line.charCodeAt(monthNameEnd) !== 32) return NaN;
      j = monthNameEnd + 1;
    }
    if (line.charCodeAt(j) === 32) j++;
    let d = digitsAt(line, j, 2);
    if (d < 0) {
      d = digitsAt(line, j, 1);
      if (d < 0) return NaN;
      j += 1;
    } else j += 2;
    if (line.charCodeAt(j) !== 32) return NaN;
    j++;
    let year = -1;
    if (line.charCodeAt(j + 4) === 32 && isDigitCode(line.charCodeAt(j + 3))) {
      year = digitsAt(line, j, 4);
      if (year < 0) return NaN;
      j += 5;
    }
    const h = digitsAt(line, j, 2);
    const mi = digitsAt(line, j + 3, 2);
    const s = digitsAt(line, j + 6, 2);
    if (h < 0 || mi < 0 || s < 0 || line.charCodeAt(j + 2) !== 58 || line.charCodeAt(j + 5) !== 58) return NaN;
    j += 8;
    let ms = 0;
    if (line.charCodeAt(j) === 46 && isDigitCode(line.charCodeAt(j + 1))) {
      let scale = 100;
      j++;
      while (isDigitCode(line.charCodeAt(j))) {
        if (scale >= 1) ms += (line.charCodeAt(j) - 48) * scale;
        scale /= 10;
        j++;
      }
    }
    if (year < 0 && line.charCodeAt(j) === 32 && line.charCodeAt(j + 5) === 32) {
      const trailing = digitsAt(line, j + 1, 4);
      if (trailing >= 1970) {
        year = trailing;
        j += 5;
      }
    }
    if (line.charCodeAt(j) !== 32) return NaN;
    this.bsdEnd = j + 1;
    return year >= 0 ? r.fields(year, mo, d, h, mi, s, ms, NaN) : r.yearless(mo, d, h, mi, s, ms, NaN);
  }

  private rfc5424(line: string, i: number, pri: number, version: number): LogEntry | null {
    let time: number;
    let j: number;
    if (line.charCodeAt(i) === 45 && line.charCodeAt(i + 1) === 32) {
      time = this.ctx.receivedAt;
      j = i + 2;
    } else {
      // Without the `<PRI>VERSION` header only an RFC 3339 time (`T`, zone) marks a syslog line.
      if (!isoAt(line, i, this.ctx.time, this.stamp, true)) return null;
      if (version < 0 && (line.charCodeAt(i + 10) !== 84 || !zoneWritten(line, i + 19, this.stamp.end))) return null;
      time = this.stamp.time;
      j = this.stamp.end;
      if (line.charCodeAt(j) !== 32) return null;
      j++;
    }
    const entry = this.rfc5424Fields(line, j, pri, version, time);
    if (entry !== null || version >= 0) return entry;
    return this.isoBsd(line, j, pri, time);
  }

  /** `HOST APP PROCID MSGID SD [MSG]` at `j`, each header field a word or `-`. */
  private rfc5424Fields(line: string, j: number, pri: number, version: number, time: number): LogEntry | null {
    const fields: string[] = [];
    for (let k = 0; k < 4; k++) {
      const space = line.indexOf(' ', j);
      if (space <= j) return null;
      fields.push(line.slice(j, space));
      j = space + 1;
    }
    let sd: Record<string, Record<string, string>> | null = null;
    if (line.charCodeAt(j) === 45 && (j + 1 === line.length || line.charCodeAt(j + 1) === 32)) {
      j += 1;
    } else if (line.charCodeAt(j) === 91) {
      sd = structuredData(line, j);
      if (sd === null) return null;
      j = sdEnd;
    } else {
      return null;
    }
    let message = j < line.length ? line.slice(j + 1) : '';
    // A UTF-8 BOM may open MSG; leading spaces are padding.
    if (message.charCodeAt(0) === 0xfeff) message = message.slice(1);
    message = message.trimStart();

    const [host, app, procid, msgid] = fields as [string, string, string, string];
    // Without the header, only a line whose fields look like syslog's is one (not `TIME LEVEL pid --- [...]`).
    if (version < 0 && (!/^(?:-|\d+)$/.test(procid) || levelFromStrongWord(host) !== undefined)) return null;
    const metadata: Record<string, unknown> = {};
    if (host !== '-') metadata.host = host;
    if (app !== '-') metadata.program = app;
    if (procid !== '-') {
      const pid = Number(procid);
      metadata.pid = Number.isInteger(pid) ? pid : procid;
    }
    if (msgid !== '-') metadata.msgid = msgid;
    let level: Level = 'UNKNOWN';
    if (sd !== null) {
      metadata.structured_data = sd;
      for (const id in sd) {
        const params = sd[id]!;
        const value = params.level ?? params.severity ?? params.lvl;
        if (value !== undefined) {
          level = levelFromValue(value) ?? 'UNKNOWN';
          if (level !== 'UNKNOWN') break;
        }
      }
    }
    if (pri >= 0) {
      level = levelFromSyslogSeverity(pri & 7);
      metadata.facility = FACILITIES[pri >> 3] ?? pri >> 3;
      metadata.severity = pri & 7;
    }
    if (version >= 0) metadata.version = version;
    return makeEntry(this.ctx, time, level, message, 'syslog-rfc5424', metadata, line);
  }

  /** `2026-11-30T10:15:02.123+01:00 host tag[pid]: msg` (rsyslog's RFC 3339 file format), text at `after`. */
  private isoBsd(line: string, after: number, pri: number, time: number): LogEntry | null {
    // Require a tag in the first or second word, or this is merely an ISO-stamped line.
    const rest = line.slice(after);
    if (TAG.exec(rest) === null && !ESX_START.test(rest)) {
      const space = rest.indexOf(' ');
      if (space < 0 || levelFromStrongWord(rest.slice(0, space)) !== undefined || TAG.exec(rest.slice(space + 1)) === null) return null;
    }
    return this.afterTime(line, after, pri, time, 'syslog-rfc3164');
  }
}

export const syslogFormat: FormatSpec = {
  name: 'syslog',
  aliases: ['syslog-rfc3164', 'syslog-rfc5424', 'rfc3164', 'rfc5424'],
  create: (ctx) => new SyslogParser(ctx),
};
