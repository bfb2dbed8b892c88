// The agent against LogWatch's Loki receiver on 127.0.0.1: lines arrive labelled with host and file;
// offsets are checkpointed only after a 2xx; a central that fails, goes away and comes back, an agent
// restart and a full backlog lose nothing and send nothing twice.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startAgent, type RunningAgent } from '../../src/agent.ts';
import { agentSchema } from '../../src/forward/config.ts';
import { createMemoryLogger } from '../../src/logger.ts';
import { filesSchema } from '../../src/sources/config.ts';
import { eventually } from '../helpers/process.ts';
import { tempDir } from '../sources/harness.ts';
import { entriesOf } from '../sources/receivers/helpers.ts';
import { startReceivers, type ReceiverServer } from '../web/receivers/server.ts';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function central(options: Parameters<typeof startReceivers>[0] = {}): Promise<ReceiverServer> {
  const server = await startReceivers(options);
  cleanup.push(() => server.server.close().catch(() => {}));
  return server;
}

async function agentFor(url: string, dir: string, state: string, extra: Record<string, unknown> = {}): Promise<RunningAgent> {
  const agent = await startAgent({
    agent: agentSchema.parse({ url, token: 's3cret', labels: { host: 'agent-1' }, batchWaitMs: 20, backoffMs: 20, maxBackoffMs: 200, stopTimeoutMs: 2000, ...extra }),
    watch: [join(dir, '*.log')],
    files: filesSchema.parse({ scanIntervalMs: 50, checkpointIntervalMs: 50, backfillLines: 0 }),
    stateDir: state,
    logger: createMemoryLogger(),
  });
  let stopped = false;
  cleanup.push(async () => {
    if (!stopped) await agent.stop();
  });
  return { status: () => agent.status(), stop: async () => {
    stopped = true;
    await agent.stop();
  } };
}

/** Every line the central took, by message, in order of arrival. */
function received(server: ReceiverServer): string[] {
  return entriesOf(server.spool.parts).map((e) => e.message);
}

function expectExactlyOnce(got: string[], expected: string[]): void {
  expect(got.length).toBe(expected.length);
  expect(new Set(got).size).toBe(got.length);
  expect([...got].sort()).toEqual([...expected].sort());
}

describe('logwatch agent', () => {
  it('ships new lines with host and file labels and the token', async () => {
    const server = await central();
    const dir = tempDir('lw-agent-');
    const log = join(dir, 'app.log');
    writeFileSync(log, 'before the agent\n');
    await agentFor(server.url, dir, tempDir('lw-agent-state-'));
    appendFileSync(log, 'level=error msg="disk full"\nsecond line\n');
    await eventually(() => server.spool.lines === 2, 5000, 'two lines at the central');
    const entries = entriesOf(server.spool.parts);
    expect(entries.map((e) => [e.source, e.message, e.level])).toEqual([
      [`agent-1:${log}`, 'disk full', 'ERROR'],
      [`agent-1:${log}`, 'second line', 'UNKNOWN'],
    ]);
    expect(entries[0].metadata).toMatchObject({ host: 'agent-1', filename: log });
  });

  it('commits only after a 2xx: lines refused by a failing central are sent again after an agent restart, once', async () => {
    const failing = await central({ failWith: 503 });
    const dir = tempDir('lw-agent-');
    const state = tempDir('lw-agent-state-');
    const log = join(dir, 'app.log');
    writeFileSync(log, '');
    const agent = await agentFor(failing.url, dir, state, { stopTimeoutMs: 100 });
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i}`);
    appendFileSync(log, `${lines.join('\n')}\n`);
    await eventually(() => agent.status().shipper.retries >= 2, 5000, 'the agent retrying');
    await agent.stop();
    expect(agent.status().shipper.sent).toBe(0);
    const port = failing.server.port;
    await failing.server.close();
    const up = await central({ port });
    await agentFor(up.url, dir, state);
    await eventually(() => up.spool.lines >= 50, 5000, 'all lines after the restart');
    await new Promise((r) => setTimeout(r, 200));
    expectExactlyOnce(received(up), lines);
  });

  it('loses nothing and sends nothing twice while the central is killed and restarted as the file grows', async () => {
    let server = await central();
    const port = server.server.port;
    const reuse = { spool: server.spool, intake: server.intake };
    const dir = tempDir('lw-agent-');
    const log = join(dir, 'app.log');
    writeFileSync(log, '');
    await agentFor(server.url, dir, tempDir('lw-agent-state-'));
    const expected: string[] = [];
    const write = (from: number, to: number) => {
      const lines = Array.from({ length: to - from }, (_, i) => `event ${from + i}`);
      expected.push(...lines);
      appendFileSync(log, `${lines.join('\n')}\n`);
    };
    write(0, 500);
    await eventually(() => server.spool.lines === 500);
    await server.server.close();
    for (let i = 0; i < 10; i++) {
      write(500 + i * 100, 600 + i * 100);
      await new Promise((r) => setTimeout(r, 30));
    }
    server = await central({ port, reuse });
    write(1500, 2000);
    await eventually(() => server.spool.lines >= 2000, 10_000, 'every line after the restart');
    await new Promise((r) => setTimeout(r, 200));
    expectExactlyOnce(received(server), expected);
  });

  it('pauses when the backlog is full and reads the dropped lines again from the checkpoint once it drained', async () => {
    let server = await central();
    const port = server.server.port;
    const reuse = { spool: server.spool, intake: server.intake };
    await server.server.close();
    const dir = tempDir('lw-agent-');
    const log = join(dir, 'app.log');
    writeFileSync(log, '');
    const agent = await agentFor(`http://127.0.0.1:${port}`, dir, tempDir('lw-agent-state-'), { maxBacklogBytes: 64 * 1024, batchBytes: 4096 });
    const expected = Array.from({ length: 3000 }, (_, i) => `payload ${i} ${'x'.repeat(60)}`);
    appendFileSync(log, `${expected.join('\n')}\n`);
    await eventually(() => agent.status().pauses >= 1, 5000, 'the agent pausing');
    // The bound: maxBacklogBytes, or one batch when that alone is larger (a batch ends after the file read
    // that filled it, and a read is files.readChunkBytes, 64 KiB, with per-line overhead).
    expect(agent.status().shipper.queuedBytes).toBeLessThanOrEqual(64 * 1024 + 128 * 1024);
    expect(agent.status().paused).toBe(true);
    server = await central({ port, reuse });
    await eventually(() => server.spool.lines >= 3000, 10_000, 'every line after the backlog drained');
    await new Promise((r) => setTimeout(r, 200));
    expectExactlyOnce(received(server), expected);
    expect(agent.status().paused).toBe(false);
  });
});
