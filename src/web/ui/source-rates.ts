// Lines per second per source over the last few seconds, for the sources panel.
import type { LogEntry } from '../../types.ts';

const SLOTS = 10;

interface SourceSeconds {
  keys: Float64Array;
  counts: Uint32Array;
}

/** Per-second counts per source in a small ring; the rate is their mean over the last SLOTS seconds. */
export class SourceRates {
  private readonly sources = new Map<string, SourceSeconds>();

  record(entries: readonly LogEntry[]): void {
    let last: SourceSeconds | undefined;
    let lastName: string | undefined;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      if (entry.source !== lastName) {
        lastName = entry.source;
        last = this.sources.get(lastName);
        if (last === undefined) {
          last = { keys: new Float64Array(SLOTS).fill(-1), counts: new Uint32Array(SLOTS) };
          this.sources.set(lastName, last);
        }
      }
      const second = Math.floor(entry.receivedAt / 1000);
      const slot = ((second % SLOTS) + SLOTS) % SLOTS;
      const seconds = last as SourceSeconds;
      if (seconds.keys[slot] !== second) {
        if (seconds.keys[slot] > second) continue;
        seconds.keys[slot] = second;
        seconds.counts[slot] = 0;
      }
      seconds.counts[slot]++;
    }
  }

  /** Lines per second of `source` over the SLOTS seconds up to `now`. */
  rate(source: string, now: number): number {
    const seconds = this.sources.get(source);
    if (seconds === undefined) return 0;
    const current = Math.floor(now / 1000);
    let sum = 0;
    for (let i = 0; i < SLOTS; i++) {
      const key = seconds.keys[i];
      if (key > current - SLOTS && key <= current) sum += seconds.counts[i];
    }
    return sum / SLOTS;
  }
}
