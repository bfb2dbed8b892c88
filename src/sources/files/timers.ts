// Timers injected beside the clock: the file sources schedule scans, checkpoints and partial-line waits
// through this, so a test can fire them as explicit steps instead of sleeping and racing them.
import type { Timers, TimerHandle } from '../types.ts';

/** The real timers, unref'd: a pending scan or checkpoint never keeps the process alive on its own. */
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

export type { Timers, TimerHandle };
