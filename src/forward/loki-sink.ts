// Forwards every entry LogWatch processes to Loki (or VictoriaLogs' Loki endpoint), so LogWatch keeps
// the live view and the alerts while a store built for it keeps everything. Each entry goes as its raw
// line with its time, in a stream labelled by the configured labels plus `source` and `level`.
// History replayed at startup is not sent again (it was sent by the run that read it first). The
// backlog is bounded: when Loki is down longer than it holds, the newest entries are dropped, counted
// and logged; LogWatch itself never slows down for Loki.
import type { LogEntry } from '../types.ts';
import type { LokiSinkConfig } from './config.ts';
import { encodeLokiPush, lokiPushUrl, type PushRecord } from './loki-push.ts';
import { Shipper } from './shipper.ts';
import type { ShipperDeps, ShipperStatus } from './types.ts';

export class LokiSink {
  private readonly shipper: Shipper;
  private pending: PushRecord[] = [];
  private pendingBytes = 0;
  private timer: unknown = undefined;
  private warnedFull = false;

  constructor(
    private readonly config: LokiSinkConfig,
    private readonly deps: ShipperDeps,
  ) {
    const headers: Record<string, string> = { ...config.headers };
    if (config.tenant !== undefined) headers['X-Scope-OrgID'] = config.tenant;
    this.shipper = new Shipper(
      { name: 'loki', url: lokiPushUrl(config.url), headers, timeoutMs: config.timeoutMs, backoffMs: config.backoffMs, maxBackoffMs: config.maxBackoffMs, maxBacklogBytes: config.maxBacklogBytes },
      deps,
    );
  }

  /** Takes processed entries; returns at once. */
  write(entries: readonly LogEntry[], backfill: boolean): void {
    if (backfill) return;
    for (const entry of entries) {
      this.pending.push({ labels: { ...this.config.labels, source: entry.source, level: entry.level.toLowerCase() }, time: entry.time, line: entry.raw });
      this.pendingBytes += entry.raw.length + entry.source.length + 64;
    }
    if (this.pendingBytes >= this.config.batchBytes) this.flush();
    else if (this.pending.length > 0 && this.timer === undefined) {
      this.timer = this.deps.timers.setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, this.config.batchWaitMs);
    }
  }

  /** Sends what is pending, then waits up to `deadlineMs` for the backlog to drain. */
  async close(deadlineMs: number): Promise<void> {
    this.flush();
    await this.shipper.close(deadlineMs);
  }

  status(): ShipperStatus {
    return this.shipper.status();
  }

  private flush(): void {
    if (this.timer !== undefined) this.deps.timers.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const records = this.pending;
    const bytes = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    const body = encodeLokiPush(records);
    if (this.shipper.enqueue({ body, contentType: 'application/json', bytes, records: records.length })) {
      this.warnedFull = false;
      return;
    }
    this.shipper.countDropped(records.length);
    if (!this.warnedFull) {
      this.warnedFull = true;
      this.deps.logger.error(`loki sink: the backlog is full (forward.loki.maxBacklogBytes); entries are dropped until Loki takes them again (${this.shipper.status().lastError ?? 'no answer yet'})`);
    }
  }
}
