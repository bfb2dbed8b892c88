// When the pipeline emits a source's held entry (the last entry of a batch, held in case a stack trace
// or another continuation line follows). Loggers write a stack trace in one write(), or in a few
// within microseconds, so waiting the full `parse.multilineTimeoutMs` after every batch made every
// Python, Java and syslog line reach the stream, the dashboard and the alerts 250 ms late (issue 11).
// Instead: once the reader says it has handed over everything written so far (`caughtUp`), the entry
// is released after `parse.multilineGraceMs` of quiet; a batch arriving meanwhile cancels that. A
// reader may pass a check that the data really ended (the file did not grow): on a loaded machine the
// watch event of a write made 1 ms later can come after the grace, and the check then keeps the entry
// for that write instead of splitting the trace (measured in bench/hold.ts). The timeout stays the upper
// bound for a source whose reader is not at the end of its data (an unfinished
// line, a backlog, a source that never says): a writer that stalls mid-trace splits it then, and the
// parser counts the split.

import type { Timers } from './timers.ts';

/** The timer functions used here: tests pass fake ones (test/helpers/manual-timers.ts). */
export type ReleaseTimers = Pick<Timers, 'setTimeout' | 'clearTimeout'>;

/** Resolves true when more data was written than the reader has handed over (it will, soon). */
export type MoreData = () => Promise<boolean>;

interface Waits {
  /** The upper bound: `timeoutMs` after the last batch that left something held. */
  bound: unknown;
  /** The short wait after the reader caught up; undefined until it says so. */
  grace: unknown;
  /** The reader's check that nothing more was written, asked when the grace ends. */
  more: MoreData | undefined;
}

export class HeldRelease {
  private readonly waits = new Map<string, Waits>();

  constructor(
    private readonly timers: ReleaseTimers,
    private readonly graceMs: number,
    private readonly timeoutMs: number,
    /** Emits what `source` holds; called at most once per hold. */
    private readonly release: (source: string) => void,
  ) {}

  /** A batch of `source` left an entry held: the upper bound starts again, the grace waits for `caughtUp`. */
  held(source: string): void {
    const waits = this.waits.get(source);
    if (waits !== undefined) this.cancel(waits);
    const next: Waits = { bound: undefined, grace: undefined, more: undefined };
    next.bound = this.timers.setTimeout(() => this.fire(source, next), this.timeoutMs);
    this.waits.set(source, next);
  }

  /** Nothing of `source` is held any more (emitted by a batch, or flushed). */
  cleared(source: string): void {
    const waits = this.waits.get(source);
    if (waits === undefined) return;
    this.cancel(waits);
    this.waits.delete(source);
  }

  /**
   * The reader of `source` has handed over every line written so far (no unfinished line left): what
   * it holds is released after `graceMs` unless another batch comes first, and unless `more` then
   * says more was written (the grace starts again, within the bound). Nothing held: nothing to do.
   */
  caughtUp(source: string, more?: MoreData): void {
    const waits = this.waits.get(source);
    if (waits === undefined || this.graceMs >= this.timeoutMs) return;
    waits.more = more;
    this.startGrace(source, waits);
  }

  private startGrace(source: string, waits: Waits): void {
    if (waits.grace !== undefined) this.timers.clearTimeout(waits.grace);
    waits.grace = this.timers.setTimeout(() => {
      waits.grace = undefined;
      if (waits.more === undefined) return this.fire(source, waits);
      waits.more().then(
        (more) => {
          if (this.waits.get(source) !== waits) return;
          if (more) this.startGrace(source, waits);
          else this.fire(source, waits);
        },
        () => this.fire(source, waits),
      );
    }, this.graceMs);
  }

  /** Stops every wait (shutdown: the pipeline flushes every source itself). */
  close(): void {
    for (const waits of this.waits.values()) this.cancel(waits);
    this.waits.clear();
  }

  private fire(source: string, waits: Waits): void {
    // Stale: a batch (or a flush) came while the check was under way.
    if (this.waits.get(source) !== waits) return;
    this.cancel(waits);
    this.waits.delete(source);
    this.release(source);
  }

  private cancel(waits: Waits): void {
    this.timers.clearTimeout(waits.bound);
    if (waits.grace !== undefined) this.timers.clearTimeout(waits.grace);
  }
}
