// Builders shared by the alert tests: entries at chosen times and an engine on a clock the test moves.
import { createAlertEngine } from '../../src/alerts/index.ts';
import type { AlertEngine, AlertEngineOptions } from '../../src/alerts/types.ts';
import { ruleSchema, type RuleConfig, type RuleInput } from '../../src/alerts/config.ts';
import { createMemoryLogger } from '../../src/logger.ts';
import type { Alert, Level, LogEntry } from '../../src/types.ts';

/** 2026-11-30T00:00:00Z: a round start so bucket boundaries fall on whole seconds. */
export const T0 = Date.UTC(2026, 10, 30);

export class ManualClock {
  constructor(public now = T0) {}
  readonly read = () => this.now;
  /** Moves to `seconds` after T0. */
  at(seconds: number): this {
    this.now = T0 + seconds * 1000;
    return this;
  }
  advance(seconds: number): this {
    this.now += seconds * 1000;
    return this;
  }
}

let nextId = 1;

export function entry(fields: Partial<LogEntry> & { level?: Level } = {}, clock?: ManualClock): LogEntry {
  const now = clock?.now ?? T0;
  const message = fields.message ?? 'something happened';
  return {
    id: nextId++,
    time: now,
    level: 'INFO',
    source: 'app.log',
    format: 'test',
    metadata: {},
    raw: message,
    receivedAt: now,
    ...fields,
    message,
  };
}

export function rules(...inputs: RuleInput[]): RuleConfig[] {
  return inputs.map((input) => ruleSchema.parse(input));
}

export interface TestEngine {
  engine: AlertEngine;
  clock: ManualClock;
  logger: ReturnType<typeof createMemoryLogger>;
  /** Evaluates entries stamped with the current time (unless given another). */
  push(...fields: Array<Partial<LogEntry>>): Alert[];
  /** Ticks once per second from now until `seconds` after T0, returning every alert. */
  tickUntil(seconds: number): Alert[];
}

export function testEngine(ruleInputs: RuleInput[], options: Partial<AlertEngineOptions> & { start?: number } = {}): TestEngine {
  const clock = new ManualClock().at(options.start ?? 0);
  const logger = createMemoryLogger();
  const engine = createAlertEngine({ rules: rules(...ruleInputs), clock: clock.read, logger, ...options });
  return {
    engine,
    clock,
    logger,
    push: (...fields) => engine.evaluate(fields.map((f) => entry(f, clock))),
    tickUntil(seconds) {
      const out: Alert[] = [];
      while (clock.now < T0 + seconds * 1000) {
        clock.advance(1);
        out.push(...engine.tick());
      }
      return out;
    },
  };
}

/** `[seconds after T0, state, key, count]` for compact expectations. */
export function summary(alerts: readonly Alert[]): Array<[number, string, string, number]> {
  return alerts.map((a) => [(a.time - T0) / 1000, a.state, a.key, a.count]);
}
