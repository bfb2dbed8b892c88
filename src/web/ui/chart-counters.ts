// HTTP status classes of access-log lines (metadata.status), per minute over the last hour.
import { LEVELS, type Level, type LogEntry } from '../../types.ts';
import type { StatusClass } from '../../../views/model.ts';
import { chartTime, MinuteCounter } from './minute-counts.ts';

const CLASS_BY_DIGIT: ReadonlyArray<StatusClass | undefined> = [undefined, '1xx', '2xx', '3xx', '4xx', '5xx'];

/** `500` or `"404"` → its class; anything that is not a status code 100–599 → undefined. */
export function statusClassOf(value: unknown): StatusClass | undefined {
  const code = typeof value === 'number' ? value : typeof value === 'string' && /^\d{3}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(code) || code < 100 || code > 599) return undefined;
  return CLASS_BY_DIGIT[Math.floor(code / 100)];
}

export class StatusClassCounter extends MinuteCounter<StatusClass> {
  constructor() {
    super(['1xx', '2xx', '3xx', '4xx', '5xx']);
  }

  record(entries: readonly LogEntry[]): void {
    for (let i = 0; i < entries.length; i++) {
      const status = entries[i].metadata.status;
      if (status === undefined) continue;
      const cls = statusClassOf(status);
      if (cls !== undefined) this.add(chartTime(entries[i]), cls);
    }
  }
}

/** Entries per minute by level, by the time written in each line. */
export class LevelCounter extends MinuteCounter<Level> {
  constructor() {
    super(LEVELS);
  }

  record(entries: readonly LogEntry[]): void {
    for (let i = 0; i < entries.length; i++) this.add(chartTime(entries[i]), entries[i].level);
  }
}
