// Timers injected beside the clock (src/types.ts `Clock`): stages schedule scans, checkpoints, partial-line
// waits, retries and group waits through this, so a test fires them as explicit steps instead of sleeping
// and racing them (test/sources/fake-time.ts, test/helpers/manual-timers.ts).

/** An opaque timer id, as the `Timers` that made it returns it. */
export type TimerHandle = unknown;

export interface Timers {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle | undefined): void;
}

/** The runtime's timers, unref'd: a pending scan, checkpoint or retry never keeps the process alive on its own. */
export const systemTimers: Timers = {
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, ms);
    handle.unref?.();
    return handle;
  },
  clearTimeout(handle) {
    if (handle !== undefined) clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
  setInterval(fn, ms) {
    const handle = setInterval(fn, ms);
    handle.unref?.();
    return handle;
  },
  clearInterval(handle) {
    if (handle !== undefined) clearInterval(handle as ReturnType<typeof setInterval>);
  },
};
