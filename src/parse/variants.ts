// A format made of several dialects, each one anchored regex: the dialect that matched the previous
// line is tried first, so a source costs one regex per line once its dialect is known.
import type { LogEntry } from '../types.ts';
import type { LineParser, MultilineMode, ParseContext } from './format.ts';
import type { TimeResolver } from './time/resolver.ts';
import { isoAt, newTimestampMatch } from './time/timestamps.ts';

export interface Dialect {
  readonly re: RegExp;
  readonly read: (m: RegExpExecArray, line: string, ctx: ParseContext) => LogEntry;
}

export class DialectParser implements LineParser {
  private last = 0;

  constructor(
    readonly name: string,
    readonly multiline: MultilineMode,
    private readonly dialects: readonly Dialect[],
    private readonly ctx: ParseContext,
  ) {}

  parse(line: string): LogEntry | null {
    const dialects = this.dialects;
    const n = dialects.length;
    for (let k = 0; k < n; k++) {
      const index = (this.last + k) % n;
      const dialect = dialects[index]!;
      const m = dialect.re.exec(line);
      if (m !== null) {
        this.last = index;
        return dialect.read(m, line, this.ctx);
      }
    }
    return null;
  }
}

const scratch = newTimestampMatch();

/** UTC ms of a whole ISO-like timestamp text (`2026-11-30 10:15:02,123`, `...T...Z`); NaN otherwise. */
export function isoText(text: string, r: TimeResolver): number {
  return isoAt(text, 0, r, scratch, true) ? scratch.time : NaN;
}
