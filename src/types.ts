// The types every stage boundary speaks. A stage knows these and the public API of the stage
// before it, never another stage's internals (DESIGN.md §1).

export const LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL', 'UNKNOWN'] as const;
export type Level = (typeof LEVELS)[number];

/** Severity order used by every "minimum level" filter. UNKNOWN (no level in the line) ranks lowest. */
export const LEVEL_RANK: Readonly<Record<Level, number>> = {
  UNKNOWN: 0,
  DEBUG: 1,
  INFO: 2,
  WARNING: 3,
  ERROR: 4,
  CRITICAL: 5,
};

/**
 * True when `level` is at least as severe as `min`: the one definition every "minimum level" filter
 * uses (the store's query, a rule's `level`, the pattern miner). A rank compare, cheap on hot paths.
 */
export function atLeast(level: Level, min: Level): boolean {
  return LEVEL_RANK[level] >= LEVEL_RANK[min];
}

/**
 * What every source hands the pipeline: complete lines (terminator removed) of one source, read or
 * received together. A batch is the unit of work on the hot path: one read of a file, one request body.
 */
export interface LineBatch {
  /** File path as configured (relative stays relative) or the ingest source name. */
  source: string;
  lines: string[];
  /** Receive time, ms since the epoch. */
  receivedAt: number;
  /** Forces a parser for this batch: the source's configured format, or `json` for ingested objects. */
  format?: string;
  /** IANA zone for times written without one (the source's configured zone). */
  timezone?: string;
  /** History replayed at startup: stored and shown, but fires no alerts. */
  backfill?: boolean;
  /**
   * Durability hook. The pipeline calls it once the batch has been turned into entries; `held` of the
   * batch's last lines are still held by the parser as a possible multi-line entry (a later call with
   * `held = 0` follows once they are emitted). A durable source checkpoints everything before them.
   */
  onCommit?: (held: number) => void;
}

/** Where sources write. Implemented by the pipeline. */
export interface LineSink {
  /** Parses and stores a batch synchronously. */
  write(batch: LineBatch): void;
  /** Emits whatever the parser of `source` still holds (a source that went idle or is closing). */
  flush(source: string): void;
  /**
   * The reader of `source` has handed over every line written so far (it is at the end of the data,
   * with no unfinished line): a held entry may go out after a short grace instead of the full hold.
   * `more`, if given, tells at the end of the grace whether more was written meanwhile.
   */
  caughtUp?(source: string, more?: () => Promise<boolean>): void;
}

/** One structured log entry. Internal form: the JSON contract form is produced by `toEntryJson`. */
export interface LogEntry {
  /** Per-process increasing integer, assigned by the store (0 until stored). Also the SSE event id. */
  id: number;
  /** Time written in the line (or the receive time when it has none), ms since the epoch, UTC. */
  time: number;
  level: Level;
  message: string;
  source: string;
  /** Name of the format that parsed the line (`unknown` when none matched). */
  format: string;
  metadata: Record<string, unknown>;
  raw: string;
  /** When LogWatch received the line, ms since the epoch. */
  receivedAt: number;
  /** Id of the entry's pattern (its message's template), set by the analyzer; stable across restarts. */
  pattern?: string;
}

/** The public JSON form of an entry (DESIGN.md §3 "The entry"). */
export interface LogEntryJson {
  id: number;
  timestamp: string;
  level: Level;
  message: string;
  source: string;
  format: string;
  metadata: Record<string, unknown>;
  raw: string;
  /** Absent when the analyzer is off. */
  pattern?: string;
}

export function toEntryJson(entry: LogEntry): LogEntryJson {
  return {
    id: entry.id,
    timestamp: isoTime(entry.time),
    level: entry.level,
    message: entry.message,
    source: entry.source,
    format: entry.format,
    metadata: entry.metadata,
    raw: entry.raw,
    pattern: entry.pattern,
  };
}

/** ISO-8601 UTC; an out-of-range time (a corrupt line) never throws. */
export function isoTime(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? new Date(0).toISOString() : d.toISOString();
}

export type AlertState = 'firing' | 'resolved';

/** An alert as stored, streamed and notified. */
export interface Alert {
  id: number;
  rule: string;
  /** The groupBy key value ('' when the rule has no groupBy). */
  key: string;
  message: string;
  /** When the alert fired or resolved, ms since the epoch. */
  time: number;
  /** Matches in the window when it fired. */
  count: number;
  /** Up to 5 sample entries. */
  logs: LogEntry[];
  state: AlertState;
  /** Set when a silence matched: recorded, but not notified. */
  silenced?: boolean;
}

export interface AlertJson {
  id: number;
  rule: string;
  key: string;
  message: string;
  timestamp: string;
  count: number;
  logs: LogEntryJson[];
  state: AlertState;
  silenced: boolean;
}

export function toAlertJson(alert: Alert): AlertJson {
  return {
    id: alert.id,
    rule: alert.rule,
    key: alert.key,
    message: alert.message,
    timestamp: isoTime(alert.time),
    count: alert.count,
    logs: alert.logs.map(toEntryJson),
    state: alert.state,
    silenced: alert.silenced === true,
  };
}

/** A clock, injectable so that windows and timers are exact in tests. */
export type Clock = () => number;
export const systemClock: Clock = () => Date.now();
