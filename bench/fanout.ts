// Fan-out: the file ingest of 1 M access lines with 1000 SSE clients connected (999 following errors,
// `?level=ERROR`, as dashboards of a service do, and 1 client that connects, asks for everything and
// then never reads), against the same ingest with no client. Ingest rate and RSS with and without;
// what the live clients received; that the stalled one held nobody up.
//
//   bun bench/fanout.ts [--rounds 3] [--clients 1000] [--runtimes bun,node] [--no-write]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendFile } from './lib/append.ts';
import { dataFile, type DataFile } from './lib/data.ts';
import { arg, flag, fmtRate, fmtRatio, machine, machineLine, median, sleep } from './lib/env.ts';
import { ensureNodeBundle, startLogWatch, workspace, type Runtime } from './lib/logwatch.ts';
import { saveJson, table, writeSection } from './lib/results.ts';
import { ChunkCounter, openSse, openStalledSse, type SseConnection } from './lib/sse.ts';

export interface FanoutRun {
  runtime: Runtime;
  clients: number;
  /** What the live clients follow: the errors of the file, or a source that stays quiet. */
  follow: 'errors' | 'quiet';
  /** Bytes of SSE the live clients received in all. */
  bytes?: number;
  seconds: number;
  cpuSeconds: number;
  rssBefore: number;
  rssAfter: number;
  /** Error entries in the file (what each live client should get). */
  errors: number;
  received?: { min: number; median: number; max: number };
  /** Seconds after the last entry was counted until every live client had all it got. */
  deliveredAfter?: number;
  dropped?: number;
  disconnectedSlow?: number;
}

async function run(runtime: Runtime, data: DataFile, clients: number, errors: number, follow: 'errors' | 'quiet'): Promise<FanoutRun> {
  const ws = workspace(`fanout-${runtime}-${clients}`);
  const target = join(ws.logs, 'bench.log');
  writeFileSync(target, '');
  const lw = await startLogWatch(runtime, ws, { watch: [{ path: join(ws.logs, '*.log'), format: 'access' }] });
  const conns: SseConnection[] = [];
  const counters: ChunkCounter[] = [];
  let lastData = 0;
  let bytes = 0;
  const path = follow === 'errors' ? '/api/stream?level=ERROR' : `/api/stream?source=${encodeURIComponent(join(ws.logs, 'quiet.log'))}`;
  let stalled: Awaited<ReturnType<typeof openStalledSse>> | undefined;
  try {
    const { hostname, port } = new URL(lw.url);
    for (let i = 0; i < clients - 1; i++) {
      const counter = new ChunkCounter('event: log\n');
      counters.push(counter);
      conns.push(
        await openSse(`${lw.url}${path}`, (text) => {
          counter.push(text);
          bytes += text.length;
          lastData = performance.now();
        }),
      );
    }
    if (clients > 0) stalled = await openStalledSse(hostname, Number(port), '/api/stream');
    await sleep(500);
    const rssBefore = lw.rss();
    const cpu0 = lw.cpuSeconds();
    const t0 = performance.now();
    appendFile(data.path, target);
    const done = await lw.waitForTotal(data.lines, 600_000, 10);
    const cpuSeconds = lw.cpuSeconds() - cpu0;
    const rssAfter = lw.rss();
    const expected = follow === 'errors' ? errors : 0;
    const result: FanoutRun = { runtime, clients, follow, seconds: (done - t0) / 1000, cpuSeconds, rssBefore, rssAfter, errors: expected };
    if (clients > 0) {
      // Let the last frames arrive, then see what each client got.
      for (let waited = 0; waited < 10_000 && counters.some((c) => c.count < expected); waited += 100) await sleep(100);
      if (follow === 'quiet') await sleep(200);
      result.bytes = bytes;
      const counts = counters.map((c) => c.count).sort((a, b) => a - b);
      result.received = { min: counts[0]!, median: median(counts), max: counts[counts.length - 1]! };
      result.deliveredAfter = Math.max(0, (lastData - done) / 1000);
      const metrics = await (await fetch(`${lw.url}/metrics`)).text();
      result.dropped = Number(/^logwatch_dropped_total\S*\s+(\d+)/m.exec(metrics)?.[1] ?? NaN);
      result.disconnectedSlow = Number(/^logwatch_sse_slow_disconnects_total\S*\s+(\d+)/m.exec(metrics)?.[1] ?? NaN);
    }
    return result;
  } finally {
    for (const c of conns) c.close();
    stalled?.destroy();
    await lw.stop();
    ws.remove();
  }
}

