// JSON lines (bunyan, pino, logrus/zap JSON, ECS, Serilog CLEF, Nextcloud, Caddy, Docker...): the
// usual names for level, message and time; every other field kept in metadata (nested objects too).
import type { Level, LogEntry } from '../../types.ts';
import { NOT_KEPT, type MetadataBuilder } from '../entry.ts';
import { makeDeferredEntry, makeEntry, UNPARSED_TIME_KEY, type FormatSpec, type LineParser, type ParseContext } from '../format.ts';
import { levelFromValue } from '../level.ts';
import { isDigitCode, twoDigitsAt } from '../digits.ts';
import { parseTimeValue } from '../time/timestamps.ts';
import { ARRAY, FALSE, JsonKeyScanner, NULL, NUMBER, OBJECT, SCANNED, STRING, TOO_DEEP, TRUE } from './json-scan.ts';

const LEVEL_KEYS = ['level', 'lvl', 'severity', 'levelname', 'log.level', 'loglevel', 'log_level', '@l', 'level_name', 'severity_text', 'Level', 'Severity', 'LEVEL'];
const MESSAGE_KEYS = ['msg', 'message', 'log', 'event', '@m', '@mt', 'text', 'Message', 'MESSAGE', 'msg_text'];
const TIME_KEYS = ['time', 'ts', 'timestamp', '@timestamp', '@t', 'datetime', 'date', 'Timestamp', 'time_local', 'eventTime', 'timeMillis'];

/** Lines longer than this are checked for nesting depth before their objects are kept. */
const DEPTH_CHECK_FROM = 1024;
/** Deeper structures are not kept in metadata: later stages serialise metadata recursively. */
const MAX_DEPTH = 64;

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

/** The keys a scan looks for at the top level: every spelling of level, message and time, and `status`. */
const SCANNED_KEYS = [...new Set([...LEVEL_KEYS, ...MESSAGE_KEYS, ...TIME_KEYS, 'status', 'log', 'fields'])];
const KEY_INDEX = new Map(SCANNED_KEYS.map((key, i) => [key, i]));
const LEVEL_INDEXES = LEVEL_KEYS.map((key) => KEY_INDEX.get(key)!);
const MESSAGE_INDEXES = MESSAGE_KEYS.map((key) => KEY_INDEX.get(key)!);
const TIME_INDEXES = TIME_KEYS.map((key) => KEY_INDEX.get(key)!);
const STATUS_INDEX = KEY_INDEX.get('status')!;
const LOG_INDEX = KEY_INDEX.get('log')!;
/** Rust tracing-subscriber's JSON nests the message: `{"fields": {"message": …}}` (issue 16, lnav's rust_tracing_log). */
const FIELDS_INDEX = KEY_INDEX.get('fields')!;

/** The keys an entry's metadata leaves out (the fields read into level, message and time). */
interface TakenKeys {
  levelIndex: number;
  messageIndex: number;
  timeIndex: number;
  level: string | undefined;
  message: string | undefined;
  time: string | undefined;
}

/**
 * Parses JSON lines with a validating scan (json-scan.ts) that reads only the top-level fields every
 * stage needs; the metadata, the rest of the object, is JSON.parse'd when first read.
 */
class JsonParser implements LineParser, MetadataBuilder {
  readonly name = 'json';
  readonly multiline = 'none' as const;
  // The key (index in SCANNED_KEYS) each field was last found under: most sources use one spelling, tried first.
  private levelKey = KEY_INDEX.get('level')!;
  private messageKey = KEY_INDEX.get('msg')!;
  private timeKey = KEY_INDEX.get('time')!;
  // The last time text and what it meant: consecutive lines often share it.
  private lastTimeText: unknown = undefined;
  private lastTime = NaN;
  private lastZone: string | undefined = undefined;
  // The hour of the last ISO time read by the full parser (`YYYY-MM-DDTHH:`), its zone text, and its UTC start.
  private isoHour = '\u0000';
  private isoZone = '';
  private isoBase = 0;
  /** The keys left out of the last entries' metadata (shared by every entry with the same ones). */
  private taken: TakenKeys = { levelIndex: -1, messageIndex: -1, timeIndex: -1, level: undefined, message: undefined, time: undefined };
  private readonly scanner = new JsonKeyScanner(SCANNED_KEYS);

  constructor(private readonly ctx: ParseContext) {}

