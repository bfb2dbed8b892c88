// The one polling helper of the test suite: waits for something the OS or another process does (real
// file watches and scans, a child process, a disk write, a server starting), never for a fixed time.
// To get past a timer of the code under test, inject fake timers and move time on instead
// (see test/sources/fake-time.ts and test/helpers/manual-timers.ts).

export interface WaitOptions {
  /** Fails after this long (default 5000 ms). */
  timeoutMs?: number;
  /** Checks this often (default 10 ms). */
  intervalMs?: number;
  /** Says what never happened, in the failure. */
  message?: string;
}

/**
 * Resolves as soon as `check` returns true. A check that throws (an `expect` that does not hold yet, a
 * server still starting) counts as "not yet"; at the timeout its last error is thrown, prefixed with what
 * was awaited, so a failing `expect` still shows its own diff.
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
      const prefix = `timed out after ${timeoutMs} ms waiting for ${message}`;
      if (lastError instanceof Error) {
        lastError.message = `${prefix}: ${lastError.message}`;
        throw lastError;
      }
      if (lastError !== undefined) throw new Error(`${prefix} (last check threw: ${String(lastError)})`);
      throw new Error(prefix);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
