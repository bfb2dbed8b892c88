import type { Level, LogEntry } from '../../src/types.ts';

let counter = 0;

/** An entry as a parser would produce it (id 0 until stored). */
export function entry(fields: Partial<LogEntry> & { message?: string; level?: Level } = {}): LogEntry {
  counter++;
  const message = fields.message ?? `message ${counter}`;
  return {
    id: 0,
    time: fields.time ?? Date.UTC(2026, 10, 30, 10, 0, 0),
    level: fields.level ?? 'INFO',
    message,
    source: fields.source ?? 'logs/app.log',
    format: fields.format ?? 'generic',
    metadata: fields.metadata ?? {},
    raw: fields.raw ?? message,
    receivedAt: fields.receivedAt ?? Date.UTC(2026, 10, 30, 10, 0, 0),
  };
}
