// The real network and timers for shippers (tests inject their own).
import type { Logger } from '../logger.ts';
import type { Clock } from '../types.ts';
import type { ShipperDeps } from './types.ts';

export function realShipperDeps(logger: Logger, clock: Clock): ShipperDeps {
  return {
    logger,
    random: Math.random,
    now: clock,
    setTimer: (fn, ms) => {
      const timer = setTimeout(fn, ms);
      // A retry waiting must not keep a stopping process alive.
      timer.unref?.();
      return timer;
    },
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    fetch: (url, init) => fetch(url, init),
  };
}
