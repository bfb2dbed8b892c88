// What the web layer may read from a running LogWatch: one narrow view per concern, built once by the
// wiring (src/app.ts webContext). Routes never see the pipeline, so none can start, stop or feed it
// behind the stages' backs, and a route's needs show in which views it takes.
import type { AlertEngine } from '../alerts/index.ts';
import type { Analyzer } from '../analyze/analyzer.ts';
import type { Config } from '../config/schema.ts';
import type { HubListener } from '../hub.ts';
import type { Logger } from '../logger.ts';
import type { Notifiers } from '../notify/index.ts';
import type { IngestSpool, SourceStatus } from '../sources/index.ts';
import type { HistoryReader } from '../store/history/index.ts';
import type { LogStore } from '../store/log-store.ts';
import type { StoreStats } from '../store/stats.ts';
import type { ShipperStatus } from '../forward/types.ts';
import type { ReceiverInbox } from '../sources/receivers/intake.ts';
import type { Clock } from '../types.ts';

/** The ring buffer, read-only. */
export type EntryReader = Pick<LogStore, 'size' | 'capacity' | 'lastId' | 'query' | 'after' | 'all'>;
/** Totals and rollups over every entry stored. */
export type StatsReader = Pick<StoreStats, 'snapshot' | 'totalLogs' | 'linesLastMinute' | 'perMinute' | 'sourceList'>;
/** Patterns, their statistics and the anomalies firing now. */
export type PatternReader = Pick<Analyzer, 'enabled' | 'top' | 'patterns' | 'resolve' | 'anomalies' | 'templateOf'>;
/** Alerts and rules as the engine reports them. */
export type AlertView = Pick<AlertEngine, 'rules' | 'recent' | 'totalAlerts' | 'activeRules' | 'metrics'>;
/** The one thing the web may change in the alert engine. */
export type SilenceStore = Pick<AlertEngine, 'silences' | 'addSilence' | 'removeSilence'>;
export type NotifierStatus = Pick<Notifiers, 'status'>;
/** Where lines posted to /api/ingest go (durable before the 202). */
export type IngestSink = Pick<IngestSpool, 'accept'>;

export interface SourceList {
  /** Watched files, then ingest sources. */
  status(): SourceStatus[];
  /**
   * Every source the parsers have seen, with the format settled on, the raw lines read, the lines
   * joined to an entry above them and the entries split by a writer that stalled mid-trace.
   */
  formats(): Array<{ source: string; format: string | null; lines: number; joined: number; split: number; cut: number }>;
}

/** Live events (entries stored, alerts fired or resolved). */
export interface LiveFeed {
  subscribe(listener: HubListener): () => void;
}

export interface AppContext {
  /** What was dropped under load so far (built by createApp, which owns the stream and ingest limits). */
  shed?: () => import('./shed.ts').ShedCounts;
  config: Config;
  logger: Logger;
  clock: Clock;
  startedAt: number;
  entries: EntryReader;
  stats: StatsReader;
  patterns: PatternReader;
  alerts: AlertView;
  silences: SilenceStore;
  notifiers: NotifierStatus;
  sources: SourceList;
  ingest: IngestSink;
  /** Where the Loki and OTLP routes hand their records (durable before they answer), and their counters. */
  receivers: ReceiverInbox;
  /** Forwarding sinks (the Loki sink), for /metrics. */
  forwarders: { status(): ShipperStatus[] };
  live: LiveFeed;
  /** Search, histogram and replay over history on disk (or over the ring when history is disabled). */
  history: HistoryReader;
  /** Entries loaded from history into the buffer at start (ids 1..n of this process; see warm-start.ts). */
  warmedFromHistory?: number;
}
