// The fallback for every "timestamp + level + message" log LogWatch has no module for: a written time
// found near the start of the line (any shape time/timestamps.ts knows, or an epoch column), and a level word
// among the first fields around it. Learns per source where its timestamps sit, so that a line whose
// time appears far later (a message quoting a date) continues the previous entry instead of starting one.
import type { Level, LogEntry } from '../../types.ts';
import { makeEntry, type FormatSpec, type LineParser, type ParseContext } from '../format.ts';
import { levelFromLetter, levelFromStrongWord, levelFromWord } from '../level.ts';
import { epochToMs, plausibleEpochMs } from '../time/epoch.ts';
import { findTimestampNear, newTimestampMatch, noteGuessedZone } from '../time/timestamps.ts';

/** A timestamp must start within this many characters to count. */
const SCAN_LIMIT = 200;
/** Lines used to learn where this source writes its timestamp. */
const LEARN_LINES = 20;
/** Fields after the timestamp searched for a level; fields before it, too, for `LEVEL ... time` layouts. */
const FIELDS_AFTER = 6;
const FIELDS_BEFORE = 4;
/** Leading fields searched for an epoch column when the line has no written date. */
const EPOCH_FIELDS = 10;

/** Characters that separate the fields of a line (besides a lone `-`); `/` splits Celery's `INFO/MainProcess`. */
function isDelimiter(c: number): boolean {
  switch (c) {
    case 32: case 9: case 91: case 93: case 40: case 41: case 124: case 44: case 59: case 60: case 62:
    case 123: case 125: case 34: case 39: case 61: case 58: case 47:
      return true;
    default:
      return false;
  }
}

function isUpperWord(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 65 || c > 90) return false;
  }
  return s.length > 0;
}

/** `[LEVEL] msg`, `LEVEL: msg`, `LEVEL msg` at the start of a line with no time. */
const LEADING_LEVEL = /^\[?([A-Z]{3,9})\]?(?::? |:$)/;

class GenericParser implements LineParser {
  readonly name = 'generic';
  readonly multiline = 'announced' as const;
  private readonly stamp = newTimestampMatch();
  // Learned layout.
  private seen = 0;
  private maxOffset = 0;
  private textualLines = 0;
  private epochLines = 0;
  /** Field index (after the time) where this source writes single-letter levels; -1 if it does not. */
  private letterIndex = -1;
  private readonly letterVotes = new Int32Array(FIELDS_AFTER);
  // Where the level field ended (set by findLevel).
  private levelEnd = -1;
  weak = false;
  /** Where the previous line's time started: tried first. */
  private lastStart = -1;

  constructor(private readonly ctx: ParseContext) {}

  parse(line: string): LogEntry | null {
    const learning = this.seen < LEARN_LINES;
    const limit = learning ? SCAN_LIMIT : Math.min(SCAN_LIMIT, this.maxOffset + 16 + (this.maxOffset >> 1));
    const m = this.stamp;
    let time: number;
    let tsStart: number;
    let tsEnd: number;
    if (findTimestampNear(line, this.lastStart, limit + 1, this.ctx.time, m)) {
      this.lastStart = m.start;
      time = m.time;
      tsStart = m.start;
      tsEnd = m.end;
      if (learning) this.textualLines++;
    } else if ((learning || this.epochLines > this.textualLines) && this.epochColumn(line, limit)) {
      time = this.epochTime;
      tsStart = this.epochStart;
      tsEnd = this.epochEnd;
      m.zoneText = '';
      if (learning) this.epochLines++;
    } else {
      return this.leadingLevel(line);
    }
    // A time that does not open the line (`[`, `<` aside) is weak evidence of an entry start.
    this.weak = tsStart > 1;
    if (learning) {
      this.seen++;
      if (tsStart > this.maxOffset) this.maxOffset = tsStart;
    }

    let level = this.findLevel(line, tsEnd, FIELDS_AFTER, true);
    let messageStart = tsEnd;
    if (level !== undefined) messageStart = this.levelEnd;
    else if (tsStart > 0) level = this.findLevel(line.slice(0, tsStart), 0, FIELDS_BEFORE, false);
    const metadata: Record<string, unknown> = {};
    noteGuessedZone(m, metadata);
    return makeEntry(this.ctx, time, level ?? 'UNKNOWN', messageAfter(line, messageStart), 'generic', metadata, line);
  }

