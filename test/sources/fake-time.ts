// A fake clock and timers for the file sources (injected as `clock` and `timers`): time moves only when
// a test says so, and the timers due on the way run then, in time order. No sleep races a timer.
import type { Timers } from '../../src/timers.ts';

interface Task {
  at: number;
  fn: () => void;
  every: number | null;
}

export class FakeTime {
  now = Date.UTC(2026, 10, 30, 12);
  readonly clock = (): number => this.now;
  private readonly tasks = new Map<number, Task>();
  private nextId = 1;

  readonly timers: Timers = {
    setTimeout: (fn, ms) => this.add(fn, ms, null),
    clearTimeout: (handle) => void this.tasks.delete(handle as number),
    setInterval: (fn, ms) => this.add(fn, ms, Math.max(1, ms)),
    clearInterval: (handle) => void this.tasks.delete(handle as number),
  };

  /** Timers waiting to run. */
  get pending(): number {
    return this.tasks.size;
  }

  /** Moves the clock `ms` ahead, running every timer due on the way (those it sets too), in time order. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      let next: [number, Task] | undefined;
      for (const entry of this.tasks) if (entry[1].at <= end && (next === undefined || entry[1].at < next[1].at)) next = entry;
      if (next === undefined) break;
      const [id, task] = next;
      this.now = Math.max(this.now, task.at);
      if (task.every === null) this.tasks.delete(id);
      else task.at += task.every;
      task.fn();
    }
    this.now = end;
  }

  private add(fn: () => void, ms: number, every: number | null): number {
    const id = this.nextId++;
    this.tasks.set(id, { at: this.now + Math.max(0, ms), fn, every });
    return id;
  }
}
