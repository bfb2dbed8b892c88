// The per-source state machine: detection, the known-format fast path, multi-line joining, and
// re-detection when a source's lines change format.
import type { LogEntry } from '../types.ts';
import { DetectionScores, SWITCH_AFTER } from './detect.ts';
import { makeEntry, type FormatSpec, type LineParser, type MultilineMode, type ParseContext } from './format.ts';
import { announcesMore, appendLine, isContinuationLine } from './multiline.ts';
import { startsLikeRecord } from './record-start.ts';
import { levelFromKeywords } from './keyword-level.ts';
import type { ParserInput, SourceParser } from './types.ts';

/** The formats a factory knows: builtins in detection order, and every accepted name. */
export interface FormatRegistry {
  readonly detectable: readonly FormatSpec[];
  readonly byName: ReadonlyMap<string, FormatSpec>;
}

function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/** Lines and characters one multi-line entry may hold (a long Java trace is a few hundred lines). */
export const MAX_ENTRY_LINES = 1000;
export const MAX_ENTRY_CHARS = 1024 * 1024;

export class AutoSourceParser implements SourceParser {
  heldLines = 0;
  /** Entries finished early at MAX_ENTRY_LINES / MAX_ENTRY_CHARS. */
  cutEntries = 0;
  /** Lines appended to an entry above them, ever: a wrong join shows in /metrics. */
  joinedLines = 0;
  /** Entries emitted by flush() before a continuation line came for them (a writer stalled mid-trace). */
  splitEntries = 0;
  /** flush() emitted the held entry and no line has come since; whether text could still have joined it. */
  private flushed = false;
  private flushedOpen = false;
  private held: LogEntry | null = null;
  private heldMode: MultilineMode = 'none';
  /** Whether text that is no continuation marker may still join the held entry (see `freeTextJoins`). */
  private heldOpen = false;
  /** The detected format. */
  private current: LineParser | null = null;
  /** The format forced by the last batch, if it forced one. */
  private forced: LineParser | null = null;
  /** One parser per detectable format, in priority order; created on first need. */
  private all: LineParser[] | null = null;
  private readonly instances = new Map<FormatSpec, LineParser>();
  private scores: DetectionScores | null = null;
  private detectedLines = 0;
  // Entries started by a format other than the detected one, in a row.
  private rival: LineParser | null = null;
  private rivalStreak = 0;
  private rivalEntry: LogEntry | null = null;

  constructor(
    private readonly registry: FormatRegistry,
    private readonly ctx: ParseContext,
    private readonly detectLines: number,
  ) {}

  get format(): string | null {
    return (this.forced ?? this.current)?.name ?? null;
  }

  push(input: ParserInput, out: LogEntry[]): void {
    const ctx = this.ctx;
    ctx.receivedAt = input.receivedAt;
    ctx.time.setZone(input.timezone);
    ctx.time.setReference(input.receivedAt);
    const lines = input.lines;
    const forced = input.format === undefined ? null : this.parserNamed(input.format);
    this.forced = forced;
    if (forced !== null) {
      for (let i = 0; i < lines.length; i++) this.forcedLine(stripCr(lines[i]!), forced, out);
      return;
    }
    for (let i = 0; i < lines.length; i++) {
      const line = stripCr(lines[i]!);
      if (this.detectedLines < this.detectLines) {
        this.detectLine(line, out);
        continue;
      }
      const current = this.current;
      if (current !== null) {
        const entry = current.parse(line);
        if (entry !== null) {
          this.rivalStreak = 0;
          this.begin(entry, current.multiline, out, current);
          continue;
        }
      }
      this.strayLine(line, out);
    }
  }

  flush(out: LogEntry[]): void {
    if (this.held !== null) {
      out.push(this.held);
      this.held = null;
      this.heldLines = 0;
      this.flushed = true;
      this.flushedOpen = this.heldOpen;
    }
  }

  /**
   * An entry of its own for a line no format reads. If it comes first after a flush and would have
   * joined the flushed entry, the flush split that entry (its writer paused longer than the hold).
   */
  private orphan(line: string, mode: MultilineMode, out: LogEntry[]): void {
    if (this.flushed && (isContinuationLine(line) || (this.flushedOpen && !startsLikeRecord(line)))) this.splitEntries++;
    this.begin(this.unknown(line), mode, out);
  }

  /** Starts a new entry: the held one is finished, the new one is held if lines may continue it. */
  private begin(entry: LogEntry, mode: MultilineMode, out: LogEntry[], parser?: LineParser): void {
    this.flushed = false;
    // A parser that joined the line to its previous entry (format.ts `joined`) replaces the held one.
    if (parser?.joined === true && this.held !== null && this.held.format === entry.format) {
      this.held = entry;
      this.heldLines++;
      return;
    }
    if (this.held !== null) out.push(this.held);
    if (mode === 'none') {
      out.push(entry);
      this.held = null;
      this.heldLines = 0;
    } else {
      this.held = entry;
      this.heldMode = mode;
      this.heldOpen = mode === 'any' || (mode === 'announced' && announcesMore(entry));
      this.heldLines = 1;
    }
  }

