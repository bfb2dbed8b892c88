// Deterministic time and network for the forward stage: timers that run when the test advances the
// clock, and a fetch that answers from a script.
import { createMemoryLogger } from '../../src/logger.ts';
import type { ShipperDeps } from '../../src/forward/types.ts';

export class ManualTimers {
  now = 0;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  setTimer = (fn: () => void, ms: number): unknown => {
    const id = this.nextId++;
    this.timers.set(id, { at: this.now + ms, fn });
    return id;
  };

  clearTimer = (handle: unknown): void => {
    this.timers.delete(handle as number);
  };

  /** Delays of the timers pending now. */
  pending(): number[] {
    return [...this.timers.values()].map((t) => t.at - this.now).sort((a, b) => a - b);
  }

  /** Moves time forward, running every timer that falls due (in order), with the microtasks between. */
  async advance(ms: number): Promise<void> {
    const until = this.now + ms;
    for (;;) {
      await settle();
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.timers) if (entry[1].at <= until && (next === undefined || entry[1].at < next[1].at)) next = entry;
      if (next === undefined) break;
      this.timers.delete(next[0]);
      this.now = next[1].at;
      next[1].fn();
    }
    this.now = until;
    await settle();
  }
}

/** Lets promise chains (a fake fetch, the shipper's loop) run to their next wait. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise((resolve) => setImmediate(resolve));
}

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

export function deps(timers: ManualTimers, fetch: ShipperDeps['fetch'], random = () => 0.5): ShipperDeps & { logger: ReturnType<typeof createMemoryLogger> } {
  return { logger: createMemoryLogger(), random, now: () => timers.now, setTimer: timers.setTimer, clearTimer: timers.clearTimer, fetch };
}
