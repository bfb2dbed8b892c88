// The one polling helper of the test suite: wait for a condition, never for a fixed time.

export interface WaitOptions {
  /** Fails after this long (default 5000 ms). */
  timeoutMs?: number;
  /** Checks this often (default 10 ms). */
  intervalMs?: number;
  /** Says what never happened, in the failure. */
  message?: string;
}

/**
 * Resolves as soon as `check` returns true; rejects after `timeoutMs` naming what was awaited. A check
 * that throws counts as "not yet" (a server still starting), and its last error is in the failure.
 */
export async function waitFor(check: () => boolean | Promise<boolean>, opts: WaitOptions = {}): Promise<void> {
  const { timeoutMs = 5000, intervalMs = 10, message = 'the condition' } = opts;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await check()) return;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const why = lastError === undefined ? '' : ` (last check threw: ${(lastError as Error).message})`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${message}${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
