// Field paths a rule may read from an entry: `where` conditions, `groupBy` and the `field` of a
// new_value rule all name fields the same way.
import type { LogEntry } from '../types.ts';

/** `source`, `level`, `message`, `format`, `raw` or `metadata.<name>` (nested with dots). */
export const FIELD_PATH = /^(?:source|level|message|format|raw|metadata\.[^\s.][^\s]*)$/;

export const FIELD_PATH_HINT = 'a field such as source, level, message, format, raw or metadata.<name> (e.g. metadata.ip)';

export type FieldReader = (entry: LogEntry) => unknown;

const readSource: FieldReader = (e) => e.source;
const readLevel: FieldReader = (e) => e.level;
const readMessage: FieldReader = (e) => e.message;
const readFormat: FieldReader = (e) => e.format;
const readRaw: FieldReader = (e) => e.raw;

/** Compiles a field path (already validated against FIELD_PATH) into a reader. */
export function fieldReader(path: string): FieldReader {
  switch (path) {
    case 'source': return readSource;
    case 'level': return readLevel;
    case 'message': return readMessage;
    case 'format': return readFormat;
    case 'raw': return readRaw;
  }
  const rest = path.slice('metadata.'.length);
  const parts = rest.split('.');
  if (parts.length === 1) return (e) => e.metadata[rest];
  // A parser may keep a dotted name as one key (`http.status`) or nest it: the literal key wins.
  return (e) => {
    const metadata = e.metadata;
    if (rest in metadata) return metadata[rest];
    let value: unknown = metadata;
    for (let i = 0; i < parts.length; i++) {
      if (value === null || typeof value !== 'object') return undefined;
      value = (value as Record<string, unknown>)[parts[i]];
    }
    return value;
  };
}

/** Longest key kept for a groupBy or new_value field, so one hostile line cannot pin megabytes. */
export const MAX_KEY_LENGTH = 256;

/** The string key of a field value; undefined when the entry has no such field. */
export function keyOf(value: unknown): string | undefined {
  let key: string;
  if (typeof value === 'string') key = value;
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') key = String(value);
  else if (value === null || value === undefined) return undefined;
  else {
    try {
      key = JSON.stringify(value) ?? '';
    } catch {
      return undefined;
    }
  }
  return key.length > MAX_KEY_LENGTH ? key.slice(0, MAX_KEY_LENGTH) : key;
}
