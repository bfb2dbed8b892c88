// JSON lines whose fields the generic JSON parser (json.ts) would read wrongly: a level on another scale
// (GELF's and journald's syslog 0–7, where json.ts reads 0–4 as Nextcloud's), a time in µs or ns, a
// message under a name of their own. Each dialect is recognised by a key only it writes, so detection
// prefers it over `json` on the same lines; every field not read into time, level and message is kept
// in metadata. Field names and level mappings from each producer's documentation and lnav's definitions
// (journald_json_log, mongodb_json_log, otel_collector_log, cloudflare_log, macosuni_log, github_events_log).
import type { Level, LogEntry } from '../../types.ts';
import { makeEntry, timeOrReceived, type FormatSpec, type LineParser, type ParseContext } from '../format.ts';
import { levelFromStatus, levelFromSyslogSeverity, levelFromValue } from '../level.ts';
import { epochToMs } from '../time/epoch.ts';
import { parseTimeValue } from '../time/timestamps.ts';

/** What a dialect reads of a parsed line; `taken` are the keys left out of metadata. */
interface Read {
  time: number;
  /** The written time, for `timestamp_unparsed` when `time` is NaN. */
  timeText: string;
  level: Level;
  message: string;
  taken: readonly string[];
  /** Fields to add to metadata (named as LogWatch's other formats name them). */
  extra?: Record<string, unknown>;
}

