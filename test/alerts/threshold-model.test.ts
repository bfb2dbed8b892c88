// Model-based test: random entry times, keys and ticks run through the real engine and through a naive
// model that keeps every match and rescans it for each count. Their alerts must be identical.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAlertEngine } from '../../src/alerts/index.ts';
import { createMemoryLogger } from '../../src/logger.ts';
import type { Alert, Level } from '../../src/types.ts';
import { entry, rules, T0 } from './helpers.ts';

interface RuleParams {
  threshold: number;
  window: number;
  cooldown: number;
  resolveAfter: number;
  repeatInterval: number;
}

type Op =
  | { kind: 'advance'; ms: number }
  | { kind: 'entry'; lagMs: number; level: Level; key: string }
  | { kind: 'tick' };

/** The spec, written as plainly as possible: every match kept, every count a rescan. */
class NaiveModel {
  private readonly matches = new Map<string, number[]>();
  private readonly keys = new Map<string, { firing: boolean; lastFiredAt: number; lastHeldAt: number }>();
  readonly alerts: Array<[number, string, string, number]> = [];

  constructor(private readonly p: RuleParams) {}

  /** Whole-second windows count in 1 s buckets: a match counts while its second is one of the last `window`. */
  private count(key: string, now: number): number {
    const nowSecond = Math.floor(now / 1000);
    return (this.matches.get(key) ?? []).filter((t) => Math.floor(t / 1000) > nowSecond - this.p.window).length;
  }

  entry(now: number, time: number, key: string): void {
    const lag = now - time;
    const countedAt = lag >= -5000 && lag < this.p.window * 1000 ? Math.min(time, now) : now;
    if (!this.matches.has(key)) this.matches.set(key, []);
    this.matches.get(key)!.push(countedAt);
    let state = this.keys.get(key);
    if (state === undefined) {
      state = { firing: false, lastFiredAt: Number.NEGATIVE_INFINITY, lastHeldAt: now };
      this.keys.set(key, state);
    }
    const count = this.count(key, now);
    if (count >= this.p.threshold) {
      state.lastHeldAt = now;
      if (!state.firing && now - state.lastFiredAt >= this.p.cooldown * 1000) {
        state.firing = true;
        state.lastFiredAt = now;
        this.alerts.push([now, 'firing', key, count]);
      }
    }
  }

  tick(now: number): void {
    for (const [key, state] of this.keys) {
      if (!state.firing) continue;
      const count = this.count(key, now);
      if (count >= this.p.threshold) {
        state.lastHeldAt = now;
        if (this.p.repeatInterval > 0 && now - state.lastFiredAt >= this.p.repeatInterval * 1000) {
          state.lastFiredAt = now;
          this.alerts.push([now, 'firing', key, count]);
        }
      } else if (now - state.lastHeldAt >= this.p.resolveAfter * 1000) {
        state.firing = false;
        this.alerts.push([now, 'resolved', key, count]);
      }
    }
  }
}

const params = fc.record({
  threshold: fc.integer({ min: 1, max: 4 }),
  window: fc.integer({ min: 1, max: 20 }),
  cooldown: fc.integer({ min: 0, max: 12 }),
  resolveAfter: fc.integer({ min: 0, max: 8 }),
  repeatInterval: fc.integer({ min: 0, max: 8 }),
});

function halfSeconds(min: number, max: number): fc.Arbitrary<number> {
  return fc.integer({ min, max }).map((n) => n * 500);
}

const op: fc.Arbitrary<Op> = fc.oneof(
  // Steps in half seconds land exactly on window, cooldown and resolve boundaries; arbitrary ones between them.
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.oneof(halfSeconds(0, 6), fc.integer({ min: 0, max: 8000 })) }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('entry' as const),
      // Mostly recent, sometimes older than any window (a replay) or ahead of the clock.
      lagMs: fc.oneof(
        { weight: 4, arbitrary: halfSeconds(0, 8) },
        { weight: 1, arbitrary: halfSeconds(0, 44) },
        { weight: 2, arbitrary: fc.integer({ min: 0, max: 25_000 }) },
        { weight: 1, arbitrary: fc.integer({ min: -8000, max: 0 }) },
        { weight: 1, arbitrary: fc.constant(3_600_000) },
      ),
      level: fc.constantFrom<Level>('ERROR', 'ERROR', 'ERROR', 'INFO'),
      key: fc.constantFrom('a', 'a', 'b', 'c'),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'tick' as const }) },
);

describe('threshold engine against a naive rescan model', () => {
  it('emits the same alerts for random entry times, keys and ticks', () => {
    fc.assert(
      fc.property(params, fc.array(op, { minLength: 20, maxLength: 200 }), fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 999 })), (p, ops, startMs) => {
        let now = T0 + startMs;
        const engine = createAlertEngine({
          rules: rules({ name: 'R', level: 'ERROR', groupBy: 'metadata.k', ...p }),
          clock: () => now,
          logger: createMemoryLogger(),
        });
        const model = new NaiveModel(p);
        const real: Alert[] = [];
        for (const o of ops) {
          if (o.kind === 'advance') now += o.ms;
          else if (o.kind === 'tick') {
            real.push(...engine.tick());
            model.tick(now);
          } else {
            real.push(...engine.evaluate([entry({ time: now - o.lagMs, level: o.level, metadata: { k: o.key } })]));
            if (o.level === 'ERROR') model.entry(now, now - o.lagMs, o.key);
          }
        }
        // Alerts of different keys emitted by one tick come in no particular order.
        const byTimeAndKey = (list: Array<[number, string, string, number]>) =>
          [...list].sort((x, y) => x[0] - y[0] || (x[2] < y[2] ? -1 : x[2] > y[2] ? 1 : 0));
        expect(byTimeAndKey(real.map((a) => [a.time, a.state, a.key, a.count]))).toEqual(byTimeAndKey(model.alerts));
      }),
      { numRuns: 400 },
    );
  });
});
