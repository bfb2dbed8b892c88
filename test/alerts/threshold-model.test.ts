// Model-based test: random entry times, keys and ticks run through the real engine and through a naive
// model that keeps every match and rescans it for each count. Their alerts must be identical.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAlertEngine } from '../../src/alerts/index.ts';
import { FUTURE_SKEW_MS } from '../../src/alerts/rule.ts';
import { MAX_BUCKETS } from '../../src/alerts/window-counter.ts';
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

  /**
   * A window of W seconds counts in min(W, MAX_BUCKETS) equal buckets (1 s each up to 120 s, longer
   * beyond): a match counts while its bucket is one of the last ones, the current one included.
   */
  private count(key: string, now: number): number {
    const buckets = Math.min(this.p.window, MAX_BUCKETS);
    const bucketMs = (this.p.window * 1000) / buckets;
    const nowBucket = Math.floor(now / bucketMs);
    return (this.matches.get(key) ?? []).filter((t) => Math.floor(t / bucketMs) > nowBucket - buckets).length;
  }

  entry(now: number, time: number, key: string): void {
    const lag = now - time;
    const countedAt = lag >= -FUTURE_SKEW_MS && lag < this.p.window * 1000 ? Math.min(time, now) : now;
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

/** Rule parameters; `scale` stretches every duration, so long windows (> MAX_BUCKETS s) get the same coverage. */
function params(scale: number): fc.Arbitrary<RuleParams> {
  return fc.record({
    threshold: fc.integer({ min: 1, max: 4 }),
    window: scale === 1 ? fc.integer({ min: 1, max: 20 }) : fc.integer({ min: MAX_BUCKETS + 1, max: 20 * scale }),
    cooldown: fc.integer({ min: 0, max: 12 * scale }),
    resolveAfter: fc.integer({ min: 0, max: 8 * scale }),
    repeatInterval: fc.integer({ min: 0, max: 8 * scale }),
  });
}

function halfSeconds(min: number, max: number, scale: number): fc.Arbitrary<number> {
  return fc.integer({ min, max }).map((n) => n * 500 * scale);
}

function ops(scale: number): fc.Arbitrary<Op[]> {
  const op: fc.Arbitrary<Op> = fc.oneof(
    // Steps in (scaled) half seconds land exactly on window, bucket, cooldown and resolve boundaries; arbitrary ones between them.
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.oneof(halfSeconds(0, 6, scale), fc.integer({ min: 0, max: 8000 * scale })) }) },
    {
      weight: 5,
      arbitrary: fc.record({
        kind: fc.constant('entry' as const),
        // Mostly recent, sometimes older than any window (a replay) or ahead of the clock.
        lagMs: fc.oneof(
          { weight: 4, arbitrary: halfSeconds(0, 8, scale) },
          { weight: 1, arbitrary: halfSeconds(0, 44, scale) },
          { weight: 2, arbitrary: fc.integer({ min: 0, max: 25_000 * scale }) },
          { weight: 1, arbitrary: fc.integer({ min: -8000, max: 0 }) },
          { weight: 1, arbitrary: fc.constant(3_600_000 * scale) },
        ),
        level: fc.constantFrom<Level>('ERROR', 'ERROR', 'ERROR', 'INFO'),
        key: fc.constantFrom('a', 'a', 'b', 'c'),
      }),
    },
    { weight: 2, arbitrary: fc.constant({ kind: 'tick' as const }) },
  );
  return fc.array(op, { minLength: 20, maxLength: 200 });
}

describe('threshold engine against a naive rescan model', () => {
  const cases = [
    { title: 'windows of 1 to 20 s (1 s buckets)', scale: 1 },
    { title: `windows over ${MAX_BUCKETS} s (${MAX_BUCKETS} buckets longer than 1 s)`, scale: 20 },
  ];
  for (const { title, scale } of cases) it(`emits the same alerts for random entry times, keys and ticks: ${title}`, () => {
    fc.assert(
      fc.property(params(scale), ops(scale), fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 999 * scale })), (p, list, startMs) => {
        let now = T0 + startMs;
        const engine = createAlertEngine({
          rules: rules({ name: 'R', level: 'ERROR', groupBy: 'metadata.k', ...p }),
          clock: () => now,
          logger: createMemoryLogger(),
        });
        const model = new NaiveModel(p);
        const real: Alert[] = [];
        for (const o of list) {
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
