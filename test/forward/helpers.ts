// Deterministic time and network for the forward stage: the suite's manual timers (noting every delay
// asked for, so backoff can be checked exactly), and a fetch that answers from a script.
import { createMemoryLogger } from '../../src/logger.ts';
import type { ShipperDeps } from '../../src/forward/types.ts';
import { ManualTimers, settle } from '../helpers/manual-timers.ts';

export { ManualTimers, settle };

export interface FetchCall {
  url: string;
  body: string;
  headers: Record<string, string>;
}

/** A fetch answering each call with the next scripted answer (a status, or an Error to throw). */
export function scriptedFetch(script: Array<number | Error | { status: number; headers?: Record<string, string>; body?: string }>, fallback = 204) {
  const calls: FetchCall[] = [];
  const fetch = async (url: string, init: RequestInit): Promise<Response> => {
    calls.push({ url, body: String(init.body), headers: init.headers as Record<string, string> });
    const step = script.shift() ?? fallback;
    if (step instanceof Error) throw step;
    const { status, headers, body } = typeof step === 'number' ? { status: step, headers: {}, body: '' } : step;
    return new Response(status === 204 ? null : body ?? '', { status, headers });
  };
  return { fetch, calls };
}

/** Shipper deps on manual timers; `delays` notes every timer asked for, in order (attempt timeouts included). */
export function deps(timers: ManualTimers, fetch: ShipperDeps['fetch'], random = () => 0.5): ShipperDeps & { logger: ReturnType<typeof createMemoryLogger>; delays: number[] } {
  const delays: number[] = [];
  const noted = {
    setTimeout: (fn: () => void, ms: number) => {
      delays.push(ms);
      return timers.setTimeout(fn, ms);
    },
    clearTimeout: timers.clearTimeout,
  };
  return { logger: createMemoryLogger(), random, clock: timers.clock, timers: noted, fetch, delays };
}
