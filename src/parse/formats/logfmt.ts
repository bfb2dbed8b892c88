// logfmt (`time=... level=warn msg="..." key=value`): logrus, Grafana, Heroku, go-kit.
import type { Level, LogEntry } from '../../types.ts';
import { makeEntry, timeOrReceived, type FormatSpec, type LineParser, type ParseContext } from '../format.ts';
import { levelFromValue } from '../level.ts';
import { parseTimeText } from '../time/timestamps.ts';

const OTHER = 0;
const LEVEL = 1;
/** Holds a level only sometimes (Heroku's `at=info`): used when its value is a level word. */
const MAYBE_LEVEL = 2;
const MESSAGE = 3;
const TIME = 4;

/** What a key names. A switch on short strings: no hashing of every key of every line. */
function keyKind(key: string): number {
  switch (key.length) {
    case 1: return key === 't' ? TIME : OTHER;
    case 2: return key === 'ts' ? TIME : key === 'at' ? MAYBE_LEVEL : OTHER;
    case 3: return key === 'msg' ? MESSAGE : key === 'lvl' ? LEVEL : OTHER;
    case 4: return key === 'time' || key === 'date' ? TIME : OTHER;
    case 5: return key === 'level' ? LEVEL : OTHER;
    case 7: return key === 'message' ? MESSAGE : OTHER;
    case 8: return key === 'severity' || key === 'loglevel' ? LEVEL : OTHER;
    case 9: return key === 'log.level' || key === 'log_level' ? LEVEL : key === 'timestamp' ? TIME : OTHER;
    case 10: return key === '@timestamp' ? TIME : OTHER;
    default: return OTHER;
  }
}

function isKeyStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 64;
}

function isKeyChar(c: number): boolean {
  return isKeyStart(c) || (c >= 48 && c <= 57) || c === 46 || c === 45 || c === 47 || c === 58;
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };

/** Value of a quoted string whose content starts at `from`; sets `quotedEnd` to the index after it. */
let quotedEnd = 0;
function quoted(line: string, from: number): string {
  const close = line.indexOf('"', from);
  if (close >= 0) {
    const value = line.slice(from, close);
    if (value.indexOf('\\') < 0) {
      quotedEnd = close + 1;
      return value;
    }
  }
  let out = '';
  let chunk = from;
  for (let i = from; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 34) {
      quotedEnd = i + 1;
      return out + line.slice(chunk, i);
    }
    if (c === 92 && i + 1 < line.length) {
      const next = line[i + 1]!;
      out += line.slice(chunk, i) + (ESCAPES[next] ?? next);
      i++;
      chunk = i + 1;
    }
  }
  // Unterminated: the rest of the line.
  quotedEnd = line.length;
  return out + line.slice(chunk);
}

class LogfmtParser implements LineParser {
  readonly name = 'logfmt';
  readonly multiline = 'none' as const;

  constructor(private readonly ctx: ParseContext) {}

  parse(line: string): LogEntry | null {
    if (!isKeyStart(line.charCodeAt(0))) return null;
    const fields: Record<string, unknown> = {};
    let pairs = 0;
    let bare = 0;
    let known = false;
    let level: Level = 'UNKNOWN';
    let message: string | undefined;
    let timeText: string | undefined;
    let i = 0;
    const n = line.length;
    while (i < n) {
      while (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9) i++;
      if (i >= n) break;
      const keyStart = i;
      while (i < n && isKeyChar(line.charCodeAt(i))) i++;
      const key = line.slice(keyStart, i);
      if (line.charCodeAt(i) !== 61 /* = */) {
        // Not a pair: a bare word ends a logfmt line's credibility unless pairs dominate.
        if (pairs === 0) return null;
        while (i < n && line.charCodeAt(i) !== 32) i++;
        bare++;
        continue;
      }
      if (key.length === 0) return null;
      i++;
      let value: string;
      if (line.charCodeAt(i) === 34) {
        value = quoted(line, i + 1);
        i = quotedEnd;
      } else {
        const start = i;
        const space = line.indexOf(' ', i);
        i = space < 0 ? n : space;
        value = line.slice(start, i);
      }
      pairs++;
      const kind = keyKind(key);
      if (kind !== OTHER) {
        if (kind === LEVEL && level === 'UNKNOWN') {
          level = levelFromValue(value) ?? 'UNKNOWN';
          known = true;
          continue;
        }
        if (kind === MAYBE_LEVEL && level === 'UNKNOWN') {
          const maybe = levelFromValue(value);
          if (maybe !== undefined) {
            level = maybe;
            known = true;
            continue;
          }
        }
        if (kind === MESSAGE && message === undefined) {
          message = value;
          known = true;
          continue;
        }
        if (kind === TIME && timeText === undefined) {
          timeText = value;
          known = true;
          continue;
        }
      }
      fields[key] = value;
    }
    if (pairs < 2 || bare > pairs || (!known && pairs < 3)) return null;
    const time = timeText === undefined
      ? this.ctx.receivedAt
      : timeOrReceived(this.ctx, parseTimeText(timeText, this.ctx.time), timeText, fields);
    return makeEntry(this.ctx, time, level, message ?? line, 'logfmt', fields, line);
  }
}

export const logfmtFormat: FormatSpec = {
  name: 'logfmt',
  aliases: [],
  create: (ctx) => new LogfmtParser(ctx),
};
