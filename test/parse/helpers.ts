import { createParserFactory } from '../../src/parse/index.ts';
import type { SourceParser } from '../../src/parse/types.ts';
import type { CustomFormat } from '../../src/parse/config.ts';
import type { LogEntry } from '../../src/types.ts';

export const NOW = Date.parse('2026-11-30T12:00:00Z');

export function newParser(formats: Record<string, CustomFormat> = {}, detectLines = 20): SourceParser {
  return createParserFactory({ formats, parse: { multilineTimeoutMs: 250, detectLines }, clock: () => NOW }).create({ source: 'test.log' });
}

/** `timezone` null: none given (the process zone applies); default UTC. */
export interface ParseOptions {
  format?: string;
  timezone?: string | null;
  formats?: Record<string, CustomFormat>;
}

/** Every entry of `lines` pushed as one batch (zone UTC unless given) and flushed. */
export function parseLines(lines: string[], options: ParseOptions = {}): LogEntry[] {
  const parser = newParser(options.formats);
  const out: LogEntry[] = [];
  parser.push({ lines, receivedAt: NOW, timezone: options.timezone === null ? undefined : options.timezone ?? 'UTC', format: options.format }, out);
  parser.flush(out);
  return out;
}

export function parseOne(line: string, options: ParseOptions = {}): LogEntry {
  const entries = parseLines([line], options);
  if (entries.length !== 1) throw new Error(`expected one entry, got ${entries.length}`);
  return entries[0]!;
}

export const iso = (entry: LogEntry) => new Date(entry.time).toISOString();
