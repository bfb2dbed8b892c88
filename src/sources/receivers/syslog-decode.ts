// One syslog message as it arrives on the wire (a UDP datagram or a TCP frame), into a record. Pure.
// - RFC 5424: `<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD [MSG]`, structured data kept.
// - RFC 3164: `<PRI>Mmm dd hh:mm:ss HOST TAG[PID]: MSG`; its time has no year and no zone: it is read in
//   LogWatch's zone and given the year that puts it no more than a day ahead. rsyslog's forward format
//   (an RFC 3339 time in that slot) is read too.
// Whatever does not fit is still a message (RFC 3164 §4.3.3: relays must pass anything on): the whole
// text becomes MSG, the sender's address its host. A frame never fails to decode.
import type { Level } from '../../types.ts';
import { sourceName } from './intake.ts';
import type { ReceivedRecord } from './types.ts';

const FACILITIES = ['kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp', 'ntp', 'security', 'console', 'solaris-cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY_MS = 86_400_000;

/** The same table as the syslog file format (parse/level.ts): 0–2 CRITICAL, 3 ERROR, 4 WARNING, 5–6 INFO, 7 DEBUG. */
export function levelOfSeverity(severity: number): Level {
  if (severity <= 2) return 'CRITICAL';
  if (severity === 3) return 'ERROR';
  if (severity === 4) return 'WARNING';
  if (severity <= 6) return 'INFO';
  return 'DEBUG';
}

const RFC3339 = /^(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?([Zz]|[+-]\d\d:?\d\d)$/;
const BSD_TIME = /^([A-Z][a-z]{2}) ([ \d]\d) (\d\d):(\d\d):(\d\d)(?:\.\d{1,6})? /;
/** `tag[pid]:`, `tag:`, `tag[pid]` at the start of the text after the host (a bare word is MSG, not a tag). */
const TAG = /^([^\s[\]:]{1,128})(?:\[([^\]\s]{1,32})\])?(:)?(?: |$)/;

function tagAt(text: string): RegExpExecArray | null {
  const m = TAG.exec(text);
  return m !== null && (m[2] !== undefined || m[3] !== undefined) ? m : null;
}

/** Milliseconds of an RFC 3339 time, or NaN. */
export function rfc3339(text: string): number {
  const m = RFC3339.exec(text);
  if (m === null) return NaN;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return NaN;
  let ms = Date.UTC(Number(y), month - 1, day, hour, minute, Math.min(second, 59), frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000));
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return ms;
}

/** A yearless local time: the year that puts it at most a day after `now`. */
function bsdTime(month: number, day: number, h: number, mi: number, s: number, now: number): number {
  const year = new Date(now).getFullYear();
  let t = new Date(year, month, day, h, mi, s).getTime();
  if (t > now + DAY_MS) t = new Date(year - 1, month, day, h, mi, s).getTime();
  return t;
}

/** RFC 5424 structured data at `i`: the elements and where they end, or null when malformed. */
function structuredData(text: string, i: number): { sd: Record<string, Record<string, string>>; end: number } | null {
  const sd: Record<string, Record<string, string>> = {};
  while (text.charCodeAt(i) === 91 /* [ */) {
    let j = i + 1;
    while (j < text.length && text.charCodeAt(j) !== 32 && text.charCodeAt(j) !== 93) j++;
    const id = text.slice(i + 1, j);
    if (id.length === 0 || id.length > 32) return null;
    const params: Record<string, string> = Object.create(null) as Record<string, string>;
    while (text.charCodeAt(j) === 32) {
      j++;
      const eq = text.indexOf('="', j);
      if (eq <= j) return null;
      const name = text.slice(j, eq);
      let k = eq + 2;
      let value = '';
      let chunk = k;
      for (; k < text.length; k++) {
        const c = text.charCodeAt(k);
        if (c === 92 /* \ */ && k + 1 < text.length) {
          value += text.slice(chunk, k);
          chunk = k + 1;
          k++;
        } else if (c === 34 /* " */) break;
      }
      if (k >= text.length) return null;
      params[name] = value + text.slice(chunk, k);
      j = k + 1;
    }
    if (text.charCodeAt(j) !== 93) return null;
    sd[id] = { ...params };
    i = j + 1;
  }
  return { sd, end: i };
}

interface Header {
  pri: number;
  time?: number;
  host?: string;
  program?: string;
  pid?: number | string;
  msgid?: string;
  sd?: Record<string, Record<string, string>>;
  version?: number;
  message: string;
}

function pidValue(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) && n >= 0 ? n : text;
}