interface Dialect {
  readonly name: string;
  readonly aliases: readonly string[];
  /** A text only this dialect's lines hold (checked before parsing). */
  readonly signature: string;
  /** What the line means, or null when the parsed object is not of this dialect after all. */
  read(obj: Record<string, unknown>, ctx: ParseContext): Read | null;
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A number written as a JSON number or a digit string (journald writes every value as a string). */
function numeric(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return NaN;
}

/** Syslog severity 0–7 as a level, or UNKNOWN for anything else. */
function syslogLevel(value: unknown): Level {
  const n = numeric(value);
  return Number.isInteger(n) && n >= 0 && n <= 7 ? levelFromSyslogSeverity(n) : 'UNKNOWN';
}

/** GELF 1.1: `short_message`, `level` on the syslog scale, `timestamp` in seconds with a fraction. */
const gelf: Dialect = {
  name: 'gelf',
  aliases: [],
  signature: '"short_message"',
  read(obj, ctx) {
    if (typeof obj.short_message !== 'string') return null;
    const time = typeof obj.timestamp === 'number' ? epochToMs(obj.timestamp) : parseTimeValue(obj.timestamp, ctx.time);
    return {
      time, timeText: text(obj.timestamp), level: syslogLevel(obj.level), message: obj.short_message,
      taken: ['short_message', 'level', 'timestamp'],
    };
  },
};

/** `journalctl -o json`: `__REALTIME_TIMESTAMP` in µs, `PRIORITY` 0–7, `MESSAGE` (bytes as an array when not UTF-8). */
const journald: Dialect = {
  name: 'journald-json',
  aliases: ['journald'],
  signature: '"__REALTIME_TIMESTAMP"',
  read(obj) {
    const us = numeric(obj.__REALTIME_TIMESTAMP);
    let message = obj.MESSAGE;
    if (Array.isArray(message)) message = new TextDecoder().decode(Uint8Array.from(message as number[]));
    const extra: Record<string, unknown> = {};
    if (obj.SYSLOG_IDENTIFIER !== undefined) extra.program = obj.SYSLOG_IDENTIFIER;
    if (obj._HOSTNAME !== undefined) extra.host = obj._HOSTNAME;
    if (obj._PID !== undefined) extra.pid = numeric(obj._PID) === numeric(obj._PID) ? numeric(obj._PID) : obj._PID;
    if (obj._SYSTEMD_UNIT !== undefined) extra.unit = obj._SYSTEMD_UNIT;
    return {
      time: us === us ? Math.floor(us / 1000) : NaN, timeText: text(obj.__REALTIME_TIMESTAMP),
      level: syslogLevel(obj.PRIORITY), message: text(message), taken: ['__REALTIME_TIMESTAMP', 'PRIORITY', 'MESSAGE'], extra,
    };
  },
};

const MONGO_LEVELS: Readonly<Record<string, Level>> = { F: 'CRITICAL', E: 'ERROR', W: 'WARNING', I: 'INFO', D: 'DEBUG', D1: 'DEBUG', D2: 'DEBUG', D3: 'DEBUG', D4: 'DEBUG', D5: 'DEBUG' };

/** MongoDB ≥ 4.4 structured logs: `{"t":{"$date":…},"s":"W","c":"NETWORK","id":…,"ctx":…,"msg":…,"attr":{…}}`. */
const mongodb: Dialect = {
  name: 'mongodb-json',
  aliases: ['mongodb'],
  signature: '"$date"',
  read(obj, ctx) {
    const t = obj.t as Record<string, unknown> | undefined;
    if (typeof t !== 'object' || t === null || typeof obj.s !== 'string' || obj.msg === undefined) return null;
    let date = t.$date;
    // Relaxed extended JSON writes ISO text; canonical writes {"$numberLong": "<ms>"}.
    if (typeof date === 'object' && date !== null) date = numeric((date as Record<string, unknown>).$numberLong);
    const time = typeof date === 'number' ? date : parseTimeValue(date, ctx.time);
    return { time, timeText: text(date), level: MONGO_LEVELS[obj.s] ?? 'UNKNOWN', message: text(obj.msg), taken: ['t', 's', 'msg'] };
  },
};

/** OTLP SeverityNumber: 1–4 TRACE, 5–8 DEBUG, 9–12 INFO, 13–16 WARN, 17–20 ERROR, 21–24 FATAL. */
function otelSeverity(n: number): Level {
  if (!(n >= 1 && n <= 24)) return 'UNKNOWN';
  if (n <= 8) return 'DEBUG';
  if (n <= 12) return 'INFO';
  if (n <= 16) return 'WARNING';
  if (n <= 20) return 'ERROR';
  return 'CRITICAL';
}

/** An OTLP AnyValue (`{"stringValue": …}`, `{"intValue": "3"}`, kvlist, array) as a plain value. */
function anyValue(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const v = value as Record<string, unknown>;
  if ('stringValue' in v) return v.stringValue;
  if ('intValue' in v) return numeric(v.intValue) === numeric(v.intValue) ? numeric(v.intValue) : v.intValue;
  if ('doubleValue' in v) return v.doubleValue;
  if ('boolValue' in v) return v.boolValue;
  if ('bytesValue' in v) return v.bytesValue;
  if ('arrayValue' in v) return ((v.arrayValue as { values?: unknown[] }).values ?? []).map(anyValue);
  if ('kvlistValue' in v) return keyValues((v.kvlistValue as { values?: unknown[] }).values);
  return value;
}

/** OTLP attributes (`[{"key": k, "value": AnyValue}]`) as an object; a plain object is kept as it is. */
function keyValues(list: unknown): unknown {
  if (!Array.isArray(list)) return list;
  const out: Record<string, unknown> = {};
  for (const kv of list) {
    if (typeof kv === 'object' && kv !== null && typeof (kv as { key?: unknown }).key === 'string') {
      out[(kv as { key: string }).key] = anyValue((kv as { value?: unknown }).value);
    }
  }
  return out;
}

/**
 * OpenTelemetry log records as JSON: the OTLP/JSON LogRecord (`timeUnixNano`, `severityNumber`,
 * `severityText`, `body` AnyValue, `attributes` list) and the collector's flat export (`timestamp_ns`,
 * `severity`, `severity_number`, `body`) that lnav's otel_collector_log reads.
 */
const otel: Dialect = {
  name: 'otel-json',
  aliases: ['otlp-json', 'opentelemetry'],
  signature: 'everity',
  read(obj, ctx) {
    const number = numeric(obj.severityNumber ?? obj.severity_number);
    const severityText = obj.severityText ?? obj.severity_text ?? obj.severity;
    if (number !== number && severityText === undefined) return null;
    const timeValue = obj.timeUnixNano ?? obj.timestamp_ns ?? obj.observedTimeUnixNano ?? obj.observed_ns;
    if (timeValue === undefined && obj.body === undefined) return null;
    const ns = numeric(timeValue);
    const time = ns === ns ? Math.floor(ns / 1e6) : parseTimeValue(timeValue, ctx.time);
    const level = (severityText !== undefined && severityText !== '' ? levelFromValue(severityText) : undefined) ?? otelSeverity(number);
    const extra: Record<string, unknown> = {};
    if (Array.isArray(obj.attributes)) extra.attributes = keyValues(obj.attributes);
    const timeKey = obj.timeUnixNano !== undefined ? 'timeUnixNano' : 'timestamp_ns';
    return {
      time, timeText: text(timeValue), level, message: text(anyValue(obj.body)),
      taken: [timeKey, 'severityText', 'severity_text', 'severity', 'body', ...(extra.attributes !== undefined ? ['attributes'] : [])],
      extra,
    };
  },
};

/** Cloudflare Logpush HTTP requests: times in ns (or RFC 3339), the level from the edge status. */
const cloudflare: Dialect = {
  name: 'cloudflare-json',
  aliases: ['cloudflare'],
  signature: '"EdgeStartTimestamp"',
  read(obj, ctx) {
    const value = obj.EdgeStartTimestamp;
    const n = numeric(value);
    const time = n === n ? epochToMs(n) : parseTimeValue(value, ctx.time);
    const status = numeric(obj.EdgeResponseStatus);
    const message = `${text(obj.ClientRequestMethod)} ${text(obj.ClientRequestURI)}`.trim();
    // lnav maps the cache status (hit = info, miss = warning); LogWatch reads HTTP status as for access logs.
    return { time, timeText: text(value), level: status === status ? levelFromStatus(status) : 'UNKNOWN', message, taken: ['EdgeStartTimestamp'] };
  },
};

const MACOS_LEVELS: Readonly<Record<string, Level>> = { Default: 'INFO', Info: 'INFO', Debug: 'DEBUG', Error: 'ERROR', Fault: 'CRITICAL' };

/** macOS unified logging, `log show --style ndjson`: `eventMessage`, `messageType`, `timestamp`. */
const macosUnified: Dialect = {
  name: 'macos-unified',
  aliases: ['macosuni'],
  signature: '"eventMessage"',
  read(obj, ctx) {
    if (obj.eventMessage === undefined) return null;
    return {
      time: parseTimeValue(obj.timestamp, ctx.time), timeText: text(obj.timestamp),
      level: MACOS_LEVELS[text(obj.messageType)] ?? 'UNKNOWN', message: text(obj.eventMessage), taken: ['eventMessage', 'messageType', 'timestamp'],
    };
  },
};

/** GitHub's events API as JSON lines: `type`, `actor`, `repo`, `created_at`. */
const githubEvents: Dialect = {
  name: 'github-events',
  aliases: [],
  signature: '"created_at"',
  read(obj, ctx) {
    const actor = obj.actor as Record<string, unknown> | undefined;
    const repo = obj.repo as Record<string, unknown> | undefined;
    if (typeof obj.type !== 'string' || typeof actor !== 'object' || typeof repo !== 'object' || actor === null || repo === null) return null;
    const message = `${obj.type} ${text(actor.display_login ?? actor.login)} ${text(repo.name)}`;
    return { time: parseTimeValue(obj.created_at, ctx.time), timeText: text(obj.created_at), level: 'INFO', message, taken: ['created_at'] };
  },
};

export const JSON_DIALECTS: readonly Dialect[] = [gelf, journald, mongodb, otel, cloudflare, macosUnified, githubEvents];

class DialectJsonParser implements LineParser {
  readonly multiline = 'none' as const;
  readonly name: string;

  constructor(private readonly dialect: Dialect, private readonly ctx: ParseContext) {
    this.name = dialect.name;
  }

  parse(line: string): LogEntry | null {
    let i = 0;
    while (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9) i++;
    if (line.charCodeAt(i) !== 123 || !line.includes(this.dialect.signature)) return null;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      return null;
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return null;
    const fields = obj as Record<string, unknown>;
    const read = this.dialect.read(fields, this.ctx);
    if (read === null) return null;
    for (const key of read.taken) delete fields[key];
    const metadata: Record<string, unknown> = read.extra === undefined ? fields : Object.assign(fields, read.extra);
    const time = timeOrReceived(this.ctx, read.time, read.timeText, metadata);
    return makeEntry(this.ctx, time, read.level, read.message, this.name, metadata, line);
  }
}

export const jsonDialectFormats: readonly FormatSpec[] = JSON_DIALECTS.map((dialect) => ({
  name: dialect.name,
  aliases: dialect.aliases,
  create: (ctx: ParseContext) => new DialectJsonParser(dialect, ctx),
}));