  parse(line: string): LogEntry | null {
    let i = 0;
    while (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9) i++;
    if (line.charCodeAt(i) !== 123) return null;
    const scanner = this.scanner;
    const scanned = scanner.scan(line, i);
    if (scanned !== SCANNED) return scanned === TOO_DEEP ? this.deeperThanScanned(line) : null;
    if (line.length > DEPTH_CHECK_FROM && scanner.maxDepth > MAX_DEPTH) return this.tooDeep(JSON.parse(line) as Record<string, unknown>, line);

    const levelKey = this.find(this.levelKey, LEVEL_INDEXES);
    const messageKey = this.find(this.messageKey, MESSAGE_INDEXES);
    const timeKey = this.find(this.timeKey, TIME_INDEXES);
    if (levelKey >= 0) this.levelKey = levelKey;
    if (messageKey >= 0) this.messageKey = messageKey;
    if (timeKey >= 0) this.timeKey = timeKey;

    let level: Level = 'UNKNOWN';
    if (levelKey >= 0) level = levelFromValue(this.value(line, levelKey)) ?? 'UNKNOWN';
    else if (scanner.has(LOG_INDEX) && scanner.kind[LOG_INDEX] === OBJECT) {
      // ECS nests it: {"log": {"level": "info"}}.
      const log = this.value(line, LOG_INDEX) as Record<string, unknown>;
      level = levelFromValue(log.level) ?? 'UNKNOWN';
    }

    let time = this.ctx.receivedAt;
    let unparsed: string | undefined;
    if (timeKey >= 0) {
      const value = this.value(line, timeKey);
      const t = this.time(value);
      if (t === t) time = t;
      else unparsed = textOf(value);
    }
    let message = messageKey >= 0 ? textOf(this.value(line, messageKey)) : line;
    if (messageKey < 0 && scanner.has(FIELDS_INDEX) && scanner.kind[FIELDS_INDEX] === OBJECT) {
      const nested = (this.value(line, FIELDS_INDEX) as Record<string, unknown>).message;
      if (typeof nested === 'string') message = nested;
    }
    const taken = this.takenKeys(levelKey, messageKey, timeKey);
    if (unparsed !== undefined) {
      // Rare: the metadata gets the unreadable time text, so it is built now.
      const metadata = metadataOf(line, taken);
      metadata[UNPARSED_TIME_KEY] = unparsed;
      return makeEntry(this.ctx, time, level, message, 'json', metadata, line);
    }
    return makeDeferredEntry(this.ctx, time, level, message, 'json', line, this, taken, this.statusHint(line));
  }

  buildMetadata(entry: LogEntry, context: unknown): Record<string, unknown> {
    return metadataOf(entry.raw, context as TakenKeys);
  }

  keptField(name: string, hint: unknown): unknown {
    return name === 'status' ? hint : NOT_KEPT;
  }

  /** A top-level `status` as per-entry counters read it: its value when scalar, else "build the metadata". */
  private statusHint(line: string): unknown {
    const scanner = this.scanner;
    if (!scanner.has(STATUS_INDEX)) return undefined;
    const kind = scanner.kind[STATUS_INDEX];
    return kind === OBJECT || kind === ARRAY ? NOT_KEPT : this.value(line, STATUS_INDEX);
  }

  /** The value of a key the last scan found. */
  private value(line: string, index: number): unknown {
    const scanner = this.scanner;
    const start = scanner.start[index];
    const end = scanner.end[index];
    switch (scanner.kind[index]) {
      case STRING:
        return scanner.escapes[index] === 1 ? JSON.parse(line.slice(start, end)) : line.slice(start + 1, end - 1);
      case NUMBER:
        return smallInteger(line, start, end) ?? Number(line.slice(start, end));
      case TRUE:
        return true;
      case FALSE:
        return false;
      case NULL:
        return null;
      default:
        return JSON.parse(line.slice(start, end));
    }
  }

  private time(value: unknown): number {
    const zone = this.ctx.time.zone;
    if (value === this.lastTimeText && zone === this.lastZone) return this.lastTime;
    let t = typeof value === 'string' ? this.isoTime(value) : NaN;
    if (t !== t) {
      t = parseTimeValue(value, this.ctx.time);
      if (typeof value === 'string') this.learnIsoHour(value, t);
    }
    this.lastTimeText = value;
    this.lastTime = t;
    this.lastZone = zone;
    return t;
  }

  /**
   * `YYYY-MM-DDTHH:MM:SS[.fff]` + `Z` or `±HH:MM` in the hour last learned: its start and its zone are
   * compared, minutes, seconds and milliseconds read. NaN when it is not that (the full parser decides).
   */
  private isoTime(text: string): number {
    const zoneAt = isoZoneStart(text);
    if (zoneAt < 0 || !text.startsWith(this.isoHour, 0) || text.length - zoneAt !== this.isoZone.length || !text.startsWith(this.isoZone, zoneAt)) return NaN;
    const mi = twoDigitsAt(text, 14);
    const sec = twoDigitsAt(text, 17);
    if (mi > 59 || sec > 60) return NaN;
    return this.isoBase + mi * 60_000 + sec * 1000 + isoMs(text, zoneAt);
  }

