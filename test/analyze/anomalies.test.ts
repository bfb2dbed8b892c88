// Every finding kind on an injected clock: fires once, resolves once, and a restart (state saved and
// loaded into a new detector) neither re-fires it nor loses it.
import { describe, expect, it } from 'vitest';
import { AnomalyDetector } from '../../src/analyze/anomalies.ts';
import type { AnomalyEvent, AnomalyOptions } from '../../src/analyze/types.ts';
import type { Level } from '../../src/types.ts';

const T0 = Date.UTC(2026, 10, 30, 8, 0, 0);
const SEC = 1000;
const MIN = 60_000;

function setup(options: Partial<AnomalyOptions> = {}) {
  const clock = { now: T0 };
  const events: AnomalyEvent[] = [];
  let detector = new AnomalyDetector(() => clock.now, options);
  return {
    clock,
    events,
    get detector() {
      return detector;
    },
    line(pattern: string, level: Level = 'INFO', created = false, source = 'app') {
      detector.observe(source, pattern, `template ${pattern}`, level, created, events);
    },
    tick() {
      detector.tick(events);
    },
    /** Advances the clock in steps, ticking as the pipeline does. */
    advance(ms: number, step = SEC) {
      const end = clock.now + ms;
      while (clock.now < end) {
        clock.now = Math.min(end, clock.now + step);
        detector.tick(events);
      }
    },
    restart() {
      const state = JSON.parse(JSON.stringify(detector.save()));
      detector = new AnomalyDetector(() => clock.now, options);
      detector.load(state);
    },
    kinds: () => events.map((e) => `${e.kind}:${e.state}`),
  };
}

describe('AnomalyDetector', () => {
  it('new pattern: not during the warm-up, then once per pattern, resolved after a while, not again after a restart', () => {
    const t = setup({ warmupMs: 5 * MIN, newPatternResolveMs: 10 * MIN });
    t.line('a', 'INFO', true);
    t.advance(6 * MIN, 10 * SEC);
    expect(t.events).toEqual([]);
    t.line('b', 'ERROR', true);
    t.line('b');
    t.line('b');
    expect(t.kinds()).toEqual(['new_pattern:firing']);
    expect(t.events[0]).toMatchObject({ source: 'app', pattern: 'b', level: 'ERROR' });
    t.restart();
    t.advance(5 * MIN, 10 * SEC);
    expect(t.kinds()).toEqual(['new_pattern:firing']);
    t.advance(6 * MIN, 10 * SEC);
    expect(t.kinds()).toEqual(['new_pattern:firing', 'new_pattern:resolved']);
    expect(t.detector.active()).toEqual([]);
  });

  it('new pattern: only from the configured level up', () => {
    const t = setup({ warmupMs: 0, newPatternMinLevel: 'WARNING' });
    t.line('info', 'INFO', true);
    t.line('warn', 'WARNING', true);
    expect(t.events.map((e) => e.pattern)).toEqual(['warn']);
  });

  it('pattern spike: over its baseline by the factor, once, resolved when the rate is back, kept across a restart', () => {
    const t = setup({ warmupMs: 0, spikeMinMinutes: 3, spikeFactor: 5, spikeMinCount: 10 });
    for (let m = 0; m < 10; m++) {
      t.line('p');
      t.advance(30 * SEC);
      t.line('p');
      t.advance(30 * SEC);
    }
    expect(t.events).toEqual([]);
    for (let i = 0; i < 9; i++) t.line('p');
    expect(t.events).toEqual([]); // 9 < max(10, 5 × baseline of about 2)
    t.line('p');
    expect(t.kinds()).toEqual(['pattern_spike:firing']);
    t.restart();
    for (let i = 0; i < 30; i++) t.line('p');
    expect(t.kinds()).toEqual(['pattern_spike:firing']);
    t.advance(MIN);
    t.line('p');
    t.advance(MIN);
    expect(t.kinds()).toEqual(['pattern_spike:firing', 'pattern_spike:resolved']);
  });

  it('pattern stopped: a steady heartbeat absent for several intervals fires once, survives a restart, resolves when it is back', () => {
    const t = setup({ stoppedIntervals: 5, stoppedMinMs: 60 * SEC });
    for (let i = 0; i < 70; i++) {
      t.line('heartbeat');
      t.advance(30 * SEC);
    }
    expect(t.events).toEqual([]);
    t.advance(2 * MIN); // 150 s since the last beat: 5 intervals of 30 s
    expect(t.events).toEqual([]);
    t.advance(30 * SEC);
    expect(t.kinds()).toEqual(['pattern_stopped:firing']);
    expect(t.events[0]).toMatchObject({ pattern: 'heartbeat', baseline: 30 * SEC });
    t.restart();
    t.advance(10 * MIN, 10 * SEC);
    expect(t.kinds()).toEqual(['pattern_stopped:firing']);
    t.line('heartbeat');
    expect(t.kinds()).toEqual(['pattern_stopped:firing', 'pattern_stopped:resolved']);
  });

  it('pattern stopped: not before it has a history (20 intervals over 30 minutes)', () => {
    const t = setup();
    for (let i = 0; i < 40; i++) {
      t.line('young');
      t.advance(30 * SEC);
    }
    t.advance(30 * MIN, 10 * SEC);
    expect(t.events).toEqual([]);
  });

  it('pattern stopped: not for an irregular pattern, and not for the time LogWatch itself was down', () => {
    const t = setup();
    for (let i = 0; i < 30; i++) {
      t.line('bursty');
      t.advance((i % 3 === 0 ? 200 : 2) * SEC);
    }
    t.advance(30 * MIN, 10 * SEC);
    expect(t.events).toEqual([]);

    const h = setup();
    for (let i = 0; i < 70; i++) {
      h.line('beat');
      h.advance(30 * SEC);
    }
    const state = JSON.parse(JSON.stringify(h.detector.save()));
    h.clock.now += 60 * MIN; // down for an hour
    const after = new AnomalyDetector(() => h.clock.now);
    after.load(state);
    const out: AnomalyEvent[] = [];
    after.tick(out);
    expect(out).toEqual([]);
  });

  it('error-rate jump: a source\'s errors per minute over its baseline fire once and resolve', () => {
    const t = setup({ warmupMs: 5 * MIN, spikeFactor: 5, spikeMinCount: 10 });
    for (let m = 0; m < 10; m++) {
      t.line('ok');
      t.line('err', 'ERROR');
      t.advance(MIN, 10 * SEC);
    }
    for (let i = 0; i < 15; i++) t.line('err', 'ERROR');
    expect(t.events.filter((e) => e.kind === 'error_rate').map((e) => e.state)).toEqual(['firing']);
    t.restart();
    t.line('err', 'ERROR');
    t.advance(MIN, 10 * SEC);
    t.advance(MIN, 10 * SEC);
    expect(t.events.filter((e) => e.kind === 'error_rate').map((e) => e.state)).toEqual(['firing', 'resolved']);
  });

  it('finds nothing in an hour of a steady mixed log', () => {
    const t = setup({ warmupMs: 5 * MIN });
    let n = 0;
    for (let s = 0; s < 3600; s += 2) {
      t.line(`p${n % 7}`, n % 11 === 0 ? 'ERROR' : 'INFO', n < 7);
      n++;
      if (s % 30 === 0) t.line('heartbeat', 'INFO', n < 7);
      t.advance(2 * SEC, 2 * SEC);
    }
    expect(t.events).toEqual([]);
  });
});
