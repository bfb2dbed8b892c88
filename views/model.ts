// What the views are given: plain data, computed by src/web/ui/ from a running LogWatch.
import type { RuleStatus, SilenceJson } from '../src/alerts/index.ts';
import type { PatternCount, PatternSummary } from '../src/analyze/analyzer.ts';
import type { AnomalyEvent } from '../src/analyze/types.ts';
import type { EntryFilter } from '../src/store/query.ts';
import type { MinuteBucket } from '../src/store/stats.ts';
import type { Alert, Level, LogEntry } from '../src/types.ts';

/** Most rows the page keeps in the live list (older rows fall off), and the most the server sends at once. */
export const ROW_CAP = 500;

export type TailOrder = 'newest' | 'oldest';

/** Time ranges of the historic view (read from history on disk), by the value the URL carries. */
export const TAIL_RANGES: ReadonlyArray<{ value: string; label: string; ms: number }> = [
  { value: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { value: '1h', label: 'Last hour', ms: 3_600_000 },
  { value: '6h', label: 'Last 6 hours', ms: 6 * 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
];

/** The dashboard's query string: filters plus display order, and a time range for the historic view. */
export interface TailQuery {
  filter: EntryFilter;
  order: TailOrder;
  /** Consecutive rows of one pattern shown as one row with a count (`?collapse=1`). */
  collapse?: boolean;
  /** A TAIL_RANGES value: the list shows history over that range instead of the live tail. */
  range?: string;
  /** The page of the historic view (a history cursor; absent: the newest page). */
  cursor?: string;
  /** With range "custom": an absolute range, epoch ms (a histogram bar clicked to zoom in). */
  from?: number;
  to?: number;
}

/** One bar of the historic view's histogram. */
export interface HistoryBar {
  time: number;
  counts: Record<Level, number>;
  total: number;
  /** The dashboard URL of this bar's range (zoom in). */
  href: string;
}

export interface CardsModel {
  now: number;
  totalLogs: number;
  inBuffer: number;
  capacity: number;
  linesLastMinute: number;
  levelCounts: Record<Level, number>;
  firing: number;
  totalAlerts: number;
  activeRules: number;
  sources: number;
  startedAt: number;
  /** What was shed under load: the total and a one-line breakdown (absent when nobody counts). */
  shed?: { total: number; detail: string };
}

export interface SourceBar {
  source: string;
  count: number;
  levelCounts: Record<Level, number>;
}

export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx';
export const STATUS_CLASSES: readonly StatusClass[] = ['2xx', '3xx', '4xx', '5xx', '1xx'];

export interface StatusMinute {
  minute: number;
  counts: Record<StatusClass, number>;
}

export interface ChartsModel {
  now: number;
  perMinute: MinuteBucket[];
  topSources: SourceBar[];
  topErrors: PatternCount[];
  statusPerMinute: StatusMinute[];
}

export interface SourceRow {
  name: string;
  kind: 'file' | 'ingest' | 'other';
  path: string | null;
  /** Entries stored from it (what every other count on the dashboard counts). */
  entries: number;
  /** Lines per second over the last few seconds. */
  rate: number;
  /** Bytes written but not read yet (null when the source has no notion of it). */
  lag: number | null;
  lastSeenAt: number | null;
  lastError: string | null;
  lastErrorAt: string | null;
  format: string | null;
}

export interface AlertsModel {
  now: number;
  /** Newest first. */
  recent: Alert[];
  rules: RuleStatus[];
  silences: SilenceJson[];
}

export interface TailModel {
  query: TailQuery;
  /** Entries to show, oldest first (the view orders them). */
  entries: LogEntry[];
  /** Where the live stream starts (the newest id rendered or considered). */
  afterId: number;
  /** Set when the filter could not be applied (an invalid regex). */
  error: string | null;
  /** Entries matching in the buffer beyond what is shown. */
  more: boolean;
  /** The UI stream for this filter, starting after `afterId` ('' in the historic view: no live rows). */
  streamUrl: string;
  /** Historic view: the range shown, and the URL of the next older page (null at the oldest). */
  historic?: {
    label: string;
    from: number;
    to: number;
    olderUrl: string | null;
    newestUrl: string | null;
    /** Counts over the range, and the width of a bar (ms); each bar links to its own range. */
    bars: HistoryBar[];
    step: number;
  };
  /** The pattern filtered to (null: no pattern filter): its template, and the view without it. */
  pattern: { template: string | null; clearUrl: string } | null;
}

export interface PatternsModel {
  now: number;
  enabled: boolean;
  /** Most frequent in the last hour first. */
  patterns: PatternSummary[];
  /** Firing now, newest first. */
  anomalies: AnomalyEvent[];
}

export interface DashboardModel {
  tail: TailModel;
  cards: CardsModel;
  charts: ChartsModel;
  patterns: PatternsModel;
  alerts: AlertsModel;
  sources: SourceRow[];
  /** Every source name seen, for the source filter. */
  sourceNames: string[];
  ruleNames: string[];
}
