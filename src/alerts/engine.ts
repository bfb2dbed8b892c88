// The alert engine: runs every rule over each batch, stamps and records the alerts they emit, applies
// silences, and keeps the state that must survive a restart on disk.
import type { AnomalyEvent } from '../analyze/types.ts';
import type { Logger } from '../logger.ts';
import type { Alert, Clock, LogEntry } from '../types.ts';
import type { RuleConfig } from './config.ts';
import type { AlertEngine, AlertMetrics, ReloadSummary, RuleStatus } from './types.ts';
import { MatchContext } from './matcher.ts';
import { CompiledRule, stableJson, type AlertSink, type KeyState, type RuleSnapshot } from './rule.ts';
import { SilenceStore, toSilenceJson, type SilenceInput, type SilenceJson } from './silences.ts';
import { compactEntry, readAlertState, stateFilePath, writeAlertState, type AlertState } from './state-file.ts';

export interface EngineSettings {
  rules: RuleConfig[];
  clock: Clock;
  stateDir: string | undefined;
  logger: Logger;
  persistDelayMs: number;
  recentLimit: number;
}

/** Recent alerts written to the state file (the in-memory list may be longer). */
const SAVED_RECENT = 200;
/** Firing keys listed per rule in `rules()`. */
const LISTED_FIRING = 100;

export class AlertEngineImpl implements AlertEngine, AlertSink {
  private compiled: CompiledRule[] = [];
  private byName = new Map<string, CompiledRule>();
  private readonly silenceStore = new SilenceStore();
  private recentAlerts: Alert[] = [];
  private readonly recentLimit: number;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly statePath: string | undefined;
  private readonly persistDelayMs: number;
  private lastId = 0;
  private firedTotal = 0;
  private resolvedTotal = 0;
  private silencedTotal = 0;
  private stateWriteErrors = 0;
  private lastWriteError = '';
  /** The engine's time never goes backwards, even if the clock does. */
  private latest = Number.NEGATIVE_INFINITY;
  /** Where the sink methods put alerts during one evaluate/tick call. */
  private out: Alert[] = [];
  /** An alert was emitted: the state must be on disk before this call returns. */
  private mustSave = false;
  /** Something persisted changed without an alert: a debounced save is enough. */
  private dirty = false;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private readonly context = new MatchContext();

  constructor(settings: EngineSettings) {
    this.clock = settings.clock;
    this.logger = settings.logger;
    this.recentLimit = Math.max(1, settings.recentLimit);
    this.persistDelayMs = settings.persistDelayMs;
    this.statePath = settings.stateDir === undefined ? undefined : stateFilePath(settings.stateDir);
    const now = this.now();
    for (const config of settings.rules) this.addRule(new CompiledRule(config, now));
    if (this.statePath !== undefined) {
      const saved = readAlertState(this.statePath, this.logger);
      if (saved !== undefined) this.restore(saved, now);
    }
  }

  get totalAlerts(): number {
    return this.firedTotal;
  }

  get activeRules(): number {
    return this.compiled.length;
  }