  /**
   * The first level among `fields` fields from `from`: a level word, a dotted `channel.LEVEL`, a
   * bracketed weak word (`[Note]`), or a single letter where this source writes them.
   */
  private findLevel(line: string, from: number, fields: number, afterTime: boolean): Level | undefined {
    let i = from;
    const n = line.length;
    let letterAt = -1;
    for (let k = 0; k < fields; k++) {
      while (i < n && isDelimiter(line.charCodeAt(i))) i++;
      if (i >= n) break;
      const start = i;
      while (i < n && !isDelimiter(line.charCodeAt(i))) i++;
      const length = i - start;
      if (length === 1) {
        const c = line.charCodeAt(start);
        if (c === 45) {
          k--; // a lone `-` separates, it is no field
          continue;
        }
        if (afterTime && levelFromLetter(c) !== undefined) {
          if (k === this.letterIndex || (letterAt < 0 && k <= 3 && this.logcatShape(line, i))) {
            this.levelEnd = i;
            return levelFromLetter(c);
          }
          if (letterAt < 0) letterAt = k;
        }
        continue;
      }
      // Up to 48 characters: a dotted `channel.LEVEL` (`payment-systems.ERROR`) is a long word.
      if (length < 3 || length > 48) continue;
      const word = line.slice(start, i);
      let level = levelFromStrongWord(word);
      // Words that are also prose (`Note`, `LOG`) count where only a level can stand: `[Note]`, `LOG:`.
      if (level === undefined && ((line.charCodeAt(start - 1) === 91 && line.charCodeAt(i) === 93) || (line.charCodeAt(i) === 58 && isUpperWord(word)))) {
        level = levelFromWord(word);
      }
      if (level === undefined) {
        const dot = word.lastIndexOf('.');
        if (dot > 0) {
          const tail = word.slice(dot + 1);
          if (isUpperWord(tail)) level = levelFromWord(tail);
        }
      }
      if (level !== undefined) {
        this.levelEnd = i;
        return level;
      }
    }
    if (letterAt >= 0 && this.letterIndex < 0) this.voteLetter(letterAt);
    return undefined;
  }

  /** logcat's `L Tag: msg`: a single letter, one word, a colon. */
  private logcatShape(line: string, afterLetter: number): boolean {
    if (line.charCodeAt(afterLetter) !== 32) return false;
    let i = afterLetter + 1;
    const start = i;
    while (i < line.length && !isDelimiter(line.charCodeAt(i))) i++;
    return i > start && line.charCodeAt(i) === 58;
  }

  private voteLetter(index: number): void {
    const votes = ++this.letterVotes[index]!;
    if (votes >= 3) this.letterIndex = index;
  }

  // The epoch column found by epochColumn.
  private epochTime = 0;
  private epochStart = 0;
  private epochEnd = 0;

  /** A 10-, 13-, 16- or 19-digit field (s, ms, µs, ns), optionally with a fraction, in 2000–2099. */
  private epochColumn(line: string, limit: number): boolean {
    let i = 0;
    const n = Math.min(line.length, limit + 24);
    for (let k = 0; k < EPOCH_FIELDS && i < n; k++) {
      while (i < n && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9 || line.charCodeAt(i) === 91)) i++;
      const start = i;
      while (i < n && line.charCodeAt(i) >= 48 && line.charCodeAt(i) <= 57) i++;
      const digits = i - start;
      let end = i;
      // Seconds (10 digits), ms (13), µs (16) or ns (19): epochToMs tells them apart by size.
      const epochDigits = digits === 10 || digits === 13 || digits === 16 || digits === 19;
      if (epochDigits && line.charCodeAt(end) === 46) {
        end++;
        while (end < n && line.charCodeAt(end) >= 48 && line.charCodeAt(end) <= 57) end++;
      }
      const next = line.charCodeAt(end);
      if (epochDigits && (end >= line.length || next === 32 || next === 9 || next === 93 || next === 44 || next === 124 || next === 59)) {
        const ms = epochToMs(Number(line.slice(start, end)));
        if (plausibleEpochMs(ms)) {
          this.epochTime = ms;
          this.epochStart = start;
          this.epochEnd = end;
          return true;
        }
      }
      while (i < n && line.charCodeAt(i) !== 32 && line.charCodeAt(i) !== 9) i++;
    }
    return false;
  }

  /** A line without a time that opens with a level (`ERROR: ...`, `[WARN] ...`): receive time. */
  private leadingLevel(line: string): LogEntry | null {
    const m = LEADING_LEVEL.exec(line);
    if (m === null) return null;
    const level = levelFromStrongWord(m[1]!);
    if (level === undefined) return null;
    this.weak = false;
    return makeEntry(this.ctx, this.ctx.receivedAt, level, line.slice(m[0].length), 'generic', {}, line);
  }
}

function isColumnBreak(c: number): boolean {
  return c === 44 || c === 59 || c === 9 || c === 124;
}

/** The message: what follows `from`, without the separators that trail the prefix fields. */
function messageAfter(line: string, from: number): string {
  let i = from;
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9 || c === 93 || c === 58 || c === 124 || c === 44 || c === 59 || (c === 45 && line.charCodeAt(i + 1) === 32)) i++;
    // The quote closing a quoted CSV column (`"ERROR","msg"`), not one opening the message.
    else if (c === 34 && isColumnBreak(line.charCodeAt(i + 1))) i++;
    else break;
  }
  return line.slice(i);
}

export const genericFormat: FormatSpec = {
  name: 'generic',
  aliases: [],
  create: (ctx) => new GenericParser(ctx),
};
