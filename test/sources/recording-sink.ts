// A LineSink for source tests: records every line, and can behave like a multi-line parser that holds
// the last line of each batch until the next batch or a flush (so held-line commits are exercised).
import { systemTimers, type TimerHandle, type Timers } from '../../src/timers.ts';
import type { LineBatch, LineSink } from '../../src/types.ts';

export interface RecordedLine {
  source: string;
  line: string;
  backfill: boolean;
  format?: string;
  timezone?: string;
}

interface Held {
  line: RecordedLine;
  commit: ((held: number) => void) | undefined;
}

export class RecordingSink implements LineSink {
  readonly lines: RecordedLine[] = [];
  readonly batches: LineBatch[] = [];
  readonly flushed: string[] = [];
  private readonly held = new Map<string, Held>();
  private readonly idleTimers = new Map<string, TimerHandle>();

  /** With `holdLast`, a held line is emitted by the next batch, a flush, or after `idleFlushMs` (as the pipeline does). */
  constructor(
    private readonly holdLast = false,
    private readonly idleFlushMs = 30,
    private readonly timers: Timers = systemTimers,
  ) {}

  write(batch: LineBatch): void {
    this.batches.push(batch);
    const record = (line: string): RecordedLine => ({
      source: batch.source,
      line,
      backfill: batch.backfill === true,
      ...(batch.format === undefined ? {} : { format: batch.format }),
      ...(batch.timezone === undefined ? {} : { timezone: batch.timezone }),
    });
    const previous = this.held.get(batch.source);
    if (previous !== undefined) {
      this.held.delete(batch.source);
      this.lines.push(previous.line);
      previous.commit?.(0);
    }
    if (!this.holdLast || batch.lines.length === 0) {
      for (const line of batch.lines) this.lines.push(record(line));
      batch.onCommit?.(0);
      return;
    }
    const n = batch.lines.length;
    for (let i = 0; i < n - 1; i++) this.lines.push(record(batch.lines[i]));
    this.held.set(batch.source, { line: record(batch.lines[n - 1]), commit: batch.onCommit });
    batch.onCommit?.(1);
    this.timers.clearTimeout(this.idleTimers.get(batch.source));
    this.idleTimers.set(batch.source, this.timers.setTimeout(() => this.flush(batch.source), this.idleFlushMs));
  }

  flush(source: string): void {
    this.flushed.push(source);
    this.timers.clearTimeout(this.idleTimers.get(source));
    const held = this.held.get(source);
    if (held === undefined) return;
    this.held.delete(source);
    this.lines.push(held.line);
    held.commit?.(0);
  }

  /** Lines processed (not backfill) of one source, in order. */
  live(source?: string): string[] {
    return this.lines.filter((l) => !l.backfill && (source === undefined || l.source === source)).map((l) => l.line);
  }

  history(source?: string): string[] {
    return this.lines.filter((l) => l.backfill && (source === undefined || l.source === source)).map((l) => l.line);
  }
}
