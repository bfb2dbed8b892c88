// One rule, compiled: its matchers, its per-key windows and the firing → resolved lifecycle of each key.
import type { AnomalyEvent } from '../analyze/types.ts';
import type { LogEntry } from '../types.ts';
import { ANOMALY_RULE_TYPES, type RuleConfig, type RuleType } from './config.ts';
import { fieldReader, keyOf, type FieldReader } from './fields.ts';
import { KeyTable, type TrackedKey } from './key-table.ts';
import { alertMessage, excerpt, formatNumber } from './message.ts';
import { EntryMatcher, type MatchContext } from './matcher.ts';
import { bucketGrid, bucketIndex, WindowCounter, type BucketGrid } from './window-counter.ts';

/** Samples kept per key and attached to an alert. */
export const SAMPLES = 5;
/** An entry stamped this far in the future is still taken at its own time (clamped to now). */
export const FUTURE_SKEW_MS = 5_000;
const DEFAULT_FACTOR = 3;
const DEFAULT_BASELINE = 5;
const DEFAULT_WARMUP_S = 3600;

export interface KeyState extends TrackedKey {
  /** Counts of this key; undefined for new_value rules, which only remember that a value was seen. */
  counter: WindowCounter | undefined;
  /** The last SAMPLES matching entries, a ring starting at `nextSample`. */
  samples: LogEntry[];
  nextSample: number;
  /** When the key was first tracked (absence waits a full window before judging it). */
  seenAt: number;
  firing: boolean;
  /** The firing alert went out to notifiers (was not silenced): only then is its resolve notified. */
  notified: boolean;
  firedAt: number;
  /** Last firing alert (first or repeat); -Infinity when never. Cooldowns count from here. */
  lastFiredAt: number;
  /** Last time the condition was seen to hold; resolve comes `resolveAfter` later. */
  lastHeldAt: number;
  /** Message of the firing alert, repeated in its resolve. */
  message: string;
  /** Anomaly rules: what the analyzer said about the pattern (the `{anomaly}` placeholder). */
  anomaly?: string;
}

/** What a rule hands its alerts to (the engine: ids, silences, recording). */
export interface AlertSink {
  /** Emits a firing alert; returns true when a silence matched (recorded, not notified). */
  fire(rule: CompiledRule, state: KeyState, count: number, message: string, now: number): boolean;
  resolve(rule: CompiledRule, state: KeyState, count: number, message: string, now: number): void;
  /** Something worth persisting changed (a value learned, a key forgotten). */
  changed(): void;
}

/** The lifecycle of one key, as persisted and carried across reloads. */
export interface KeySnapshot {
  key: string;
  firing: boolean;
  notified: boolean;
  firedAt: number;
  lastFiredAt: number | null;
  lastHeldAt: number;
  message: string;
}

export interface RuleSnapshot {
  identity: string;
  startedAt: number;
  keys: KeySnapshot[];
}

export class CompiledRule {
  readonly name: string;
  readonly type: RuleType;
  /** The whole config: equal fingerprints mean a reload can keep this rule as it is. */
  readonly fingerprint: string;
  /** Type and key field: equal identities mean a changed rule can keep the lifecycle of its keys. */
  readonly identity: string;
  readonly grid: BucketGrid;
  readonly threshold: number;
  readonly cooldownMs: number;
  readonly resolveAfterMs: number;
  readonly repeatMs: number;
  readonly factor: number;
  readonly baseline: number;
  readonly warmupMs: number;
  readonly keys: KeyTable<KeyState>;
  matches = 0;
  lastFiredAt: number | null = null;
  startedAt: number;
  private readonly matcher: EntryMatcher;
  private readonly keyField: FieldReader | undefined;
  private readonly history: number;
  private readonly firing = new Set<KeyState>();
  /** Fed by anomalies, not entries. */
  private readonly onAnomalies: boolean;

