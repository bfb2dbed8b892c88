// Types of the notify stage that callers and tests inject.

/**
 * The timers a dispatcher waits with (start of a send, group wait, backoff, attempt timeout, drain
 * limit). Injected beside the clock so that tests drive time step by step instead of sleeping and
 * hoping the timer fired first.
 */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The runtime's timers. Handles are unref'd by the dispatcher so a pending retry never holds the process open. */
export const systemTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
