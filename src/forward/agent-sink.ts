// The agent's LineSink: lines read from files, batched into Loki push requests labelled with the host
// and the file, and committed (the file offset may advance past them) only once the receiver answered
// 2xx. History (backfill) is never shipped: it was shipped by the run that first read it, or it
// predates the agent. When the backlog is full the sink pauses: it drops what it is given without
// committing it, and the agent reads those lines again from the checkpoint once the backlog drained.
import type { LineBatch, LineSink } from '../types.ts';
import { encodeLokiPush, type PushRecord } from './loki-push.ts';
import type { Shipper } from './shipper.ts';
import type { ShipperDeps } from './types.ts';

export interface AgentSinkOptions {
  /** Labels of every stream; `filename` (the source) is added per batch. */
  labels: Record<string, string>;
  batchBytes: number;
  batchWaitMs: number;
  /** Called once when the sink pauses because the backlog is full. */
  onPause: () => void;
}

export class AgentSink implements LineSink {
  private pending: PushRecord[] = [];
  private commits: Array<(held: number) => void> = [];
  private pendingBytes = 0;
  private timer: unknown = undefined;
  private paused = false;

  constructor(
    private readonly shipper: Shipper,
    private readonly options: AgentSinkOptions,
    private readonly deps: Pick<ShipperDeps, 'timers'>,
  ) {}

  write(batch: LineBatch): void {
    if (batch.backfill === true) {
      batch.onCommit?.(0);
      return;
    }
    // Paused: not committed, so read again after the restart from the checkpoint.
    if (this.paused) return;
    const labels = { ...this.options.labels, filename: batch.source };
    for (const line of batch.lines) {
      this.pending.push({ labels, time: batch.receivedAt, line });
      this.pendingBytes += line.length + 32;
    }
    if (batch.onCommit !== undefined) this.commits.push(batch.onCommit);
    if (this.pendingBytes >= this.options.batchBytes) this.ship();
    else if (this.timer === undefined) {
      this.timer = this.deps.timers.setTimeout(() => {
        this.timer = undefined;
        this.ship();
      }, this.options.batchWaitMs);
    }
  }

  /** Nothing is held per source: lines are complete when they arrive. */
  flush(): void {}

  /** Ships what is pending now (at stop, before the shipper drains). */
  ship(): void {
    if (this.timer !== undefined) this.deps.timers.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0 || this.paused) return;
    const records = this.pending;
    const commits = this.commits;
    const bytes = this.pendingBytes;
    this.pending = [];
    this.commits = [];
    this.pendingBytes = 0;
    const accepted = this.shipper.enqueue({
      body: encodeLokiPush(records),
      contentType: 'application/json',
      bytes,
      records: records.length,
      onSent: () => {
        for (const commit of commits) commit(0);
      },
    });
    if (!accepted) this.pause();
  }

  /** The backlog is full: drops everything from now on without committing it, and tells the agent. */
  pause(): void {
    if (this.paused) return;
    this.stop();
    this.options.onPause();
  }

  /** Drops everything from now on without committing it (read again at the next start). */
  stop(): void {
    this.paused = true;
    if (this.timer !== undefined) this.deps.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
    this.commits = [];
    this.pendingBytes = 0;
  }

  get isPaused(): boolean {
    return this.paused;
  }
}