export async function fanout(options: { rounds: number; clients: number; runtimes: Runtime[]; log: (s: string) => void }): Promise<FanoutRun[]> {
  if (options.runtimes.includes('node')) ensureNodeBundle();
  const data = dataFile('access');
  const errors = countErrors(data);
  const runs: FanoutRun[] = [];
  for (let round = 0; round < options.rounds; round++) {
    for (const runtime of options.runtimes) {
      for (const [clients, follow] of [[0, 'errors'], [options.clients, 'errors'], [options.clients, 'quiet']] as const) {
        const r = await run(runtime, data, clients, errors, follow);
        runs.push(r);
        options.log(
          `  fanout ${runtime} ${clients} clients (${follow}) round ${round + 1}: ${fmtRate(data.lines / r.seconds)} lines/s (${r.seconds.toFixed(2)} s, ${r.cpuSeconds.toFixed(2)} CPU-s), RSS ${(r.rssBefore / 2 ** 20).toFixed(0)} → ${(r.rssAfter / 2 ** 20).toFixed(0)} MB` +
            (r.received ? `; live clients got ${r.received.min}–${r.received.max} of ${r.errors} errors (${((r.bytes ?? 0) / 1e6).toFixed(0)} MB in all), dropped ${r.dropped}, slow disconnected ${r.disconnectedSlow}, last frame ${r.deliveredAfter!.toFixed(2)} s after the last entry` : ''),
        );
      }
    }
  }
  return runs;
}

/** Lines of the access data file with a 5xx status (what `level=ERROR` matches). */
function countErrors(data: DataFile): number {
  const text = readFileSync(data.path, 'utf8');
  let n = 0;
  for (const m of text.matchAll(/" (5\d\d) /g)) if (m[1]) n++;
  return n;
}

export function fanoutSection(runs: FanoutRun[], rounds: number, clients: number, m = machine()): string {
  const rows: string[][] = [];
  const lines = 1_000_000;
  for (const runtime of ['bun', 'node'] as const) {
    const without = runs.filter((r) => r.runtime === runtime && r.clients === 0);
    if (without.length === 0) continue;
    for (const follow of ['errors', 'quiet'] as const) {
      const withClients = runs.filter((r) => r.runtime === runtime && r.clients > 0 && r.follow === follow);
      if (withClients.length === 0) continue;
      const ratios = withClients.map((w, i) => without[i]!.seconds / w.seconds);
      const w0 = withClients[0]!;
      rows.push([
        `${runtime === 'bun' ? 'Bun' : 'Node'}, clients follow ${follow === 'errors' ? '`level=ERROR`' : 'a quiet source'}`,
        fmtRate(lines / median(without.map((r) => r.seconds))),
        fmtRate(lines / median(withClients.map((r) => r.seconds))),
        `**${fmtRatio(median(ratios))}**`,
        `${(median(without.map((r) => r.rssAfter)) / 2 ** 20).toFixed(0)} MB`,
        `${(median(withClients.map((r) => r.rssBefore)) / 2 ** 20).toFixed(0)} → ${(median(withClients.map((r) => r.rssAfter)) / 2 ** 20).toFixed(0)} MB`,
        `${median(withClients.map((r) => r.received!.min))} – ${median(withClients.map((r) => r.received!.max))} of ${w0.errors}`,
        `${(median(withClients.map((r) => r.bytes ?? 0)) / 1e6).toFixed(0)} MB`,
        `${median(withClients.map((r) => r.deliveredAfter!)).toFixed(2)} s`,
        `${median(withClients.map((r) => r.dropped!))}`,
      ]);
    }
  }
  return [
    '## Fan-out: 1000 SSE clients while ingesting',
    '',
    `\`bun bench/fanout.ts\`. ${machineLine(m)}. The file ingest of the 1 M-line access file (format configured) with no SSE client,`,
    `then with ${clients} clients connected before it starts: ${clients - 1} follow either \`/api/stream?level=ERROR\` (the 5xx lines, 0.2 % of the`,
    'file: every client gets every one of them, about 1.4 MB each) or a source nothing is written to (they get only the alerts, stats and',
    'pings: the cost of having them connected), and one client asks for everything and never reads (its socket paused: its queue fills,',
    'then its events are dropped and counted). The live clients run in the benchmark process, on the same 2 cores. Medians of',
    `${rounds} rounds; the ratio is paired per round.`,
    '',
    table(['runtime, clients', 'lines/s, no client', `lines/s, ${clients} clients`, 'with ÷ without', 'RSS after, no client', 'RSS before → after, with clients', 'events per live client (min – max)', 'SSE received, all clients', 'last frame after last entry', 'events dropped (stalled client)'], rows),
    '',
  ].join('\n');
}

if (process.argv[1]?.endsWith('fanout.ts')) {
  const rounds = Number(arg('rounds', '3'));
  const clients = Number(arg('clients', '1000'));
  const runtimes = arg('runtimes', 'bun,node').split(',') as Runtime[];
  const m = machine();
  const runs = await fanout({ rounds, clients, runtimes, log: console.log });
  if (!flag('no-write')) saveJson('fanout', { machine: m, rounds, clients, runs });
  const section = fanoutSection(runs, rounds, clients, m);
  console.log(`\n${section}`);
  if (!flag('no-write')) writeSection('fanout', section);
}
