// Wires the stages: the only module that knows all of them (DESIGN.md §1).
//   sources ─LineBatch─▶ parse ─LogEntry─▶ store ─▶ analyze ─▶ alerts ─▶ notify
//                                            └────────▶ hub ◀────────┘
import { createAlertEngine, type AlertEngine } from './alerts/index.ts';
import { Analyzer } from './analyze/analyzer.ts';
import { analyzerOptions } from './analyze/config.ts';
import type { AnomalyEvent } from './analyze/types.ts';
import type { Config } from './config/schema.ts';
import { HeldRelease, type MoreData, type ReleaseTimers } from './held-release.ts';
import type { Logger } from './logger.ts';
import { createNotifiers, type Notifiers } from './notify/index.ts';
import { createParserFactory, type ParserFactory, type SourceParser } from './parse/index.ts';
import type { HistorySink } from './store/history/index.ts';
import { LogStore } from './store/log-store.ts';
import { StoreStats } from './store/stats.ts';
import { systemTimers } from './timers.ts';
import type { Alert, Clock, LineBatch, LineSink, LogEntry } from './types.ts';
import { Hub } from './hub.ts';

/** How often patterns.json is written while running (and once at shutdown). */
const PATTERN_SAVE_MS = 60_000;

/** Per-source parsing state and the durability callbacks waiting on its held entry. */
interface SourceState {
  parser: SourceParser;
  /** Commit hooks of the batches whose lines the held entry spans, called with 0 once it is emitted. */
  heldCommits: Array<(held: number) => void>;
  /** Whether the held entry comes from history (then it fires no alert when emitted). */
  heldBackfill: boolean;
  lines: number;
}

export interface PipelineOptions {
  config: Config;
  logger: Logger;
  clock: Clock;
  /** Timers that release held entries (default: the real ones); tests pass fake ones. */
  timers?: ReleaseTimers;
  /** Entries on disk (history); none when it is disabled. */
  history?: HistorySink;
}

export class Pipeline implements LineSink {
  readonly store: LogStore;
  readonly stats = new StoreStats();
  readonly analyzer: Analyzer;
  readonly hub = new Hub();
  readonly alerts: AlertEngine;
  readonly notifiers: Notifiers;
  private readonly parsers: ParserFactory;
  private readonly sources = new Map<string, SourceState>();
  private readonly held: HeldRelease;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly history: HistorySink | undefined;
  private tickTimer: ReturnType<typeof setInterval> | undefined;
  private lastPatternSave = 0;
  private closed = false;

  constructor(options: PipelineOptions) {
    const { config, clock, logger } = options;
    this.clock = clock;
    this.logger = logger;
    this.history = options.history;
    const { multilineGraceMs, multilineTimeoutMs } = config.parse;
    this.held = new HeldRelease(options.timers ?? systemTimers, multilineGraceMs, multilineTimeoutMs, (source) => this.timedFlush(source));
    this.store = new LogStore(config.buffer.capacity);
    this.parsers = createParserFactory({ formats: config.formats, parse: config.parse, clock });
    this.alerts = createAlertEngine({ rules: config.rules, clock, stateDir: config.stateDir, logger });
    this.notifiers = createNotifiers(config.notifiers, logger, { clock });
    this.analyzer = new Analyzer({
      clock,
      stateDir: config.stateDir,
      enabled: config.analyze.enabled,
      warn: (message) => logger.warn(message),
      ...analyzerOptions(config.analyze),
    });
    this.lastPatternSave = clock();
  }

  /** Starts time-driven work (alert resolution and absence checks, anomalies, saving patterns). */
  start(): void {
    this.tickTimer = setInterval(() => this.tick(), 1000);
    this.tickTimer.unref?.();
  }

  /** One second's time-driven work; public so tests drive it on their own clock. */
  tick(): void {
    const anomalies: AnomalyEvent[] = [];
    this.analyzer.tick(anomalies);
    const alerts = this.alerts.tick();
    if (anomalies.length > 0) alerts.push(...this.publishAnomalies(anomalies));
    this.publishAlerts(alerts);
    const now = this.clock();
    if (now - this.lastPatternSave >= PATTERN_SAVE_MS) {
      this.lastPatternSave = now;
      this.savePatterns();
    }
  }

  write(batch: LineBatch): void {
    if (this.closed) return;
    const state = this.sourceState(batch.source);
    state.lines += batch.lines.length;
    const entries: LogEntry[] = [];
    // A history entry still held (a multi-line entry at the end of the backfill) is the first entry a live
    // batch finishes: it stays history (no alert, not forwarded, not written to history on disk again), whichever batch ends it.
    const historyHeld = state.parser.heldLines > 0 && state.heldBackfill && batch.backfill !== true;
    state.parser.push(batch, entries);
    const held = state.parser.heldLines;

    // When the held entry no longer reaches back before this batch, the earlier batches it spanned
    // are fully emitted: they commit everything, then this batch everything before what is held.
    if (held <= batch.lines.length) this.releaseHeld(state);
    batch.onCommit?.(Math.min(held, batch.lines.length));
    if (held > 0) {
      state.heldBackfill = batch.backfill === true;
      if (batch.onCommit !== undefined) state.heldCommits.push(batch.onCommit);
      this.held.held(batch.source);
    } else {
      this.held.cleared(batch.source);
    }

    if (entries.length === 0) return;
    if (historyHeld) {
      this.emit(entries.splice(0, 1), { backfill: true });
      if (entries.length === 0) return;
    }
    this.emit(entries, { backfill: batch.backfill === true });
  }

