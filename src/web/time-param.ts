// Times in query strings: ISO 8601 ("2026-12-01T10:00:00Z"), epoch milliseconds ("1796119200000"), or
// relative to now ("-2h", "-15m", "now"). Steps and spans: "5m", "1h", or milliseconds.
import { parseDuration } from '../store/history/config.ts';

export function parseTimeParam(text: string, now: number): number | undefined {
  const value = text.trim();
  if (value === 'now') return now;
  if (/^-\s*\d+(?:\.\d+)?\s*[smhdw]$/i.test(value)) {
    const ms = parseDuration(value.slice(1));
    return ms === undefined ? undefined : now - ms;
  }
  if (/^\d{1,15}$/.test(value)) return Number(value);
  // Date.parse reads more than ISO (RFC 2822, locale forms); only ISO dates are promised.
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export function parseStepParam(text: string): number | undefined {
  const value = text.trim();
  if (/^\d{1,15}$/.test(value)) return Number(value);
  return parseDuration(value);
}

export const TIME_HINT = 'use an ISO time (2026-12-01T10:00:00Z), epoch milliseconds, or a time relative to now such as -2h, -15m or now';
