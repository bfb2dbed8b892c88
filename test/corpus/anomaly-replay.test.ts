// The anomaly scenario on a real log: loghub's OpenSSH sample (4 hours of a real sshd) replayed on
// an injected clock at its own timestamps, with a heartbeat line every 30 s added. Unchanged, the
// replay must raise no spike, stop or error-rate finding; with a burst of one real pattern injected
// and the heartbeat stopped, both are found within one window (a minute for the spike, five
// heartbeat intervals plus a tick for the stop).
import { describe, expect, it } from 'vitest';
import { Analyzer, type PatternedEntry } from '../../src/analyze/analyzer.ts';
import type { AnomalyEvent } from '../../src/analyze/types.ts';
import { loghubEntries } from './grouping.ts';

const CORPUS = new URL('../../../shared/corpus/', import.meta.url);
const BEAT_MS = 30_000;

interface Scenario {
  burstAt?: number;
  stopBeatAt?: number;
}

function replay(scenario: Scenario): { events: AnomalyEvent[]; start: number } {
  const { entries } = loghubEntries(CORPUS, 'OpenSSH');
  // Year-less syslog times: the parser put them in the clock's year; only their spacing matters here.
  const start = entries[0]!.time;
  const end = entries[entries.length - 1]!.time;
  const clock = { now: start };
  const analyzer = new Analyzer({ clock: () => clock.now });
  const events: AnomalyEvent[] = [];
  const burstLine = entries.find((e) => e.message.startsWith('Received disconnect from'))!;
  let next = 0;
  let nextBeat = start;
  let burstDone = false;
  for (let t = start; t <= end + 10 * 60_000; t += 1000) {
    clock.now = t;
    const batch: PatternedEntry[] = [];
    while (next < entries.length && entries[next]!.time <= t) batch.push({ ...entries[next++]! });
    if (t >= nextBeat) {
      if (scenario.stopBeatAt === undefined || t < start + scenario.stopBeatAt) {
        batch.push({ ...entries[0]!, message: 'heartbeat: all workers alive', raw: 'heartbeat: all workers alive', time: t });
      }
      nextBeat += BEAT_MS;
    }
    if (scenario.burstAt !== undefined && !burstDone && t >= start + scenario.burstAt) {
      burstDone = true;
      for (let i = 0; i < 120; i++) batch.push({ ...burstLine, message: `Received disconnect from 10.9.${i >> 4}.${i}: 11: Bye Bye [preauth]`, time: t });
    }
    if (batch.length > 0) analyzer.analyze(batch, false, events);
    analyzer.tick(events);
  }
  return { events, start };
}

const rateFindings = (events: AnomalyEvent[]) => events.filter((e) => e.kind !== 'new_pattern');

describe('anomalies on a replayed real log (loghub OpenSSH)', () => {
  it('finds no spike, stop or error-rate jump in the log as it is', () => {
    const { events, start } = replay({});
    expect(rateFindings(events).map((e) => `${Math.round((e.time - start) / 60_000)} min: ${e.message}`)).toEqual([]);
  });

  it('finds an injected burst and a stopped heartbeat, each within one window', () => {
    const burstAt = 2 * 3600_000;
    const stopBeatAt = 3 * 3600_000;
    const { events, start } = replay({ burstAt, stopBeatAt });
    const firing = rateFindings(events).filter((e) => e.state === 'firing');
    expect(firing.map((e) => e.kind).sort()).toEqual(['pattern_spike', 'pattern_stopped']);
    const spike = firing.find((e) => e.kind === 'pattern_spike')!;
    expect(spike.template).toContain('Received disconnect from');
    expect(spike.time - (start + burstAt)).toBeLessThan(60_000);
    const stopped = firing.find((e) => e.kind === 'pattern_stopped')!;
    expect(stopped.template).toBe('heartbeat: all workers alive');
    const lastBeat = start + Math.ceil(stopBeatAt / BEAT_MS) * BEAT_MS - BEAT_MS;
    expect(stopped.time - lastBeat).toBeLessThanOrEqual(5 * BEAT_MS + 60_000);
  });
});