  flush(source: string): void {
    const state = this.sources.get(source);
    if (state === undefined) return;
    this.held.cleared(source);
    const entries: LogEntry[] = [];
    state.parser.flush(entries);
    if (entries.length > 0) this.emit(entries, { backfill: state.heldBackfill });
    this.releaseHeld(state);
  }

  /** The reader of `source` has handed over everything written so far: a held entry goes out after the grace. */
  caughtUp(source: string, more?: MoreData): void {
    this.held.caughtUp(source, more);
  }

  private releaseHeld(state: SourceState): void {
    if (state.heldCommits.length === 0) return;
    const commits = state.heldCommits;
    state.heldCommits = [];
    for (const commit of commits) commit(0);
  }

  /** Emits every held entry (shutdown) and stops the timers. */
  close(): void {
    for (const source of this.sources.keys()) this.flush(source);
    this.held.close();
    if (this.tickTimer !== undefined) clearInterval(this.tickTimer);
    this.closed = true;
  }

  /** After close(): persists alert and pattern state and waits (bounded) for queued notifications. */
  async shutdown(): Promise<void> {
    this.alerts.close();
    await Promise.all([this.savePatterns(), this.notifiers.close(5000)]);
  }

  /** Writes patterns.json; a failure is logged (patterns are then re-learned after a restart), never thrown. */
  private savePatterns(): Promise<void> {
    return this.analyzer.save().catch((err: Error) => this.logger.error(`saving patterns failed: ${err.message}`));
  }

  /** Applies the rules and notifiers of a new, already validated config; the rest needs a restart. */
  reload(config: Config): string {
    const rules = this.alerts.reload(config.rules);
    const notifiers = this.notifiers.reload(config.notifiers);
    const list = (names: string[]) => (names.length === 0 ? '-' : names.join(', '));
    return (
      `rules: ${rules.kept.length} kept, changed ${list(rules.changed)}, added ${list(rules.added)}, removed ${list(rules.removed)}; ` +
      `notifiers: ${notifiers.kept.length} kept, changed ${list(notifiers.changed)}, added ${list(notifiers.added)}, removed ${list(notifiers.removed)}`
    );
  }

  /**
   * Source names with the format the parser settled on, lines received, lines joined to an entry above
   * and entries split because a continuation came after the hold.
   */
  sourceFormats(): Array<{ source: string; format: string | null; lines: number; joined: number; split: number; cut: number }> {
    return [...this.sources].map(([source, state]) => {
      const { format, joinedLines: joined, splitEntries: split, cutEntries: cut } = state.parser;
      return { source, format, lines: state.lines, joined, split, cut };
    });
  }

  /**
   * The fan-out of parsed entries: store (which assigns ids), stats, the analyzer (which gives each
   * entry its pattern), live listeners, then alerts and anomalies. The one place that order lives;
   * tests that need exact entries call it rather than copy it. Backfill (lines loaded at start) is
   * stored, counted and learned from, but fires no alert or anomaly (a restart must not re-page anyone)
   * and is not written to history on disk again.
   * Returns the alerts fired or resolved.
   */
  emit(entries: LogEntry[], options: { backfill: boolean }): readonly Alert[] {
    this.store.append(entries);
    this.stats.record(entries);
    const anomalies: AnomalyEvent[] = [];
    this.analyzer.analyze(entries, options.backfill, anomalies);
    this.hub.publish(options.backfill ? { type: 'logs', entries, backfill: true } : { type: 'logs', entries });
    if (options.backfill) return [];
    // After the analyzer, so entries carry their pattern. The store only queues; writing is off this path.
    this.history?.append(entries);
    const alerts = this.alerts.evaluate(entries);
    if (anomalies.length > 0) alerts.push(...this.publishAnomalies(anomalies));
    this.publishAlerts(alerts);
    return alerts;
  }

  /** Anomalies go to live listeners, then to the rules that watch them; returns those rules' alerts. */
  private publishAnomalies(anomalies: readonly AnomalyEvent[]): Alert[] {
    for (const anomaly of anomalies) this.hub.publish({ type: 'anomaly', anomaly });
    return this.alerts.anomalies(anomalies);
  }

  private publishAlerts(alerts: readonly Alert[]): void {
    for (const alert of alerts) {
      this.hub.publish({ type: 'alert', alert });
      if (!alert.silenced) this.notifiers.dispatch(alert, this.alerts.notifyTargets(alert.rule));
    }
  }

  private sourceState(source: string): SourceState {
    let state = this.sources.get(source);
    if (state === undefined) {
      state = { parser: this.parsers.create({ source }), heldCommits: [], heldBackfill: false, lines: 0 };
      this.sources.set(source, state);
    }
    return state;
  }

  private timedFlush(source: string): void {
    try {
      this.flush(source);
    } catch (err) {
      this.logger.error(`flushing ${source} failed: ${(err as Error).message}`);
    }
  }
}
