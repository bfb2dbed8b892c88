// The one polling helper of the test suite: waits for something the OS or another process does (real
// file watches and scans, a child process, a disk write). To get past a timer of the code under test,
// inject fake timers and move time on instead (see test/sources/fake-time.ts).

/**
 * Resolves once `check` returns true. A `check` that throws (an `expect` that does not hold yet) counts as
 * not yet; at the timeout the last error is thrown, so a failing `expect` shows its own diff.
 */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  opts: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const intervalMs = opts.intervalMs ?? 10;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await check()) return;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      if (lastError !== undefined) throw lastError;
      throw new Error(opts.message ?? `condition not met within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
