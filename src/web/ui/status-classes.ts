// HTTP status classes per minute over the last hour, for access-log lines (metadata.status).
import type { LogEntry } from '../../types.ts';
import type { StatusClass, StatusMinute } from '../../../views/model.ts';

const MINUTE = 60_000;
const MINUTES = 60;
const CLASS_BY_DIGIT: ReadonlyArray<StatusClass | undefined> = [undefined, '1xx', '2xx', '3xx', '4xx', '5xx'];

/** `500` or `"404"` → its class; anything that is not a status code 100–599 → undefined. */
export function statusClassOf(value: unknown): StatusClass | undefined {
  const code = typeof value === 'number' ? value : typeof value === 'string' && /^\d{3}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(code) || code < 100 || code > 599) return undefined;
  return CLASS_BY_DIGIT[Math.floor(code / 100)];
}

function zero(): Record<StatusClass, number> {
  return { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };
}

/** A ring of per-minute counts, keyed by receive time like the store's own per-minute statistics. */
export class StatusClassCounter {
  private readonly keys = new Float64Array(MINUTES).fill(-1);
  private readonly counts = Array.from({ length: MINUTES }, zero);

  record(entries: readonly LogEntry[]): void {
    for (let i = 0; i < entries.length; i++) {
      const status = entries[i].metadata.status;
      if (status === undefined) continue;
      const cls = statusClassOf(status);
      if (cls === undefined) continue;
      const slot = this.slot(entries[i].receivedAt);
      if (slot !== undefined) slot[cls]++;
    }
  }

  /** The last hour, oldest minute first, empty minutes included. */
  perMinute(now: number): StatusMinute[] {
    const current = Math.floor(now / MINUTE);
    const out: StatusMinute[] = [];
    for (let m = current - MINUTES + 1; m <= current; m++) {
      const i = ((m % MINUTES) + MINUTES) % MINUTES;
      out.push({ minute: m * MINUTE, counts: this.keys[i] === m ? { ...this.counts[i] } : zero() });
    }
    return out;
  }

  private slot(time: number): Record<StatusClass, number> | undefined {
    const minute = Math.floor(time / MINUTE);
    const i = ((minute % MINUTES) + MINUTES) % MINUTES;
    if (this.keys[i] !== minute) {
      // A late entry older than the minute now in its slot counts nowhere rather than in the wrong minute.
      if (this.keys[i] > minute) return undefined;
      this.keys[i] = minute;
      this.counts[i] = zero();
    }
    return this.counts[i];
  }
}
