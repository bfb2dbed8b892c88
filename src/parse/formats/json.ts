// JSON lines (bunyan, pino, logrus/zap JSON, ECS, Serilog CLEF, Nextcloud, Caddy, Docker...): the
// usual names for level, message and time; every other field kept in metadata (nested objects too).
import type { Level, LogEntry } from '../../types.ts';
import { makeEntry, UNPARSED_TIME_KEY, type FormatSpec, type LineParser, type ParseContext } from '../format.ts';
import { levelFromValue } from '../level.ts';
import { parseTimeValue } from '../time.ts';

const LEVEL_KEYS = ['level', 'lvl', 'severity', 'levelname', 'log.level', 'loglevel', 'log_level', '@l', 'level_name', 'severity_text', 'Level', 'Severity', 'LEVEL'];
const MESSAGE_KEYS = ['msg', 'message', 'log', 'event', '@m', '@mt', 'text', 'Message', 'MESSAGE', 'msg_text'];
const TIME_KEYS = ['time', 'ts', 'timestamp', '@timestamp', '@t', 'datetime', 'date', 'Timestamp', 'time_local', 'eventTime', 'timeMillis'];

/** Lines longer than this are checked for nesting depth before their objects are kept. */
const DEPTH_CHECK_FROM = 1024;
/** Deeper structures are not kept in metadata: later stages serialise metadata recursively. */
const MAX_DEPTH = 64;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Maximum bracket nesting of JSON text (brackets inside strings ignored), stopping once over `limit`. */
function nestingDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  }
  return String(value);
}

class JsonParser implements LineParser {
  readonly name = 'json';
  readonly multiline = 'none' as const;
  // The key each field was last found under: most sources use one spelling, tried first.
  private levelKey = 'level';
  private messageKey = 'msg';
  private timeKey = 'time';
  // The last time text and what it meant: consecutive lines often share it.
  private lastTimeText: unknown = undefined;
  private lastTime = NaN;
  private lastZone: string | undefined = undefined;

  constructor(private readonly ctx: ParseContext) {}

  parse(line: string): LogEntry | null {
    let i = 0;
    while (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9) i++;
    if (line.charCodeAt(i) !== 123) return null;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      return null;
    }
    if (!isObject(obj)) return null;
    if (line.length > DEPTH_CHECK_FROM && nestingDepth(line, MAX_DEPTH) > MAX_DEPTH) return this.tooDeep(obj, line);

    const levelKey = this.find(obj, this.levelKey, LEVEL_KEYS);
    const messageKey = this.find(obj, this.messageKey, MESSAGE_KEYS);
    const timeKey = this.find(obj, this.timeKey, TIME_KEYS);
    if (levelKey !== undefined) this.levelKey = levelKey;
    if (messageKey !== undefined) this.messageKey = messageKey;
    if (timeKey !== undefined) this.timeKey = timeKey;

    let level: Level = 'UNKNOWN';
    if (levelKey !== undefined) level = levelFromValue(obj[levelKey]) ?? 'UNKNOWN';
    else {
      // ECS nests it: {"log": {"level": "info"}}.
      const log = obj.log;
      if (isObject(log)) level = levelFromValue(log.level) ?? 'UNKNOWN';
    }

    let time = this.ctx.receivedAt;
    let unparsed: string | undefined;
    if (timeKey !== undefined) {
      const t = this.time(obj[timeKey]);
      if (t === t) time = t;
      else unparsed = textOf(obj[timeKey]);
    }
    const message = messageKey !== undefined ? textOf(obj[messageKey]) : line;
    // The parsed object becomes the metadata once the fields read above are taken out of it: copying
    // the rest into a new object would cost more than the rest of this function.
    if (levelKey !== undefined) delete obj[levelKey];
    if (messageKey !== undefined) delete obj[messageKey];
    if (timeKey !== undefined) delete obj[timeKey];
    if (unparsed !== undefined) obj[UNPARSED_TIME_KEY] = unparsed;
    return makeEntry(this.ctx, time, level, message, 'json', obj, line);
  }

  private time(value: unknown): number {
    const zone = this.ctx.time.zone;
    if (value === this.lastTimeText && zone === this.lastZone) return this.lastTime;
    const t = parseTimeValue(value, this.ctx.time);
    this.lastTimeText = value;
    this.lastTime = t;
    this.lastZone = zone;
    return t;
  }

  private find(obj: Record<string, unknown>, last: string, keys: readonly string[]): string | undefined {
    const value = obj[last];
    if (value !== undefined && (last !== 'log' || typeof value === 'string')) return last;
    for (const key of keys) {
      const v = obj[key];
      // `log` is the message in Docker's JSON but an object of fields in ECS.
      if (v !== undefined && (key !== 'log' || typeof v === 'string')) return key;
    }
    return undefined;
  }

  /** A structure too deep to keep: its scalar top-level fields only. */
  private tooDeep(obj: Record<string, unknown>, line: string): LogEntry {
    const metadata: Record<string, unknown> = { json_too_deep: true };
    for (const key in obj) {
      const v = obj[key];
      if (typeof v !== 'object' || v === null) metadata[key] = v;
    }
    const levelKey = LEVEL_KEYS.find((k) => metadata[k] !== undefined);
    const messageKey = MESSAGE_KEYS.find((k) => typeof metadata[k] === 'string');
    const level = levelKey !== undefined ? levelFromValue(metadata[levelKey]) ?? 'UNKNOWN' : 'UNKNOWN';
    const message = messageKey !== undefined ? (metadata[messageKey] as string) : line;
    return makeEntry(this.ctx, this.ctx.receivedAt, level, message, 'json', metadata, line);
  }
}

export const jsonFormat: FormatSpec = {
  name: 'json',
  aliases: ['ndjson', 'jsonl'],
  create: (ctx) => new JsonParser(ctx),
};
