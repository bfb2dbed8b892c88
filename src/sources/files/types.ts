// Types shared by the pieces of the file source (src/sources/files/).
import type { Stats } from 'node:fs';
import type { Clock, LineBatch } from '../../types.ts';
import type { DescriptorBudget } from '../descriptor-budget.ts';
import type { ErrorReporter } from '../error-reporter.ts';
import type { Fingerprint } from '../file-identity.ts';
import type { ReadSlots } from '../read-slots.ts';
import type { Timers } from '../../timers.ts';
import type { ReadCursor } from './read-cursor.ts';

/** Shared by every followed file: the budgets, the clock and timers, and how to ask for a read. */
export interface FileIo {
  readonly descriptors: DescriptorBudget;
  readonly slots: ReadSlots;
  readonly errors: ErrorReporter;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly chunkBytes: number;
  readonly maxLineBytes: number;
  readonly partialLineTimeoutMs: number;
  /** The file has something to read (its unfinished line waited long enough): schedule a read of its source. */
  wake(source: string): void;
}

/** Where a file was found and what it is. */
export interface FileFound {
  source: string;
  path: string;
  realPath: string;
  stats: Pick<Stats, 'dev' | 'ino' | 'size'>;
  format?: string;
  timezone?: string;
}

/**
 * How one `readToEnd()` ended: at the end of the file; the content was `replaced` (shrank, or no longer
 * starts with the bytes it did: read it again from 0 after `restartFromZero()`); an `error` (shown in
 * status, retried later); or `more` to read (a bounded amount is read per call, so memory stays bounded
 * and a stop is noticed between calls).
 */
export type ReadEnd = 'eof' | 'replaced' | 'error' | 'more';

export interface ReadResult {
  /** Batches read, in order; hand them to the sink. */
  batches: LineBatch[];
  end: ReadEnd;
}

/** The content a file had before it was truncated: its cursor (commits in flight go on) and fingerprint. */
export interface OldContent {
  cursor: ReadCursor;
  fingerprint: Fingerprint;
}
