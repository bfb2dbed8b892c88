// Levels shippers state outside the line: Loki `level` labels, OTLP severity numbers and texts.
// A receiver's own small table (the sources stage does not reach into the parser's); it agrees with
// parse/level.ts on every word it knows.
import type { Level } from '../../types.ts';

const WORDS: Readonly<Record<string, Level>> = {
  trace: 'DEBUG', debug: 'DEBUG', dbg: 'DEBUG', verbose: 'DEBUG',
  info: 'INFO', information: 'INFO', informational: 'INFO', notice: 'INFO',
  warn: 'WARNING', warning: 'WARNING',
  err: 'ERROR', error: 'ERROR', severe: 'ERROR',
  crit: 'CRITICAL', critical: 'CRITICAL', fatal: 'CRITICAL', alert: 'CRITICAL', emerg: 'CRITICAL', emergency: 'CRITICAL', panic: 'CRITICAL',
};

/** A severity word in any case (`WARN`, `Error`, `fatal`), or undefined. OTLP's `INFO2`-style suffixes are ignored. */
export function levelOfWord(word: string): Level | undefined {
  const lower = word.trim().toLowerCase();
  return WORDS[lower] ?? WORDS[lower.replace(/\d+$/, '')];
}

/**
 * OTLP `severityNumber` (1–24): 1–4 TRACE and 5–8 DEBUG → DEBUG, 9–12 INFO, 13–16 WARN → WARNING,
 * 17–20 ERROR, 21–24 FATAL → CRITICAL; 0 (unspecified) or out of range: undefined.
 */
export function levelOfSeverityNumber(n: number): Level | undefined {
  if (!Number.isInteger(n) || n < 1 || n > 24) return undefined;
  if (n <= 8) return 'DEBUG';
  if (n <= 12) return 'INFO';
  if (n <= 16) return 'WARNING';
  if (n <= 20) return 'ERROR';
  return 'CRITICAL';
}

/** Nanoseconds since the epoch (a decimal string or number, as OTLP and Loki send them) to ms; NaN if not one. */
export function nanosToMs(value: string | number | undefined | null): number {
  if (value === undefined || value === null) return NaN;
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.floor(value / 1e6) : NaN;
  if (!/^\d{1,20}$/.test(value)) return NaN;
  return value.length <= 6 ? 0 : Number(value.slice(0, -6));
}
