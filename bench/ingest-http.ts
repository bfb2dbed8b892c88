// HTTP ingest: batches of 1000 lines (text/plain, access lines) POSTed over keep-alive connections
// as fast as LogWatch answers 202 (closed loop, autocannon on Node in a process of its own), and
// single-line POSTs. Lines are durable in the spool (no fsync, the default) before each 202.
//
//   bun bench/ingest-http.ts [--rounds 3] [--runtimes bun,node] [--duration 10] [--no-write]
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accessLine, prng } from './lib/data.ts';
import { arg, BENCH_OUT, flag, fmtMs, fmtRate, machine, machineLine, median, REPO } from './lib/env.ts';
import { ensureNodeBundle, startLogWatch, workspace, type Runtime } from './lib/logwatch.ts';
import { saveJson, table, writeSection } from './lib/results.ts';

interface CannonResult {
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  reqPerSec: number;
  latency: { p50: number; p99: number; max: number };
}

export interface HttpRun {
  mode: 'batch' | 'single';
  runtime: Runtime;
  connections: number;
  linesPerRequest: number;
  result: CannonResult;
  linesPerSec: number;
  counted: number;
  cpuSeconds: number;
}

const BATCH_LINES = 1000;

function body(lines: number): string {
  const rand = prng(99);
  let text = '';
  for (let i = 0; i < lines; i++) text += `${accessLine(i, rand)}\n`;
  return text;
}

function cannon(options: Record<string, unknown>): CannonResult {
  const res = spawnSync('node', [join(REPO, 'bench', 'clients', 'autocannon-run.mjs'), JSON.stringify(options)], { encoding: 'utf8', maxBuffer: 8 << 20 });
  if (res.status !== 0) throw new Error(`autocannon failed: ${res.stderr}`);
  return JSON.parse(res.stdout.trim().split('\n').pop()!) as CannonResult;
}

async function runOne(runtime: Runtime, mode: 'batch' | 'single', duration: number, bodyFile: string): Promise<HttpRun> {
  const ws = workspace(`http-${mode}-${runtime}`);
  const lw = await startLogWatch(runtime, ws, { watch: [], ingest: { maxBodyBytes: 4 * 1024 * 1024, rateLimit: false /* measures capacity, not the per-client limit */ } });
  try {
    const connections = mode === 'batch' ? 8 : 32;
    const linesPerRequest = mode === 'batch' ? BATCH_LINES : 1;
    // Warm-up: the JIT and the spool's first segment.
    cannon({ url: `${lw.url}/api/ingest?source=bench`, connections, duration: 1, bodyFile });
    const before = await lw.totalLogs();
    const cpu0 = lw.cpuSeconds();
    const result = cannon({ url: `${lw.url}/api/ingest?source=bench`, connections, duration, bodyFile });
    const cpuSeconds = lw.cpuSeconds() - cpu0;
    const counted = (await lw.totalLogs()) - before;
    return { mode, runtime, connections, linesPerRequest, result, linesPerSec: (result.ok * linesPerRequest) / result.seconds, counted, cpuSeconds };
  } finally {
    await lw.stop();
    ws.remove();
  }
}

export async function ingestHttp(options: { rounds: number; runtimes: Runtime[]; duration: number; log: (s: string) => void }): Promise<HttpRun[]> {
  if (options.runtimes.includes('node')) ensureNodeBundle();
  const dir = join(BENCH_OUT, 'work');
  mkdirSync(dir, { recursive: true });
  const batchFile = join(dir, 'http-batch.txt');
  const singleFile = join(dir, 'http-single.txt');
  writeFileSync(batchFile, body(BATCH_LINES));
  writeFileSync(singleFile, body(1));
  const runs: HttpRun[] = [];
  for (let round = 0; round < options.rounds; round++) {
    for (const runtime of options.runtimes) {
      for (const mode of ['batch', 'single'] as const) {
        const run = await runOne(runtime, mode, options.duration, mode === 'batch' ? batchFile : singleFile);
        runs.push(run);
        options.log(`  http ${mode} ${runtime} round ${round + 1}: ${fmtRate(run.result.reqPerSec)} req/s, ${fmtRate(run.linesPerSec)} lines/s, p99 ${run.result.latency.p99} ms, non-2xx ${run.result.non2xx}, errors ${run.result.errors}, counted ${run.counted}, ${run.cpuSeconds.toFixed(1)} CPU-s`);
      }
    }
  }
  return runs;
}

export function ingestHttpSection(runs: HttpRun[], rounds: number, duration: number, m = machine()): string {
  const rows: string[][] = [];
  for (const mode of ['batch', 'single'] as const) {
    for (const runtime of ['bun', 'node'] as const) {
      const rs = runs.filter((r) => r.mode === mode && r.runtime === runtime);
      if (rs.length === 0) continue;
      const first = rs[0]!;
      rows.push([
        `${mode === 'batch' ? `${BATCH_LINES}-line batches` : 'single lines'}, ${runtime === 'bun' ? 'Bun' : 'Node'}`,
        String(first.connections),
        fmtRate(median(rs.map((r) => r.result.reqPerSec))),
        `**${fmtRate(median(rs.map((r) => r.linesPerSec)))}**`,
        fmtMs(median(rs.map((r) => r.result.latency.p50))),
        fmtMs(median(rs.map((r) => r.result.latency.p99))),
        `${(median(rs.map((r) => r.cpuSeconds / r.result.seconds)) * 100).toFixed(0)} %`,
        String(rs.reduce((n, r) => n + r.result.non2xx + r.result.errors, 0)),
      ]);
    }
  }
  return [
    '## HTTP ingest',
    '',
    `\`bun bench/ingest-http.ts\`. ${machineLine(m)}. LogWatch as a real process; \`POST /api/ingest?source=bench\` with \`text/plain\``,
    `bodies of access lines (190 bytes each), closed loop over keep-alive connections for ${duration} s after a 1 s warm-up, by autocannon`,
    '(on Node, in its own process: the client shares the 2 cores). A 202 means the lines are in the spool (written, not fsynced: the',
    `default) and handed to the pipeline, which parsed and stored them before the answer. Medians of ${rounds} rounds.`,
    '',
    table(['load', 'connections', 'requests/s', 'lines/s', 'p50 ms', 'p99 ms', 'LogWatch CPU', 'non-2xx + errors'], rows),
    '',
  ].join('\n');
}

if (process.argv[1]?.endsWith('ingest-http.ts')) {
  const rounds = Number(arg('rounds', '3'));
  const duration = Number(arg('duration', '10'));
  const runtimes = arg('runtimes', 'bun,node').split(',') as Runtime[];
  const m = machine();
  const runs = await ingestHttp({ rounds, runtimes, duration, log: console.log });
  if (!flag('no-write')) saveJson('ingest-http', { machine: m, rounds, duration, runs });
  const section = ingestHttpSection(runs, rounds, duration, m);
  console.log(`\n${section}`);
  if (!flag('no-write')) writeSection('ingest-http', section);
}