  constructor(readonly config: RuleConfig, now: number) {
    this.name = config.name;
    this.type = config.type;
    this.fingerprint = stableJson(config);
    const keyPath = config.type === 'new_value' ? config.field : config.groupBy;
    this.identity = `${config.type}|${keyPath ?? ''}`;
    this.matcher = new EntryMatcher(config);
    this.keyField = keyPath === undefined ? undefined : fieldReader(keyPath);
    this.grid = bucketGrid(config.window * 1000);
    this.threshold = config.threshold;
    this.cooldownMs = config.cooldown * 1000;
    this.resolveAfterMs = (config.resolveAfter ?? config.window) * 1000;
    this.repeatMs = (config.repeatInterval ?? config.cooldown) * 1000;
    this.factor = config.factor ?? DEFAULT_FACTOR;
    this.baseline = config.baseline ?? DEFAULT_BASELINE;
    this.warmupMs = (config.warmup ?? DEFAULT_WARMUP_S) * 1000;
    this.history = config.type === 'rate' ? this.baseline : 0;
    this.onAnomalies = ANOMALY_RULE_TYPES.has(config.type);
    this.keys = new KeyTable(keyPath === undefined ? 1 : config.maxKeys);
    this.startedAt = now;
    // An ungrouped absence rule watches its one key from the start, even before anything matches.
    if (config.type === 'absence' && keyPath === undefined) this.keys.insert(this.newState('', now));
  }

  get notify(): readonly string[] | undefined {
    return this.config.notify;
  }

  /** Keys whose alert is firing. */
  firingKeys(): IterableIterator<KeyState> {
    return this.firing.values();
  }

  get firingCount(): number {
    return this.firing.size;
  }

  /** Counts a new entry; `lagMs` is how long ago the entry says it happened. */
  observe(entry: LogEntry, lagMs: number, now: number, sink: AlertSink, context?: MatchContext): void {
    if (this.onAnomalies || !this.matcher.matches(entry, context)) return;
    let key = '';
    if (this.keyField !== undefined) {
      const value = keyOf(this.keyField(entry));
      // An entry without the grouping field belongs to no group: it is not counted.
      if (value === undefined) return;
      key = value;
    }
    this.matches++;
    if (this.type === 'new_value') {
      this.observeValue(entry, key, now, sink);
      return;
    }
    const state = this.stateFor(key, now, sink);
    pushSample(state, entry);
    const counter = state.counter as WindowCounter;
    // The entry's own time places it precisely when it is recent; a late line (replay, skewed
    // clock) counts when it arrives rather than vanishing outside the window.
    const countedAt = lagMs >= -FUTURE_SKEW_MS && lagMs < this.grid.windowMs ? Math.min(entry.time, now) : now;
    counter.add(bucketIndex(this.grid, countedAt));
    if (this.type === 'absence') return;
    const count = counter.countAt(bucketIndex(this.grid, now));
    if (this.holds(state, count, now) === true) {
      state.lastHeldAt = now;
      if (!state.firing && now - state.lastFiredAt >= this.cooldownMs) this.fire(state, count, now, sink);
    }
  }

  /**
   * An anomaly of the analyzer: fires the key of its pattern (respecting the cooldown) when it fires,
   * resolves it when it resolves. The rule's filters apply to the pattern: `pattern` to its template,
   * `level` to its most severe line, `source` to its source.
   */
  observeAnomaly(anomaly: AnomalyEvent, now: number, sink: AlertSink): void {
    if (anomaly.kind !== this.type || anomaly.pattern === undefined) return;
    const template = anomaly.template ?? '';
    const probe: LogEntry = {
      id: 0, time: anomaly.time, level: anomaly.level ?? 'UNKNOWN', message: template, source: anomaly.source,
      format: '', metadata: {}, raw: template, receivedAt: anomaly.time,
    };
    if (!this.matcher.matches(probe)) return;
    const key = anomaly.pattern;
    if (anomaly.state === 'resolved') {
      const state = this.keys.peek(key);
      if (state === undefined || !state.firing) return;
      state.firing = false;
      this.firing.delete(state);
      sink.resolve(this, state, Math.round(anomaly.value), `resolved: ${state.message}`, now);
      return;
    }
    this.matches++;
    const state = this.stateFor(key, now, sink);
    if (anomaly.entry !== undefined) pushSample(state, anomaly.entry);
    state.anomaly = anomaly.message;
    if (!state.firing && now - state.lastFiredAt >= this.cooldownMs) this.fire(state, Math.round(anomaly.value), now, sink);
  }

