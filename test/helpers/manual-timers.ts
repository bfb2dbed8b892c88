// Timers a test fires by moving time forward: no sleeps, no races with real timers.
export class ManualTimers {
  now = 0;
  private next = 1;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();

  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = this.next++;
    this.pending.set(id, { at: this.now + ms, fn });
    return id;
  };

  clearTimeout = (handle: unknown): void => {
    this.pending.delete(handle as number);
  };

  /** Timers waiting. */
  get size(): number {
    return this.pending.size;
  }

  /** Moves time forward by `ms`, firing every timer due on the way, in time order. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      let dueId = -1;
      let dueAt = Infinity;
      for (const [id, t] of this.pending) if (t.at <= end && t.at < dueAt) [dueId, dueAt] = [id, t.at];
      if (dueId < 0) break;
      const timer = this.pending.get(dueId)!;
      this.pending.delete(dueId);
      this.now = timer.at;
      timer.fn();
    }
    this.now = end;
  }
}
