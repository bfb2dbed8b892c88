// The wait for the end of an unfinished last line: emitted as it is once it has waited
// `partialLineTimeoutMs` without growing (its writer died, or never ends its lines).
import type { TimerHandle, Timers } from '../../timers.ts';

export class PartialLineWait {
  /** Waited long enough: emit at the next look. */
  private due = false;
  /** Size of the unfinished line when its wait started. */
  private bytes = 0;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly timers: Timers,
    private readonly timeoutMs: number,
    /** Called when the wait is over: the file should be looked at again. */
    private readonly onDue: () => void,
  ) {}

  /** At the end of the file with `pending` unfinished bytes: true when the line is to be emitted now. */
  atEnd(pending: number): boolean {
    if (pending === 0) {
      this.cancel();
      return false;
    }
    if (this.due) {
      this.due = false;
      return true;
    }
    // The wait starts when the unfinished line last grew, not at every look at the file.
    if (pending === this.bytes && this.timer !== undefined) return false;
    this.bytes = pending;
    this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.due = true;
      this.onDue();
    }, this.timeoutMs);
    return false;
  }

  /** No unfinished line to wait for any more (finished, emitted, or the content was replaced). */
  cancel(): void {
    this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.due = false;
  }
}