  /** Time-driven transitions: absence, repeats, resolves. */
  tick(now: number, sink: AlertSink): void {
    const index = bucketIndex(this.grid, now);
    if (this.type === 'absence') {
      for (const state of this.keys.values()) {
        if (state.firing) continue;
        const count = (state.counter as WindowCounter).countAt(index);
        if (this.holds(state, count, now) !== true) continue;
        state.lastHeldAt = now;
        if (now - state.lastFiredAt >= this.cooldownMs) this.fire(state, count, now, sink);
      }
    }
    for (const state of this.firing) {
      const count = state.counter === undefined ? 0 : state.counter.countAt(index);
      const held = this.holds(state, count, now);
      if (held === true) {
        state.lastHeldAt = now;
        if (this.repeatMs > 0 && now - state.lastFiredAt >= this.repeatMs) this.repeat(state, count, now, sink);
      } else if (held === false && now - state.lastHeldAt >= this.resolveAfterMs) {
        state.firing = false;
        this.firing.delete(state);
        sink.resolve(this, state, count, `resolved: ${state.message}`, now);
      }
    }
  }

  /** Whether the condition holds for a key with `count` matches in its window; undefined while warming up. */
  private holds(state: KeyState, count: number, now: number): boolean | undefined {
    switch (this.type) {
      case 'threshold':
        return count >= this.threshold;
      case 'rate': {
        if (now - this.startedAt < this.history * this.grid.windowMs) return undefined;
        const average = (state.counter as WindowCounter).previous / this.history;
        return count >= this.threshold && count >= this.factor * average;
      }
      case 'absence':
        if (now - state.seenAt < this.grid.windowMs) return undefined;
        return count < this.threshold;
      case 'new_value':
        return false;
      default:
        // Anomaly rules hold while the analyzer says so: it resolves them.
        return undefined;
    }
  }

  private observeValue(entry: LogEntry, key: string, now: number, sink: AlertSink): void {
    const known = this.keys.touch(key);
    if (known !== undefined) {
      pushSample(known, entry);
      return;
    }
    const state = this.stateFor(key, now, sink);
    pushSample(state, entry);
    sink.changed();
    if (now - this.startedAt >= this.warmupMs) this.fire(state, 1, now, sink);
  }

  private stateFor(key: string, now: number, sink: AlertSink): KeyState {
    const known = this.keys.touch(key);
    if (known !== undefined) return known;
    const state = this.newState(key, now);
    const evicted = this.keys.insert(state);
    if (evicted !== undefined) {
      this.firing.delete(evicted);
      sink.changed();
    }
    return state;
  }

  private newState(key: string, now: number): KeyState {
    return {
      key,
      referenced: false,
      counter: this.type === 'new_value' || this.onAnomalies ? undefined : new WindowCounter(this.grid.buckets, this.history, bucketIndex(this.grid, now)),
      samples: [],
      nextSample: 0,
      seenAt: now,
      firing: false,
      notified: false,
      firedAt: 0,
      lastFiredAt: Number.NEGATIVE_INFINITY,
      lastHeldAt: now,
      message: '',
    };
  }

  private fire(state: KeyState, count: number, now: number, sink: AlertSink): void {
    state.firing = true;
    state.referenced = true;
    this.firing.add(state);
    state.firedAt = now;
    state.lastFiredAt = now;
    state.lastHeldAt = now;
    this.lastFiredAt = now;
    state.message = this.describe(state, count);
    state.notified = !sink.fire(this, state, count, state.message, now);
  }

