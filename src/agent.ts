// `logwatch agent`: the same file tailing as LogWatch (rotation, truncation, restarts, checkpoints),
// shipping to a central LogWatch's Loki receiver instead of serving a dashboard. A file offset is
// checkpointed only after the central answered 2xx for the lines before it, so an outage or a restart
// of either side loses nothing and sends nothing twice. The on-disk backlog is the log files
// themselves (from the checkpoint on); in memory the agent holds at most `maxBacklogBytes`. When that
// fills (the central is down), the agent drops what it reads without committing it, waits for the
// backlog to drain, then restarts tailing from the checkpoint and reads those lines again.
import { mkdir } from 'node:fs/promises';
import type { FilesConfig, WatchEntry } from './sources/config.ts';
import { AgentSink } from './forward/agent-sink.ts';
import { realShipperDeps } from './forward/deps.ts';
import type { AgentConfig } from './forward/config.ts';
import { lokiPushUrl } from './forward/loki-push.ts';
import { Shipper } from './forward/shipper.ts';
import type { ShipperDeps, ShipperStatus } from './forward/types.ts';
import type { Logger } from './logger.ts';
import { createFileSources, type FileSources, type SourceStatus } from './sources/index.ts';
import { systemClock, type Clock } from './types.ts';

export interface AgentOptions {
  agent: AgentConfig;
  watch: WatchEntry[];
  files: FilesConfig;
  stateDir: string;
  logger: Logger;
  clock?: Clock;
  /** Network and timers (tests); default: the real ones. */
  deps?: Partial<ShipperDeps>;
}

export interface AgentStatus {
  shipper: ShipperStatus;
  /** Times the backlog filled and tailing restarted from the checkpoint. */
  pauses: number;
  paused: boolean;
  files: SourceStatus[];
}

export interface RunningAgent {
  status(): AgentStatus;
  /** Sends what it can within `stopTimeoutMs`, then checkpoints what was sent and stops. */
  stop(): Promise<void>;
}

export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const { agent, logger } = options;
  const clock = options.clock ?? systemClock;
  await mkdir(options.stateDir, { recursive: true });
  const deps: ShipperDeps = { ...realShipperDeps(logger, clock), ...options.deps };
  const headers: Record<string, string> = {};
  if (agent.token !== undefined) headers.Authorization = `Bearer ${agent.token}`;
  const shipper = new Shipper(
    { name: 'agent', url: lokiPushUrl(agent.url), headers, timeoutMs: agent.timeoutMs, backoffMs: agent.backoffMs, maxBackoffMs: agent.maxBackoffMs, maxBacklogBytes: agent.maxBacklogBytes },
    deps,
  );

  let pauses = 0;
  let stopping = false;
  let sink: AgentSink;
  let files: FileSources;
  let filesStopped = false;
  let cycle: Promise<void> = Promise.resolve();

  const tail = async () => {
    sink = new AgentSink(shipper, { labels: agent.labels, batchBytes: agent.batchBytes, batchWaitMs: agent.batchWaitMs, onPause }, deps);
    files = createFileSources({ watch: options.watch, files: options.files, stateDir: options.stateDir, sink, logger, clock });
    filesStopped = false;
    await files.start();
  };
  const stopFiles = async () => {
    if (filesStopped) return;
    filesStopped = true;
    await files.stop();
  };

  function onPause(): void {
    pauses++;
    logger.warn(`agent: the backlog is full (${shipper.status().lastError ?? 'the central is slow'}); reading pauses and resumes from the checkpoint once it drained`);
    cycle = cycle.then(async () => {
      // Batches not yet being sent are dropped uncommitted: the restart reads them again. The one in
      // flight is waited for, so its commit reaches the checkpoint before tailing stops.
      shipper.takeQueued();
      await shipper.idle();
      await stopFiles();
      if (stopping) return;
      logger.info('agent: the backlog drained; tailing resumes from the checkpoint');
      await tail();
    });
  }

  await tail();
  return {
    status: () => ({ shipper: shipper.status(), pauses, paused: sink.isPaused, files: files.status() }),
    stop: async () => {
      stopping = true;
      sink.ship();
      await shipper.close(agent.stopTimeoutMs);
      // What was not sent stays uncommitted: the next start reads it again.
      sink.stop();
      await cycle;
      // A restart that was under way when the stop came made a new sink: it must not commit either.
      sink.stop();
      await stopFiles();
    },
  };
}
