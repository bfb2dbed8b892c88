// The public JSON forms of the analyzer's output: a pattern (GET /api/patterns) and an anomaly (the
// `anomaly` SSE event, GET /api/anomalies). Times are ISO-8601 UTC like every other LogWatch time.
import { isoTime, type Level } from '../types.ts';
import type { PatternSummary } from './analyzer.ts';
import type { AnomalyEvent, AnomalyKind } from './types.ts';

export interface PatternJson {
  id: string;
  source: string;
  template: string;
  level: Level;
  /** Lines in the range asked for, and in the range of the same length just before it. */
  count: number;
  previous_count: number;
  trend: PatternSummary['trend'];
  /** Lines since the pattern was first seen. */
  total: number;
  first_seen: string;
  last_seen: string;
  /** Lines per minute, oldest first, the last minute being the one that ends the range. */
  sparkline: number[];
  sample: { timestamp: string; level: Level; message: string; raw: string } | null;
  new: boolean;
}

export function toPatternJson(p: PatternSummary): PatternJson {
  return {
    id: p.id,
    source: p.source,
    template: p.template,
    level: p.level,
    count: p.count,
    previous_count: p.previousCount,
    trend: p.trend,
    total: p.total,
    first_seen: isoTime(p.firstSeen),
    last_seen: isoTime(p.lastSeen),
    sparkline: p.sparkline,
    sample: p.sample === null ? null : { timestamp: isoTime(p.sample.time), level: p.sample.level, message: p.sample.message, raw: p.sample.raw },
    new: p.isNew,
  };
}

export interface AnomalyJson {
  kind: AnomalyKind;
  state: 'firing' | 'resolved';
  source: string;
  pattern: string | null;
  template: string | null;
  level: Level | null;
  timestamp: string;
  value: number;
  baseline: number;
  message: string;
}

export function toAnomalyJson(a: AnomalyEvent): AnomalyJson {
  return {
    kind: a.kind,
    state: a.state,
    source: a.source,
    pattern: a.pattern ?? null,
    template: a.template ?? null,
    level: a.level ?? null,
    timestamp: isoTime(a.time),
    value: Math.round(a.value * 100) / 100,
    baseline: Math.round(a.baseline * 100) / 100,
    message: a.message,
  };
}