  private continueHeld(line: string, out: LogEntry[]): void {
    const held = this.held!;
    // An endless run of continuation lines (a flood of indented lines, a binary file) would grow one
    // entry without end: past the cap the entry is finished and the line starts the next, so memory
    // stays bounded and nothing is lost.
    if (this.heldLines >= MAX_ENTRY_LINES || held.raw.length + line.length > MAX_ENTRY_CHARS) {
      out.push(held);
      this.cutEntries++;
      this.held = this.unknown(line);
      this.heldLines = 1;
      return;
    }
    appendLine(held, line);
    this.heldLines++;
    this.joinedLines++;
    // A stack trace under way (`Traceback`, a frame, `Caused by:`) may go on with unindented text.
    if (!this.heldOpen && this.heldMode === 'announced' && !isBlank(line) && isContinuationLine(line)) this.heldOpen = true;
  }

  /**
   * Whether a line that is no continuation marker joins the held entry: only in a format whose layout
   * continues messages unindented (or after an entry that announced more), and never a line that
   * starts like a record: such a line is an entry of its own, UNKNOWN if no format reads it, so no
   * record is hidden inside another (issue 11).
   */
  private freeTextJoins(line: string): boolean {
    return this.held !== null && this.heldOpen && !startsLikeRecord(line);
  }

  /** The multi-line mode of an entry no format read, in a source whose format is `mode`. */
  private static unknownMode(mode: MultilineMode | undefined): MultilineMode {
    return mode === 'any' || mode === 'announced' ? mode : 'none';
  }

  /** A line the detected format does not read: a continuation, another format's entry, or an orphan. */
  private strayLine(line: string, out: LogEntry[]): void {
    const held = this.held !== null ? this.heldMode : 'none';
    if (held !== 'none' && isContinuationLine(line)) return this.continueHeld(line, out);
    if (isBlank(line)) return;
    const free = this.freeTextJoins(line);
    const rival = this.firstReader(line, this.current);
    if (rival !== null && !(free && rival.weak === true && this.current !== null)) {
      if (rival === this.rival) this.rivalStreak++;
      else {
        this.rival = rival;
        this.rivalStreak = 1;
      }
      // The source now writes another format (or never had one): adopt it.
      if (this.rivalStreak >= SWITCH_AFTER || this.current === null) {
        this.current = rival;
        this.rivalStreak = 0;
      }
      this.begin(this.rivalEntry!, rival.multiline, out, rival);
      return;
    }
    if (free) return this.continueHeld(line, out);
    this.orphan(line, AutoSourceParser.unknownMode(this.current?.multiline), out);
  }

  /** A line among the first of a source: every format reads it, and the scores pick the format. */
  private detectLine(line: string, out: LogEntry[]): void {
    if (this.held !== null && this.heldMode !== 'none' && isContinuationLine(line)) return this.continueHeld(line, out);
    if (isBlank(line)) return;
    const all = this.parsers();
    const scores = (this.scores ??= new DetectionScores(all));
    let winnerEntry: LogEntry | null = null;
    for (let i = 0; i < all.length; i++) {
      const entry = all[i]!.parse(line);
      if (entry !== null) scores.record(i);
    }
    this.detectedLines++;
    const winner = scores.winner();
    if (this.detectedLines >= this.detectLines) this.scores = null;
    this.current = winner;
    if (winner !== null) winnerEntry = winner.parse(line);
    if (winnerEntry !== null) {
      this.rivalStreak = 0;
      return this.begin(winnerEntry, winner!.multiline, out, winner!);
    }
    this.strayLine(line, out);
  }

  private forcedLine(line: string, parser: LineParser, out: LogEntry[]): void {
    const entry = parser.parse(line);
    if (entry !== null) return this.begin(entry, parser.multiline, out, parser);
    if (this.held !== null && this.heldMode !== 'none' && (isContinuationLine(line) || this.freeTextJoins(line))) {
      return this.continueHeld(line, out);
    }
    if (isBlank(line)) return;
    this.orphan(line, AutoSourceParser.unknownMode(parser.multiline), out);
  }

  /** The first format (in priority order, skipping `except`) that reads the line; its entry in rivalEntry. */
  private firstReader(line: string, except: LineParser | null): LineParser | null {
    const all = this.parsers();
    for (let i = 0; i < all.length; i++) {
      const parser = all[i]!;
      if (parser === except) continue;
      const entry = parser.parse(line);
      if (entry !== null) {
        this.rivalEntry = entry;
        return parser;
      }
    }
    return null;
  }

  /** A line no format reads: its level from a level word near its start (keyword-level.ts), else UNKNOWN. */
  private unknown(line: string): LogEntry {
    const level = levelFromKeywords(line);
    if (level === undefined) return makeEntry(this.ctx, this.ctx.receivedAt, 'UNKNOWN', line, 'unknown', {}, line);
    return makeEntry(this.ctx, this.ctx.receivedAt, level, line, 'unknown', { level_source: 'keyword' }, line);
  }

  private parsers(): LineParser[] {
    if (this.all === null) {
      this.all = this.registry.detectable.map((spec) => this.instance(spec));
    }
    return this.all;
  }

  private parserNamed(name: string): LineParser | null {
    const spec = this.registry.byName.get(name) ?? this.registry.byName.get(name.toLowerCase());
    return spec === undefined ? null : this.instance(spec);
  }

  /** One parser instance per format and source, shared by detection and forced batches. */
  private instance(spec: FormatSpec): LineParser {
    let parser = this.instances.get(spec);
    if (parser === undefined) {
      parser = spec.create(this.ctx);
      this.instances.set(spec, parser);
    }
    return parser;
  }
}

function stripCr(line: string): string {
  return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}
