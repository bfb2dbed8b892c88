// Container runtimes' log files, whose lines wrap what the application wrote:
// - Docker's json-file driver: `{"log":"text\n","stream":"stderr","time":"2024-…Z"}` (a line longer
//   than 16 KiB is split into pieces whose `log` has no trailing newline);
// - Kubernetes CRI (containerd, CRI-O): `2024-01-01T00:00:00.123456789Z stderr F text`, `P` for a
//   partial piece of a longer line.
// The application's text is parsed again by whichever format reads it (its own per source, learned like
// detection learns one); the runtime's time is the entry's time (UTC, to the ns, never guessed). Pieces
// of one split line are joined back without a separator; stack-trace lines join the entry above.
import type { Level, LogEntry } from '../../types.ts';
import { makeEntry, UNPARSED_TIME_KEY, type FormatSpec, type LineParser, type ParseContext } from '../format.ts';
import { isContinuationLine } from '../multiline.ts';
import { ZONE_GUESSED_KEY, ZONE_TEXT_KEY } from '../time/timestamps.ts';
import { isoText } from '../variants.ts';

/** One runtime line: the application's text and what the runtime said about it. */
interface Piece {
  time: number;
  stream: string;
  text: string;
  /** The text is the start or middle of a longer line; the next piece of the stream continues it. */
  partial: boolean;
}

/** The parsers of the application's lines, tried in priority order, the one that read the last line first. */
class InnerParsers {
  private parsers: LineParser[] | null = null;
  private last = 0;

  constructor(private readonly specs: () => readonly FormatSpec[], private readonly ctx: ParseContext) {}

  parse(text: string): LogEntry | null {
    const parsers = (this.parsers ??= this.specs().map((spec) => spec.create(this.ctx)));
    const first = parsers[this.last]?.parse(text) ?? null;
    if (first !== null) return first;
    for (let i = 0; i < parsers.length; i++) {
      if (i === this.last) continue;
      const entry = parsers[i]!.parse(text);
      if (entry !== null) {
        this.last = i;
        return entry;
      }
    }
    return null;
  }
}

abstract class ContainerParser implements LineParser {
  readonly multiline = 'any' as const;
  /** The last line continued the entry returned before it: the entry returned replaces that one (see source-parser). */
  joined = false;
  private readonly inner: InnerParsers;
  // Detection hands the same line to a parser twice: the answer is remembered, not recomputed.
  private lastLine: string | null = null;
  private lastResult: LogEntry | null = null;
  private lastJoined = false;
  // The entry the next piece may continue.
  private open: LogEntry | null = null;
  private openText = '';
  /** Stack-trace lines after the application's line, each after a newline. */
  private openAppended = '';
  private openRaw = '';
  private openTime = 0;
  private openStream = '';
  private openPartial = false;

  constructor(readonly name: string, specs: () => readonly FormatSpec[], protected readonly ctx: ParseContext) {
    this.inner = new InnerParsers(specs, ctx);
  }

  protected abstract piece(line: string): Piece | null;

  parse(line: string): LogEntry | null {
    if (line === this.lastLine) {
      this.joined = this.lastJoined;
      return this.lastResult;
    }
    const piece = this.piece(line);
    const result = piece === null ? null : this.entryOf(piece, line);
    if (piece === null) this.joined = false;
    this.lastLine = line;
    this.lastResult = result;
    this.lastJoined = this.joined;
    return result;
  }

  private entryOf(piece: Piece, line: string): LogEntry {
    const sameStream = this.open !== null && piece.stream === this.openStream;
    if (sameStream && (this.openPartial || isContinuationLine(piece.text))) {
      // The rest of a split line is joined as written (to the application's line, read again whole, or
      // to the stack line it splits); a stack line joins on a line of its own.
      if (!this.openPartial) this.openAppended += '\n' + piece.text;
      else if (this.openAppended !== '') this.openAppended += piece.text;
      else this.openText += piece.text;
      this.openRaw += '\n' + line;
      this.openPartial = piece.partial;
      this.joined = true;
      // A new entry replaces the open one: an entry already handed out is never changed.
      this.open = this.build();
      return this.open;
    }
    this.joined = false;
    this.openTime = piece.time;
    this.openStream = piece.stream;
    this.openText = piece.text;
    this.openAppended = '';
    this.openRaw = line;
    this.openPartial = piece.partial;
    this.open = this.build();
    return this.open;
  }

  private build(): LogEntry {
    const text = this.openText;
    const inner = this.inner.parse(text);
    let level: Level = 'UNKNOWN';
    let message = text;
    let metadata: Record<string, unknown> = {};
    if (inner !== null) {
      level = inner.level;
      message = inner.message;
      metadata = { ...inner.metadata, inner_format: inner.format };
      // The entry's time is the runtime's: what the inner parser said of its own time does not apply.
      delete metadata[UNPARSED_TIME_KEY];
      delete metadata[ZONE_TEXT_KEY];
      delete metadata[ZONE_GUESSED_KEY];
    }
    metadata.stream = this.openStream;
    return makeEntry(this.ctx, this.openTime, level, message + this.openAppended, this.name, metadata, this.openRaw);
  }
}

/** Docker json-file: each line a JSON object with `log`, `stream` and `time`. */
class DockerParser extends ContainerParser {
  protected piece(line: string): Piece | null {
    if (line.charCodeAt(0) !== 123 || !line.includes('"log":') || !line.includes('"stream":')) return null;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      return null;
    }
    const { log, stream, time } = obj as Record<string, unknown>;
    if (typeof log !== 'string' || typeof stream !== 'string' || typeof time !== 'string') return null;
    const t = isoText(time, this.ctx.time);
    if (t !== t) return null;
    const partial = !log.endsWith('\n');
    let text = partial ? log : log.slice(0, -1);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    return { time: t, stream, text, partial };
  }
}

const CRI = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)) (stdout|stderr) ([FP])(?: |$)/;

/** Kubernetes CRI: `TIME STREAM TAG TEXT`, TAG `F` (full) or `P` (partial). */
class CriParser extends ContainerParser {
  protected piece(line: string): Piece | null {
    const m = CRI.exec(line);
    if (m === null) return null;
    const t = isoText(m[1]!, this.ctx.time);
    if (t !== t) return null;
    return { time: t, stream: m[2]!, text: line.slice(m[0].length), partial: m[3] === 'P' };
  }
}

/** The two container formats; `inner` gives the formats an application's own lines are read with. */
export function containerFormats(inner: () => readonly FormatSpec[]): readonly FormatSpec[] {
  return [
    { name: 'docker', aliases: ['docker-json', 'json-file'], create: (ctx) => new DockerParser('docker', inner, ctx) },
    { name: 'cri', aliases: ['kubernetes', 'containerd', 'cri-o'], create: (ctx) => new CriParser('cri', inner, ctx) },
  ];
}
