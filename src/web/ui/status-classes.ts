// HTTP status classes of access-log lines (metadata.status), per minute over the last hour.
import { metadataField } from '../../parse/index.ts';
import type { LogEntry } from '../../types.ts';
import type { StatusClass } from '../../../views/model.ts';
import { countTime, MinuteCounter } from '../../store/time-ring.ts';

const CLASS_BY_DIGIT: ReadonlyArray<StatusClass | undefined> = [undefined, '1xx', '2xx', '3xx', '4xx', '5xx'];

/** `500` or `"404"` → its class; anything that is not a status code 100–599 → undefined. */
export function statusClassOf(value: unknown): StatusClass | undefined {
  const code = typeof value === 'number' ? value : typeof value === 'string' && /^\d{3}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(code) || code < 100 || code > 599) return undefined;
  return CLASS_BY_DIGIT[Math.floor(code / 100)];
}

/** Index of a status code's class in CLASS_BY_DIGIT order minus one (1xx → 0), or -1. */
function statusIndexOf(value: unknown): number {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 100 && value <= 599 ? Math.floor(value / 100) - 1 : -1;
  const cls = statusClassOf(value);
  return cls === undefined ? -1 : CLASS_BY_DIGIT.indexOf(cls) - 1;
}

export class StatusClassCounter extends MinuteCounter<StatusClass> {
  constructor() {
    super(['1xx', '2xx', '3xx', '4xx', '5xx']);
  }

  record(entries: readonly LogEntry[]): void {
    for (let i = 0; i < entries.length; i++) {
      // metadataField: the status without building the rest of a deferred metadata object.
      const status = metadataField(entries[i], 'status');
      if (status === undefined) continue;
      const cls = statusIndexOf(status);
      if (cls >= 0) this.addAt(countTime(entries[i]), cls);
    }
  }
}