  evaluate(entries: readonly LogEntry[]): Alert[] {
    const rules = this.compiled;
    if (entries.length === 0 || rules.length === 0) return [];
    const now = this.now();
    const out: Alert[] = [];
    this.out = out;
    const context = this.context;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      const lag = now - entry.time;
      context.reset(entry);
      for (let r = 0; r < rules.length; r++) rules[r].observe(entry, lag, now, this, context);
    }
    context.reset(undefined as unknown as LogEntry);
    this.settle();
    return out;
  }

  anomalies(anomalies: readonly AnomalyEvent[]): Alert[] {
    const rules = this.compiled;
    if (anomalies.length === 0 || rules.length === 0) return [];
    const now = this.now();
    const out: Alert[] = [];
    this.out = out;
    for (const anomaly of anomalies) for (const rule of rules) rule.observeAnomaly(anomaly, now, this);
    this.settle();
    return out;
  }

  tick(): Alert[] {
    const now = this.now();
    const out: Alert[] = [];
    this.out = out;
    for (const rule of this.compiled) rule.tick(now, this);
    if (this.silenceStore.purge(now)) this.dirty = true;
    this.settle();
    return out;
  }

  recent(limit: number): Alert[] {
    const n = Number.isFinite(limit) ? Math.max(0, Math.min(Math.floor(limit), this.recentLimit)) : 0;
    return n === 0 ? [] : this.recentAlerts.slice(-n);
  }

  rules(): RuleStatus[] {
    return this.compiled.map((rule) => {
      const firing: string[] = [];
      for (const state of rule.firingKeys()) {
        if (firing.length >= LISTED_FIRING) break;
        firing.push(state.key);
      }
      return {
        name: rule.name,
        type: rule.type,
        config: rule.config,
        firing,
        firingCount: rule.firingCount,
        matches: rule.matches,
        lastFiredAt: rule.lastFiredAt,
        keys: rule.keys.size,
        evictedKeys: rule.keys.evicted,
      };
    });
  }

  notifyTargets(rule: string): readonly string[] | undefined {
    return this.byName.get(rule)?.notify;
  }

  reload(configs: RuleConfig[]): ReloadSummary {
    const now = this.now();
    const summary: ReloadSummary = { kept: [], changed: [], added: [], removed: [] };
    const previous = this.byName;
    this.compiled = [];
    this.byName = new Map();
    for (const config of configs) {
      const old = previous.get(config.name);
      if (old !== undefined && old.fingerprint === stableJson(config)) {
        this.addRule(old);
        summary.kept.push(config.name);
        continue;
      }
      const rule = new CompiledRule(config, now);
      if (old !== undefined) {
        rule.restore(old.snapshot(now), now);
        summary.changed.push(config.name);
      } else summary.added.push(config.name);
      this.addRule(rule);
    }
    for (const name of previous.keys()) if (!this.byName.has(name)) summary.removed.push(name);
    this.dirty = true;
    this.scheduleSave();
    return summary;
  }

  silences(): SilenceJson[] {
    const now = this.now();
    return this.silenceStore.list().map((silence) => toSilenceJson(silence, now));
  }

  addSilence(input: SilenceInput): SilenceJson {
    const now = this.now();
    const silence = this.silenceStore.add(input, now);
    this.save();
    return toSilenceJson(silence, now);
  }

  removeSilence(id: string): boolean {
    const removed = this.silenceStore.remove(id);
    if (removed) this.save();
    return removed;
  }

  metrics(): AlertMetrics {
    let firing = 0;
    let trackedKeys = 0;
    let evicted = 0;
    for (const rule of this.compiled) {
      firing += rule.firingCount;
      trackedKeys += rule.keys.size;
      evicted += rule.keys.evicted;
    }
    return {
      rules: this.compiled.length,
      firedTotal: this.firedTotal,
      resolvedTotal: this.resolvedTotal,
      silencedTotal: this.silencedTotal,
      firing,
      trackedKeys,
      evictedKeysTotal: evicted,
      silences: this.silenceStore.size,
      stateWriteErrors: this.stateWriteErrors,
    };
  }

  close(): void {
    if (this.closed) return;
    this.save();
    this.closed = true;
  }

  // AlertSink: called by rules during evaluate/tick.

  fire(rule: CompiledRule, state: KeyState, count: number, message: string, now: number): boolean {
    const silenced = this.silenceStore.matches(rule.name, state.key, now);
    this.firedTotal++;
    this.record(rule, state, 'firing', count, message, now, silenced);
    return silenced;
  }

  resolve(rule: CompiledRule, state: KeyState, count: number, message: string, now: number): void {
    // A resolve is only news to whoever heard the firing alert.
    const silenced = !state.notified || this.silenceStore.matches(rule.name, state.key, now);
    this.resolvedTotal++;
    this.record(rule, state, 'resolved', count, message, now, silenced);
  }

  changed(): void {
    this.dirty = true;
  }

  private record(rule: CompiledRule, state: KeyState, kind: Alert['state'], count: number, message: string, now: number, silenced: boolean): void {
    const alert: Alert = {
      id: ++this.lastId,
      rule: rule.name,
      key: state.key,
      message,
      time: now,
      count,
      logs: rule.samplesOf(state),
      state: kind,
    };
    if (silenced) {
      alert.silenced = true;
      this.silencedTotal++;
    }
    this.out.push(alert);
    this.recentAlerts.push(alert);
    if (this.recentAlerts.length >= 2 * this.recentLimit) this.recentAlerts = this.recentAlerts.slice(-this.recentLimit);
    this.mustSave = true;
  }

  private addRule(rule: CompiledRule): void {
    this.compiled.push(rule);
    this.byName.set(rule.name, rule);
  }

  private now(): number {
    const t = this.clock();
    if (t > this.latest) this.latest = t;
    return this.latest;
  }

  /** After a call: alerts go to disk before the caller can notify anyone; other changes are debounced. */
  private settle(): void {
    this.out = [];
    if (this.mustSave) this.save();
    else if (this.dirty) this.scheduleSave();
  }

  private scheduleSave(): void {
    if (this.statePath === undefined || this.closed || this.saveTimer !== undefined) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.save();
    }, this.persistDelayMs);
    (this.saveTimer as { unref?: () => void }).unref?.();
  }

  private save(): void {
    this.mustSave = false;
    this.dirty = false;
    if (this.saveTimer !== undefined) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
    }
    if (this.statePath === undefined || this.closed) return;
    try {
      writeAlertState(this.statePath, this.snapshot());
      this.lastWriteError = '';
    } catch (err) {
      this.stateWriteErrors++;
      const message = (err as Error).message;
      // Logged once per distinct problem: a full disk must not flood the log every second.
      if (message !== this.lastWriteError) {
        this.logger.error(`cannot save alert state to ${this.statePath}: ${message} (cooldowns will not survive a restart until this is fixed)`);
        this.lastWriteError = message;
      }
    }
  }

  private snapshot(): AlertState {
    const now = this.latest;
    const rules: Record<string, RuleSnapshot> = {};
    for (const rule of this.compiled) {
      const snapshot = rule.snapshot(now);
      if (snapshot.keys.length > 0 || rule.type === 'new_value') rules[rule.name] = snapshot;
    }
    return {
      version: 1,
      savedAt: now,
      lastId: this.lastId,
      totalAlerts: this.firedTotal,
      rules,
      silences: this.silenceStore.list(),
      recent: this.recentAlerts.slice(-SAVED_RECENT).map((alert) => ({ ...alert, logs: alert.logs.map(compactEntry) })),
    };
  }

  private restore(saved: AlertState, now: number): void {
    this.lastId = saved.lastId;
    this.firedTotal = saved.totalAlerts;
    for (const silence of saved.silences) this.silenceStore.put(silence);
    this.recentAlerts = saved.recent.slice(-this.recentLimit);
    for (const [name, snapshot] of Object.entries(saved.rules)) this.byName.get(name)?.restore(snapshot, now);
  }
}
