// Which lines continue the entry before them, and how they join it.
import type { LogEntry } from '../types.ts';
import { ParsedEntry } from './entry.ts';

/** `... 12 more`, `... 3 common frames omitted` (Java). */
const MORE_FRAMES = /^\.\.\. \d+ (?:more|common frames omitted)/;

/**
 * True for lines that continue an entry whatever the format: blank and indented lines (stack frames,
 * wrapped messages), and the unindented markers of stack traces: `Traceback (most recent call last):`,
 * `Caused by: ...`, `... N more`, chained Python exceptions, a bare `at ...` frame.
 */
export function isContinuationLine(line: string): boolean {
  if (line.length === 0) return true;
  const c = line.charCodeAt(0);
  if (c === 32 || c === 9) return true;
  switch (c) {
    case 84: // T
      return line.startsWith('Traceback (most recent call last)') || line.startsWith('The above exception was the direct cause');
    case 67: // C
      return line.startsWith('Caused by: ');
    case 46: // .
      return MORE_FRAMES.test(line);
    case 68: // D
      return line.startsWith('During handling of the above exception');
    case 97: // a
      return line.startsWith('at ') && line.includes('(');
    default:
      return false;
  }
}

/**
 * True when an entry announces that lines follow which belong to it (the `announced` multi-line mode):
 * an error or worse (a stack trace may follow, unindented: Go's, PHP's) or a message that ends with
 * `:`, `{`, `[` or `(` (`response:` then a dump). Other entries take only continuation lines.
 */
export function announcesMore(entry: LogEntry): boolean {
  if (entry.level === 'ERROR' || entry.level === 'CRITICAL') return true;
  const message = entry.message;
  let end = message.length - 1;
  while (end >= 0 && (message.charCodeAt(end) === 32 || message.charCodeAt(end) === 9)) end--;
  const c = message.charCodeAt(end);
  return c === 58 || c === 123 || c === 91 || c === 40;
}

/** Appends a continuation line to an entry: `raw` and `message` both get the whole text. */
export function appendLine(entry: LogEntry, line: string): void {
  // Deferred metadata is read from `raw`: build it from the line it was parsed from before `raw` grows.
  if (entry instanceof ParsedEntry && entry.metadataDeferred) void entry.metadata;
  entry.raw += '\n' + line;
  entry.message += '\n' + line;
}
