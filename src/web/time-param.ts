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

const ROUND_STEPS = [1000, 5000, 10_000, 30_000, 60_000, 300_000, 600_000, 1_800_000, 3_600_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000];

/** The smallest round step (1 s … 1 day) that cuts `span` into at most `buckets` buckets. */
export function roundStep(span: number, buckets: number): number {
  return ROUND_STEPS.find((step) => span / step <= buckets) ?? Math.ceil(span / buckets / 86_400_000) * 86_400_000;
}
