// Wires the stages: the only module that knows all of them (DESIGN.md §1).
//   sources ─LineBatch─▶ parse ─LogEntry─▶ store ─▶ analyze ─▶ alerts ─▶ notify
//                                            └────────▶ hub ◀────────┘
import { createAlertEngine, type AlertEngine } from './alerts/index.ts';
import { PatternMiner } from './analyze/patterns.ts';
import type { Config } from './config/schema.ts';
import type { Logger } from './logger.ts';
import { createNotifiers, type Notifiers } from './notify/index.ts';
import { createParserFactory, type ParserFactory, type SourceParser } from './parse/index.ts';
import { LogStore } from './store/log-store.ts';
import type { HistorySink } from './store/history/index.ts';
import { StoreStats } from './store/stats.ts';
import type { Alert, Clock, LineBatch, LineSink, LogEntry } from './types.ts';
import { Hub } from './hub.ts';

/** Per-source parsing state and the durability callbacks waiting on its held entry. */
interface SourceState {
  parser: SourceParser;
  /** Commit hooks of the batches whose lines the held entry spans, called with 0 once it is emitted. */
  heldCommits: Array<(held: number) => void>;
  /** Whether the held entry comes from history (then it fires no alert when emitted). */
  heldBackfill: boolean;
  flushTimer: ReturnType<typeof setTimeout> | undefined;
  lines: number;
}

export interface PipelineOptions {
  config: Config;
  logger: Logger;
  clock: Clock;
  /** Entries on disk (history); none when it is disabled. */
  history?: HistorySink;
}

export class Pipeline implements LineSink {
  readonly store: LogStore;
  readonly stats = new StoreStats();
  readonly patterns = new PatternMiner();
  readonly hub = new Hub();
  readonly alerts: AlertEngine;
  readonly notifiers: Notifiers;
  private readonly parsers: ParserFactory;
  private readonly sources = new Map<string, SourceState>();
  private readonly multilineTimeoutMs: number;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly history: HistorySink | undefined;
  private tickTimer: ReturnType<typeof setInterval> | undefined;
  private closed = false;

  constructor(options: PipelineOptions) {
    const { config, clock, logger } = options;
    this.clock = clock;
    this.logger = logger;
    this.history = options.history;
    this.multilineTimeoutMs = config.parse.multilineTimeoutMs;
    this.store = new LogStore(config.buffer.capacity);
    this.parsers = createParserFactory({ formats: config.formats, parse: config.parse, clock });
    this.alerts = createAlertEngine({ rules: config.rules, clock, stateDir: config.stateDir, logger });
    this.notifiers = createNotifiers(config.notifiers, logger, { clock });
  }

  /** Starts time-driven work (alert resolution and absence checks). */
  start(): void {
    this.tickTimer = setInterval(() => this.publishAlerts(this.alerts.tick()), 1000);
    this.tickTimer.unref?.();
  }

  write(batch: LineBatch): void {
    if (this.closed) return;
    const state = this.sourceState(batch.source);
    state.lines += batch.lines.length;
    const entries: LogEntry[] = [];
    // A backfill entry the parser held (a possible multi-line start) comes out first when the next,
    // live batch arrives: it stays backfill (no alert, not written to history again).
    const heldBackfill = state.heldBackfill && state.parser.heldLines > 0 && batch.backfill !== true;
    state.parser.push(batch, entries);
    const held = state.parser.heldLines;

    // When the held entry no longer reaches back before this batch, the earlier batches it spanned
    // are fully emitted: they commit everything, then this batch everything before what is held.
    if (held <= batch.lines.length) this.releaseHeld(state);
    batch.onCommit?.(Math.min(held, batch.lines.length));
    if (held > 0) {
      state.heldBackfill = batch.backfill === true;
      if (batch.onCommit !== undefined) state.heldCommits.push(batch.onCommit);
      this.scheduleFlush(batch.source, state);
    } else if (state.flushTimer !== undefined) {
      clearTimeout(state.flushTimer);
      state.flushTimer = undefined;
    }

    if (entries.length === 0) return;
    if (heldBackfill) {
      this.emit(entries.slice(0, 1), { backfill: true });
      if (entries.length > 1) this.emit(entries.slice(1), { backfill: false });
    } else this.emit(entries, { backfill: batch.backfill === true });
  }

  flush(source: string): void {
    const state = this.sources.get(source);
    if (state === undefined) return;
    if (state.flushTimer !== undefined) {
      clearTimeout(state.flushTimer);
      state.flushTimer = undefined;
    }
    const entries: LogEntry[] = [];
    state.parser.flush(entries);
    if (entries.length > 0) this.emit(entries, { backfill: state.heldBackfill });
    this.releaseHeld(state);
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
    if (this.tickTimer !== undefined) clearInterval(this.tickTimer);
    this.closed = true;
  }

  /** After close(): persists alert state and waits (bounded) for queued notifications. */
  async shutdown(): Promise<void> {
    this.alerts.close();
    await this.notifiers.close(5000);
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

  /** Source names with the format the parser settled on. */
  sourceFormats(): Array<{ source: string; format: string | null; lines: number }> {
    return [...this.sources].map(([source, state]) => ({ source, format: state.parser.format, lines: state.lines }));
  }

  /**
   * The fan-out of parsed entries: store (which assigns ids), stats, patterns, live listeners, then
   * alerts. The one place that order lives; tests that need exact entries call it rather than copy it.
   * Backfill (lines loaded at start) is stored and counted but fires no alert (a restart must not
   * re-page anyone) and is not written to history again.
   * Returns the alerts fired or resolved.
   */
  emit(entries: LogEntry[], options: { backfill: boolean }): readonly Alert[] {
    this.store.append(entries);
    this.stats.record(entries);
    this.patterns.record(entries);
    this.hub.publish({ type: 'logs', entries });
    if (options.backfill) return [];
    // Backfill is left out: those lines were stored when first read (or, at the very first start,
    // predate LogWatch). The store only queues; the writing happens off this path.
    this.history?.append(entries);
    const alerts = this.alerts.evaluate(entries);
    this.publishAlerts(alerts);
    return alerts;
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
      state = { parser: this.parsers.create({ source }), heldCommits: [], heldBackfill: false, flushTimer: undefined, lines: 0 };
      this.sources.set(source, state);
    }
    return state;
  }

  private scheduleFlush(source: string, state: SourceState): void {
    if (state.flushTimer !== undefined) clearTimeout(state.flushTimer);
    state.flushTimer = setTimeout(() => {
      state.flushTimer = undefined;
      try {
        this.flush(source);
      } catch (err) {
        this.logger.error(`flushing ${source} failed: ${(err as Error).message}`);
      }
    }, this.multilineTimeoutMs);
    state.flushTimer.unref?.();
  }
}