function rfc5424(text: string, pri: number, version: number): Header | null {
  const fields: string[] = [];
  let j = 0;
  for (let k = 0; k < 5; k++) {
    const space = text.indexOf(' ', j);
    if (space <= j) return null;
    fields.push(text.slice(j, space));
    j = space + 1;
  }
  const [stamp, host, app, procid, msgid] = fields as [string, string, string, string, string];
  let time: number | undefined;
  if (stamp !== '-') {
    time = rfc3339(stamp);
    if (time !== time) return null;
  }
  let sd: Record<string, Record<string, string>> | undefined;
  if (text.charCodeAt(j) === 45 /* - */ && (j + 1 === text.length || text.charCodeAt(j + 1) === 32)) {
    j += 1;
  } else {
    const parsed = structuredData(text, j);
    if (parsed === null) return null;
    sd = parsed.sd;
    j = parsed.end;
  }
  let message = j < text.length ? text.slice(j + 1) : '';
  if (message.charCodeAt(0) === 0xfeff) message = message.slice(1);
  // rsyslog's RFC 5424 template relays a message it got in RFC 3164 with the space that followed `tag:`
  // (`... - -  text`): without this every forwarded line shows and groups with a stray leading space.
  // One space only, so indentation (a stack frame sent on its own) keeps its shape.
  if (message.charCodeAt(0) === 32) message = message.slice(1);
  const header: Header = { pri, version, message };
  if (time !== undefined) header.time = time;
  if (host !== '-') header.host = host;
  if (app !== '-') header.program = app;
  if (procid !== '-') header.pid = pidValue(procid);
  if (msgid !== '-') header.msgid = msgid;
  if (sd !== undefined) header.sd = sd;
  return header;
}

/** `HOST TAG[PID]: MSG` after an RFC 3164 time; the host may be missing (`TAG: MSG`). */
function afterBsdTime(text: string, pri: number, time: number): Header {
  const header: Header = { pri, time, message: text };
  let rest = text;
  let tag = tagAt(rest);
  if (tag === null) {
    const space = rest.indexOf(' ');
    if (space > 0) {
      header.host = rest.slice(0, space);
      rest = rest.slice(space + 1);
      tag = tagAt(rest);
    }
  }
  if (tag !== null) {
    header.program = tag[1];
    if (tag[2] !== undefined) header.pid = pidValue(tag[2]);
    rest = rest.slice(tag[0].length);
  }
  header.message = rest;
  return header;
}

function header(text: string, now: number): Header {
  let pri = 13; // RFC 3164 §4.3.3: a message without PRI is user.notice
  let i = 0;
  if (text.charCodeAt(0) === 60 /* < */) {
    const close = text.indexOf('>');
    const value = close >= 2 && close <= 4 ? Number(text.slice(1, close)) : NaN;
    if (Number.isInteger(value) && value >= 0 && value <= 191 && /^\d+$/.test(text.slice(1, close))) {
      pri = value;
      i = close + 1;
    }
  }
  const body = text.slice(i);
  const version = /^([1-9]\d?) /.exec(body);
  if (version !== null) {
    const parsed = rfc5424(body.slice(version[0].length), pri, Number(version[1]));
    if (parsed !== null) return parsed;
  }
  const bsd = BSD_TIME.exec(body);
  if (bsd !== null) {
    const month = MONTHS.indexOf(bsd[1]);
    const day = Number(bsd[2].trim());
    const [h, mi, s] = [Number(bsd[3]), Number(bsd[4]), Number(bsd[5])];
    if (month >= 0 && day >= 1 && day <= 31 && h < 24 && mi < 60 && s < 61) {
      return afterBsdTime(body.slice(bsd[0].length), pri, bsdTime(month, day, h, mi, Math.min(s, 59), now));
    }
  }
  // rsyslog's forward format: an RFC 3339 time where RFC 3164 has its own.
  const space = body.indexOf(' ');
  if (space >= 19 && /^\d{4}-\d\d-\d\dT/.test(body)) {
    const time = rfc3339(body.slice(0, space));
    if (time === time) return afterBsdTime(body.slice(space + 1), pri, time);
  }
  return { pri, message: body };
}

/** Strips what framing leaves at the end of a message: LF, CRLF, NUL (some senders end datagrams so). */
function trimEnd(text: string): string {
  let end = text.length;
  while (end > 0) {
    const c = text.charCodeAt(end - 1);
    if (c !== 10 && c !== 13 && c !== 0) break;
    end--;
  }
  return end === text.length ? text : text.slice(0, end);
}

/** Decodes one message; `peer` (the sender's address) stands in for a missing host. */
export function decodeSyslog(frame: string, peer: string, now: number): ReceivedRecord {
  const text = trimEnd(frame);
  const h = header(text, now);
  const metadata: Record<string, unknown> = {};
  metadata.host = h.host ?? peer;
  if (h.program !== undefined) metadata.program = h.program;
  if (h.pid !== undefined) metadata.pid = h.pid;
  if (h.msgid !== undefined) metadata.msgid = h.msgid;
  metadata.facility = FACILITIES[h.pri >> 3] ?? h.pri >> 3;
  metadata.severity = h.pri & 7;
  if (h.sd !== undefined) metadata.structured_data = h.sd;
  if (h.host !== undefined && h.host !== peer) metadata.peer = peer;
  const record: ReceivedRecord = {
    source: sourceName(h.host ?? peer, h.program, peer, 'syslog'),
    line: h.message,
    raw: text,
    level: levelOfSeverity(h.pri & 7),
    metadata,
  };
  if (h.time !== undefined) record.time = h.time;
  return record;
}
