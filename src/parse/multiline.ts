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

/** Appends a continuation line to an entry: `raw` and `message` both get the whole text. */
export function appendLine(entry: LogEntry, line: string): void {
  // Deferred metadata is read from `raw`: build it from the line it was parsed from before `raw` grows.
  if (entry instanceof ParsedEntry && entry.metadataDeferred) void entry.metadata;
  entry.raw += '\n' + line;
  entry.message += '\n' + line;
}
