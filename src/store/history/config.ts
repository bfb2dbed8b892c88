// `history` in the config: `{ "enabled": true, "maxAge": "7d", "maxBytes": "2GB" }`. Durations and
// sizes are written as people write them; plain numbers are seconds and bytes.
import { z } from 'zod';

const UNITS_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const UNITS_BYTES: Record<string, number> = {
  b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40,
  k: 1e3, m: 1e6, g: 1e9, t: 1e12,
};

/** "90s", "15m", "2h", "7d", "2w" → ms; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$/i.exec(text);
  if (match === null) return undefined;
  return Math.round(Number(match[1]) * UNITS_MS[match[2].toLowerCase()]);
}

/** "500MB", "2GB", "1.5GiB", "1048576" → bytes; undefined when it is not one. */
export function parseSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (match === null) return undefined;
  const unit = UNITS_BYTES[(match[2] || 'b').toLowerCase()];
  return unit === undefined ? undefined : Math.round(Number(match[1]) * unit);
}

const MIN_AGE_MS = 60_000;
const MIN_BYTES = 1e6;

const durationSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const ms = typeof value === 'number' ? value * 1000 : parseDuration(value);
  if (ms === undefined || !Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration: write a number and a unit, e.g. "12h", "7d" or "2w" (a plain number is seconds)` });
    return z.NEVER;
  }
  if (ms < MIN_AGE_MS) {
    ctx.addIssue({ code: 'custom', message: `history.maxAge must be at least 1 minute, got ${value}` });
    return z.NEVER;
  }
  return ms;
});

const sizeSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const bytes = typeof value === 'number' ? value : parseSize(value);
  if (bytes === undefined || !Number.isFinite(bytes)) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a size: write a number and a unit, e.g. "500MB", "2GB" or "1GiB" (a plain number is bytes)` });
    return z.NEVER;
  }
  if (bytes < MIN_BYTES) {
    ctx.addIssue({ code: 'custom', message: `history.maxBytes must be at least 1MB, got ${value}` });
    return z.NEVER;
  }
  return bytes;
});

export const historySchema = z.strictObject({
  /** Keep every entry on disk under `<stateDir>/history` (false: only the ring buffer, as before). */
  enabled: z.boolean().default(true),
  /** Segments whose newest entry was received longer ago are deleted. */
  maxAge: durationSchema.prefault('7d'),
  /** The oldest segments are deleted while history is larger. */
  maxBytes: sizeSchema.prefault('2GB'),
  /** fsync journal writes and segments: survives power loss, not only a crash of LogWatch; slower. */
  fsync: z.boolean().default(false),
});

export type HistoryConfig = z.infer<typeof historySchema>;
