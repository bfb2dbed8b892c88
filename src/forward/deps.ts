// The real network and timers for shippers (tests inject their own).
import type { Logger } from '../logger.ts';
import { systemTimers } from '../timers.ts';
import type { Clock } from '../types.ts';
import type { ShipperDeps } from './types.ts';

export function realShipperDeps(logger: Logger, clock: Clock): ShipperDeps {
  // systemTimers are unref'd: a retry waiting never keeps a stopping process alive.
  return { logger, random: Math.random, clock, timers: systemTimers, fetch: (url, init) => fetch(url, init) };
}
