/**
 * How many files the tailer keeps open at once. An open past the budget first asks the owner to evict an
 * idle file (closing it frees a slot at once), else waits for a slot. On EMFILE the budget shrinks to
 * leave room for the rest of the process (client connections, state files).
 */
export class DescriptorBudget {
  private open = 0;
  private max: number;
  private readonly waiters: Array<() => void> = [];

  /** `evictIdle` closes one idle file (calling `freed`) and returns true, or returns false when none is idle. */
  constructor(
    max: number,
    private readonly evictIdle: () => boolean,
  ) {
    this.max = max;
  }

  get limit(): number {
    return this.max;
  }

  get hasWaiters(): boolean {
    return this.waiters.length > 0;
  }

  /** Resolves once a slot is counted for the caller. */
  async reserve(): Promise<void> {
    if (this.waiters.length === 0 && this.hasSlot()) {
      this.open++;
      return;
    }
    // The slot is counted for us by whoever wakes us.
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** A reserved slot not used (the open failed), or a descriptor closed: the next waiter may go. */
  release(): void {
    this.open--;
    this.serve();
  }

  /** A descriptor closed during eviction: its slot is free at once; the waiter being served takes it. */
  freed(): void {
    this.open--;
  }

  /** EMFILE: keep at most three quarters of what is open now (never fewer than 8). Returns the new limit. */
  shrink(): number {
    this.max = Math.max(8, Math.floor(this.open * 0.75));
    return this.max;
  }

  /** Stopping: every waiter goes ahead, so nothing waits forever. */
  unlimit(): void {
    this.max = Number.POSITIVE_INFINITY;
    this.serve();
  }

  /** Wakes waiters while there is a slot (or an idle file to evict). */
  serve(): void {
    while (this.waiters.length > 0 && this.hasSlot()) {
      this.open++;
      (this.waiters.shift() as () => void)();
    }
  }

  private hasSlot(): boolean {
    return this.open < this.max || this.evictIdle();
  }
}
