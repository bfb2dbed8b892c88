// A rule tried on the past: the real engine, on a clock that follows the entries' times, over a range
// of history, notifying nobody and persisting nothing. Answers when and for which keys it would have
// fired (and resolved).
import { createMemoryLogger } from '../logger.ts';
import type { LogEntry } from '../types.ts';
import type { RuleConfig } from './config.ts';
import { createAlertEngine } from './index.ts';

/** Entries of a time range, oldest first, in batches (history's scan; the alerts stage does not import the store). */
export interface ReplaySource {
  scan(range: { from: number; to: number }, visit: (entries: LogEntry[]) => boolean | void): Promise<void>;
}

export interface ReplayEvent {
  time: number;
  key: string;
  state: 'firing' | 'resolved';
  count: number;
  message: string;
}

export interface ReplayResult {
  /** Entries replayed (every entry in the range: a rule's matchers are its own business). */
  entries: number;
  events: ReplayEvent[];
  /** True when maxEntries or maxEvents cut the replay short. */
  truncated: boolean;
}

/** Ticks the engine (resolve, absence, repeat) at most this often in entry time, and at most this many times across a gap. */
const TICK_MS = 1000;
const MAX_TICKS_PER_GAP = 1000;

export async function replayRule(rule: RuleConfig, source: ReplaySource, range: { from: number; to: number }, limits = { maxEntries: 5_000_000, maxEvents: 1000 }): Promise<ReplayResult> {
  let now = range.from;
  let lastTick = range.from;
  // No stateDir: nothing is read or written; the logger swallows what the engine would say.
  const engine = createAlertEngine({ rules: [rule], clock: () => now, logger: createMemoryLogger() });
  const events: ReplayEvent[] = [];
  let entries = 0;
  let truncated = false;
  const record = (alerts: ReturnType<typeof engine.tick>) => {
    for (const alert of alerts) {
      if (events.length >= limits.maxEvents) {
        truncated = true;
        return;
      }
      events.push({ time: alert.time, key: alert.key, state: alert.state, count: alert.count, message: alert.message });
    }
  };
  const advance = (to: number) => {
    if (to - lastTick < TICK_MS) return;
    const step = Math.max(TICK_MS, Math.ceil((to - lastTick) / MAX_TICKS_PER_GAP));
    for (let t = lastTick + step; t <= to; t += step) {
      now = Math.max(now, t);
      record(engine.tick());
      lastTick = t;
    }
  };
  try {
    await source.scan({ from: range.from, to: range.to }, (batch) => {
      // Entries of one second together: the clock stands at that second as the engine reads them.
      batch.sort((a, b) => a.time - b.time);
      let i = 0;
      while (i < batch.length) {
        const second = Math.floor(batch[i].time / TICK_MS) * TICK_MS;
        let j = i;
        while (j < batch.length && batch[j].time < second + TICK_MS) j++;
        advance(second);
        now = Math.max(now, batch[j - 1].time);
        record(engine.evaluate(batch.slice(i, j)));
        i = j;
      }
      entries += batch.length;
      if (entries >= limits.maxEntries || events.length >= limits.maxEvents) {
        truncated = true;
        return false;
      }
      return true;
    });
    if (!truncated) advance(range.to);
  } finally {
    engine.close();
  }
  return { entries, events, truncated };
}
