// A clock and timers that move only when the test says so: `advance(ms)` fires every timer due in that
// span, in time order, letting the promise chains each one starts settle before the next. No test waits
// on the wall clock, so none can race a timer.
import { setImmediate as nextTurn } from 'node:timers/promises';

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
}

export class ManualTimers {
  now: number;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(start = 0) {
    this.now = start;
  }

  readonly clock = (): number => this.now;

  readonly setTimeout = (fn: () => void, ms: number): unknown => {
    const seq = ++this.seq;
    this.pending.set(seq, { at: this.now + Math.max(0, ms), seq, fn });
    return seq;
  };

  readonly clearTimeout = (handle: unknown): void => {
    this.pending.delete(handle as number);
  };

  /** Timers waiting to fire. */
  get size(): number {
    return this.pending.size;
  }

  /** Moves the clock `ms` forward, firing each timer due on the way at its own time. */
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      await settle();
      let next: Pending | undefined;
      for (const p of this.pending.values()) if (p.at <= end && (next === undefined || p.at < next.at || (p.at === next.at && p.seq < next.seq))) next = p;
      if (next === undefined) break;
      this.pending.delete(next.seq);
      this.now = next.at;
      next.fn();
    }
    this.now = end;
    await settle();
  }
}

/** Lets every promise chain already started run to its next wait (one macrotask drains all microtasks). */
export async function settle(): Promise<void> {
  await nextTurn();
}
