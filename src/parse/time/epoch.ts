// Epoch numbers (JSON `time: 1764497702`, HPC columns): the unit is chosen by magnitude.

/** Ms of an epoch number in seconds, milliseconds, microseconds or nanoseconds (chosen by magnitude). */
export function epochToMs(n: number): number {
  if (!Number.isFinite(n) || n < 0) return NaN;
  if (n < 1e11) return Math.floor(n * 1000);
  if (n < 1e14) return Math.floor(n);
  if (n < 1e17) return Math.floor(n / 1000);
  return Math.floor(n / 1e6);
}

const EPOCH_MIN_S = 946_684_800; // 2000-01-01
const EPOCH_MAX_S = 4_102_444_800; // 2100-01-01

/** True when an epoch in ms falls in 2000–2099: a bare number that plausibly is a time. */
export function plausibleEpochMs(ms: number): boolean {
  return ms >= EPOCH_MIN_S * 1000 && ms < EPOCH_MAX_S * 1000;
}