  /** After the full parser read `text` as `t`: its hour and zone become the ones isoTime compares. */
  private learnIsoHour(text: string, t: number): void {
    const zoneAt = isoZoneStart(text);
    if (zoneAt < 0 || t !== t) return;
    const mi = twoDigitsAt(text, 14);
    const sec = twoDigitsAt(text, 17);
    if (mi > 59 || sec > 60) return;
    this.isoHour = text.slice(0, 14);
    this.isoZone = text.slice(zoneAt);
    this.isoBase = t - (mi * 60_000 + sec * 1000 + isoMs(text, zoneAt));
  }

  /** The key a field is read from: the one used last if present, else the first present spelling; -1 if none. */
  private find(last: number, indexes: readonly number[]): number {
    const scanner = this.scanner;
    // `log` is the message in Docker's JSON but an object of fields in ECS.
    if (scanner.has(last) && (last !== LOG_INDEX || this.isString(last))) return last;
    for (let k = 0; k < indexes.length; k++) {
      const index = indexes[k]!;
      if (scanner.has(index) && (index !== LOG_INDEX || this.isString(index))) return index;
    }
    return -1;
  }

  /** The keys left out of metadata, as one object shared while they stay the same. */
  private takenKeys(level: number, message: number, time: number): TakenKeys {
    let taken = this.taken;
    if (taken.levelIndex !== level || taken.messageIndex !== message || taken.timeIndex !== time) {
      taken = this.taken = {
        levelIndex: level, messageIndex: message, timeIndex: time,
        level: SCANNED_KEYS[level], message: SCANNED_KEYS[message], time: SCANNED_KEYS[time],
      };
    }
    return taken;
  }

  private isString(index: number): boolean {
    return this.scanner.kind[index] === STRING;
  }

  /** A line nested deeper than the scan follows: JSON.parse decides, and what it keeps is the scalars. */
  private deeperThanScanned(line: string): LogEntry | null {
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      return null;
    }
    return this.tooDeep(obj as Record<string, unknown>, line);
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

/**
 * Where the zone (`Z` or `±HH:MM`) starts in `YYYY-MM-DDTHH:MM:SS[.fff…]` + zone, or -1 for any other
 * shape. Times with a written zone only: the offset makes the rest of the hour linear.
 */
function isoZoneStart(text: string): number {
  if (text.length < 20 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84) return -1;
  if (text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58 || twoDigitsAt(text, 14) < 0 || twoDigitsAt(text, 17) < 0) return -1;
  let i = 19;
  if (text.charCodeAt(i) === 46) {
    i++;
    const first = i;
    while (isDigitCode(text.charCodeAt(i))) i++;
    if (i === first) return -1;
  }
  const c = text.charCodeAt(i);
  if (c === 90) return i + 1 === text.length ? i : -1;
  if ((c === 43 || c === 45) && i + 6 === text.length && twoDigitsAt(text, i + 1) >= 0 && text.charCodeAt(i + 3) === 58 && twoDigitsAt(text, i + 4) >= 0) return i;
  return -1;
}

/** Milliseconds of the fraction of an ISO time whose zone starts at `zoneAt` (first three digits). */
function isoMs(text: string, zoneAt: number): number {
  if (zoneAt === 19) return 0;
  const digits = zoneAt - 20;
  const a = text.charCodeAt(20) - 48;
  if (digits === 1) return a * 100;
  const b = text.charCodeAt(21) - 48;
  if (digits === 2) return a * 100 + b * 10;
  return a * 100 + b * 10 + text.charCodeAt(22) - 48;
}

/** The parsed object minus the fields read into level, message and time (no copy: the keys are deleted). */
function metadataOf(line: string, taken: TakenKeys): Record<string, unknown> {
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return {}; // cannot happen: the scan accepted the line
  }
  if (taken.level !== undefined) delete obj[taken.level];
  if (taken.message !== undefined) delete obj[taken.message];
  if (taken.time !== undefined) delete obj[taken.time];
  return obj;
}

/** The integer written at `line[start, end)` when it is one of at most 15 digits (the common level and epoch case). */
function smallInteger(line: string, start: number, end: number): number | undefined {
  if (end - start > 15) return undefined;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = line.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    n = n * 10 + c;
  }
  return n;
}

export const jsonFormat: FormatSpec = {
  name: 'json',
  aliases: ['ndjson', 'jsonl'],
  create: (ctx) => new JsonParser(ctx),
};