  private repeat(state: KeyState, count: number, now: number, sink: AlertSink): void {
    state.lastFiredAt = now;
    this.lastFiredAt = now;
    state.message = this.describe(state, count);
    if (!sink.fire(this, state, count, state.message, now)) state.notified = true;
  }

  /** The alert message: the rule's `message` with {placeholders} filled, or a sentence per type. */
  describe(state: KeyState, count: number): string {
    const last = newestSample(state);
    return alertMessage(this.config, {
      rule: this.name,
      key: state.key,
      count: String(count),
      threshold: String(this.threshold),
      window: String(this.config.window),
      factor: String(this.factor),
      baseline: String(this.baseline),
      average: state.counter === undefined ? '0' : formatNumber(state.counter.previous / Math.max(1, this.history)),
      field: this.config.field ?? this.config.groupBy ?? '',
      message: last === undefined ? '' : excerpt(last.message),
      anomaly: state.anomaly ?? '',
    });
  }

  /** Recent samples, oldest first. */
  samplesOf(state: KeyState): LogEntry[] {
    const { samples, nextSample } = state;
    if (samples.length < SAMPLES) return samples.slice();
    return samples.slice(nextSample).concat(samples.slice(0, nextSample));
  }

  /** The lifecycle worth keeping across a restart or a reload. */
  snapshot(now: number): RuleSnapshot {
    const horizon = Math.max(this.cooldownMs, this.repeatMs);
    const keys: KeySnapshot[] = [];
    const keepAll = this.type === 'new_value' || this.type === 'absence';
    for (const state of this.keys.values()) {
      if (!keepAll && !state.firing && now - state.lastFiredAt >= horizon) continue;
      keys.push({
        key: state.key,
        firing: state.firing,
        notified: state.notified,
        firedAt: state.firedAt,
        lastFiredAt: Number.isFinite(state.lastFiredAt) ? state.lastFiredAt : null,
        lastHeldAt: state.lastHeldAt,
        message: state.message,
      });
    }
    return { identity: this.identity, startedAt: this.startedAt, keys };
  }

  /**
   * Takes over the lifecycle of keys from a snapshot of a rule with the same identity. Windows start
   * empty (they would be re-counted from re-read lines anyway); a new_value rule keeps its warm-up.
   */
  restore(snapshot: RuleSnapshot, now: number): void {
    if (snapshot.identity !== this.identity) return;
    if (this.type === 'new_value') this.startedAt = Math.min(this.startedAt, snapshot.startedAt);
    for (const saved of snapshot.keys) {
      let state = this.keys.peek(saved.key);
      if (state === undefined) {
        state = this.newState(saved.key, now);
        const evicted = this.keys.insert(state);
        if (evicted !== undefined) this.firing.delete(evicted);
      }
      state.firing = saved.firing;
      state.notified = saved.notified;
      state.firedAt = saved.firedAt;
      state.lastFiredAt = saved.lastFiredAt ?? Number.NEGATIVE_INFINITY;
      state.lastHeldAt = saved.lastHeldAt;
      state.message = saved.message;
      if (saved.firing) this.firing.add(state);
      if (state.lastFiredAt > (this.lastFiredAt ?? Number.NEGATIVE_INFINITY)) this.lastFiredAt = state.lastFiredAt;
    }
  }
}

function pushSample(state: KeyState, entry: LogEntry): void {
  if (state.samples.length < SAMPLES) state.samples.push(entry);
  else {
    state.samples[state.nextSample] = entry;
    state.nextSample = (state.nextSample + 1) % SAMPLES;
  }
}

function newestSample(state: KeyState): LogEntry | undefined {
  const { samples } = state;
  if (samples.length === 0) return undefined;
  return samples.length < SAMPLES ? samples[samples.length - 1] : samples[(state.nextSample + SAMPLES - 1) % SAMPLES];
}

/** JSON with sorted keys, so that equal configs give equal strings whatever their key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}
