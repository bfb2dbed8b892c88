// Lines per second per source over the last few seconds, for the sources panel.
import { TimeRing } from '../../store/time-ring.ts';
import type { LogEntry } from '../../types.ts';

const SECONDS = 10;

/**
 * Per-second counts per source; the rate is their mean over the last SECONDS seconds. This is an
 * arrival rate ("is this source alive right now"), so it counts receive time, not the line's own
 * time: a source whose clock lags by half a minute must not look silent.
 */
export class SourceRates {
  private readonly sources = new Map<string, TimeRing>();

  record(entries: readonly LogEntry[]): void {
    let ring: TimeRing | undefined;
    let name: string | undefined;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      if (entry.source !== name) {
        name = entry.source;
        ring = this.sources.get(name);
        if (ring === undefined) this.sources.set(name, (ring = new TimeRing(1000, SECONDS)));
      }
      (ring as TimeRing).add(entry.receivedAt);
    }
  }

  /** Lines per second of `source` over the SECONDS seconds up to `now`. */
  rate(source: string, now: number): number {
    const ring = this.sources.get(source);
    return ring === undefined ? 0 : ring.sum(now) / SECONDS;
  }
}
