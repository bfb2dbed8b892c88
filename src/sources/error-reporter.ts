// Errors that repeat (a file stays unreadable, a watch limit stays reached) are logged once, then
// again only after the same thing has worked in between.
import type { Logger } from '../logger.ts';

export class ErrorReporter {
  private readonly active = new Map<string, string>();

  constructor(private readonly logger: Logger) {}

  /** Logs `message` unless the same `key` already failed with the same `kind` and has not recovered. */
  report(key: string, kind: string, message: string, level: 'warn' | 'error' = 'warn'): void {
    if (this.active.get(key) === kind) return;
    this.active.set(key, kind);
    this.logger[level](message);
  }

  /** The thing behind `key` works again: its next failure is logged. */
  recover(key: string): void {
    this.active.delete(key);
  }

  get size(): number {
    return this.active.size;
  }
}

/** `EACCES: permission denied` style text for status rows. */
export function describeError(err: NodeJS.ErrnoException): string {
  // Node's messages already start with the code ("EMFILE: too many open files, open '…'"); Bun's may not.
  return err.code === undefined || err.message.startsWith(err.code) ? err.message : `${err.code}: ${err.message}`;
}
