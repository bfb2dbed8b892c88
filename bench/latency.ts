// Append → SSE latency: one access line appended to a watched file (one write), timed until an SSE
// client of /api/stream (filtered to that file's source) receives it. ≥ 1000 samples 5–15 ms apart,
// idle and while a writer appends 100 000 lines/s of access lines to another watched file. A short
// run with a multi-line format (Python logging) shows the hold of a possibly continued entry.
//
//   bun bench/latency.ts [--rounds 1] [--samples 1000] [--runtimes bun,node] [--no-write]
import { spawn } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataFile } from './lib/data.ts';
import { arg, flag, fmtMs, fmtRate, machine, machineLine, median, quantile, REPO, sleep } from './lib/env.ts';
import { ensureNodeBundle, startLogWatch, workspace, type Runtime } from './lib/logwatch.ts';
import { saveJson, table, writeSection } from './lib/results.ts';
import { openSse } from './lib/sse.ts';

export interface LatencyRun {
  runtime: Runtime;
  scenario: 'idle' | 'load' | 'held';
  samples: number[];
  lost: number;
  /** Lines/s the background writer achieved (load only) and what LogWatch counted meanwhile. */
  writerRate?: number;
  countedRate?: number;
}

const LOAD_RATE = 100_000;

function probeLine(seq: number, format: 'access' | 'python'): string {
  const now = new Date();
  if (format === 'python') {
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    return `${now.getUTCFullYear()}-${p(now.getUTCMonth() + 1)}-${p(now.getUTCDate())} ${p(now.getUTCHours())}:${p(now.getUTCMinutes())}:${p(now.getUTCSeconds())},${p(now.getUTCMilliseconds(), 3)} - probe - INFO - probe ${seq} done`;
  }
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  const ts = `${p(now.getUTCDate())}/${months[now.getUTCMonth()]}/${now.getUTCFullYear()}:${p(now.getUTCHours())}:${p(now.getUTCMinutes())}:${p(now.getUTCSeconds())} +0000`;
  return `10.9.8.7 - - [${ts}] "GET /probe/${seq} HTTP/1.1" 200 512 "-" "latency-probe"`;
}

async function measure(runtime: Runtime, scenario: LatencyRun['scenario'], samples: number, log: (s: string) => void): Promise<LatencyRun> {
  const ws = workspace(`latency-${scenario}-${runtime}`);
  const probeFile = join(ws.logs, 'probe.log');
  const loadFile = join(ws.logs, 'load.log');
  writeFileSync(probeFile, '');
  writeFileSync(loadFile, '');
  const format = scenario === 'held' ? 'python' : 'access';
  const lw = await startLogWatch(runtime, ws, { watch: [join(ws.logs, '*.log')] });
  let writer: ReturnType<typeof spawn> | undefined;
  const pending = new Map<string, number>();
  const got: number[] = [];
  let buffer = '';
  const marker = format === 'python' ? /probe (\d+) done/g : /\/probe\/(\d+) /g;
  const sse = await openSse(`${lw.url}/api/stream?source=${encodeURIComponent(probeFile)}`, (text) => {
    const at = performance.now();
    buffer += text;
    let last = 0;
    for (const m of buffer.matchAll(marker)) {
      const sent = pending.get(m[1]!);
      if (sent !== undefined) {
        got.push(at - sent);
        pending.delete(m[1]!);
      }
      last = m.index! + m[0].length;
    }
    buffer = buffer.slice(Math.max(last, buffer.length - 64));
  });
  try {
    let writerResult: { written: number; seconds: number; rate: number } | undefined;
    let counted0 = 0;
    let t0 = 0;
    if (scenario === 'load') {
      writer = spawn('node', [join(REPO, 'bench', 'clients', 'writer.mjs'), dataFile('access').path, loadFile, String(LOAD_RATE), '10'], { stdio: ['ignore', 'pipe', 'inherit'] });
      await sleep(2000); // the writer and LogWatch reach a steady state
      counted0 = await lw.totalLogs();
      t0 = performance.now();
    } else {
      await sleep(500);
    }
    // A few probes first (JIT, first read of the file), not counted.
    for (let seq = -5; seq < samples; seq++) {
      const key = String(seq < 0 ? 1_000_000 + seq : seq);
      pending.set(key, performance.now());
      appendFileSync(probeFile, `${probeLine(Number(key), format)}\n`);
      const wait = scenario === 'held' ? 400 : 5 + Math.random() * 10;
      await sleep(wait);
      if (seq === -1) got.length = 0;
    }
    await sleep(scenario === 'held' ? 1000 : 500);
    let countedRate: number | undefined;
    if (writer !== undefined) {
      countedRate = ((await lw.totalLogs()) - counted0 - samples) / ((performance.now() - t0) / 1000);
      const out = new Promise<string>((resolve) => {
        let text = '';
        writer!.stdout!.on('data', (d: Buffer) => (text += d.toString()));
        writer!.once('exit', () => resolve(text));
      });
      writer.kill('SIGTERM');
      writerResult = JSON.parse((await out).trim()) as { written: number; seconds: number; rate: number };
    }
    const run: LatencyRun = { runtime, scenario, samples: got, lost: pending.size, writerRate: writerResult?.rate, countedRate };
    log(`  latency ${scenario} ${runtime}: ${got.length} samples, p50 ${fmtMs(quantile(got, 0.5))} ms, p99 ${fmtMs(quantile(got, 0.99))} ms, max ${fmtMs(Math.max(...got))} ms, lost ${pending.size}${writerResult ? `, writer ${fmtRate(writerResult.rate)} lines/s, LogWatch counted ${fmtRate(countedRate!)} lines/s` : ''}`);
    return run;
  } finally {
    writer?.kill('SIGKILL');
    sse.close();
    await lw.stop();
    ws.remove();
  }
}

export async function latency(options: { rounds: number; samples: number; runtimes: Runtime[]; log: (s: string) => void }): Promise<LatencyRun[]> {
  if (options.runtimes.includes('node')) ensureNodeBundle();
  const runs: LatencyRun[] = [];
  for (let round = 0; round < options.rounds; round++) {
    for (const runtime of options.runtimes) {
      runs.push(await measure(runtime, 'idle', options.samples, options.log));
      runs.push(await measure(runtime, 'load', options.samples, options.log));
      if (round === 0) runs.push(await measure(runtime, 'held', 20, options.log));
    }
  }
  return runs;
}

export function latencySection(runs: LatencyRun[], samples: number, m = machine()): string {
  const rows: string[][] = [];
  const label = { idle: 'idle', load: `${fmtRate(LOAD_RATE)} lines/s to another file`, held: 'idle, Python format (held entry)' } as const;
  for (const scenario of ['idle', 'load', 'held'] as const) {
    for (const runtime of ['bun', 'node'] as const) {
      const rs = runs.filter((r) => r.runtime === runtime && r.scenario === scenario);
      if (rs.length === 0) continue;
      const all = rs.flatMap((r) => r.samples);
      rows.push([
        `${runtime === 'bun' ? 'Bun' : 'Node'}, ${label[scenario]}`,
        String(all.length),
        `**${fmtMs(quantile(all, 0.5))}**`,
        fmtMs(quantile(all, 0.9)),
        `**${fmtMs(quantile(all, 0.99))}**`,
        fmtMs(Math.max(...all)),
        String(rs.reduce((n, r) => n + r.lost, 0)),
        scenario === 'load' ? `${fmtRate(median(rs.map((r) => r.writerRate!)))} / ${fmtRate(median(rs.map((r) => r.countedRate!)))}` : '',
      ]);
    }
  }
  return [
    '## Latency: append → SSE',
    '',
    `\`bun bench/latency.ts\`. ${machineLine(m)}. One access line (emitted at once: access and JSON lines are never held) appended`,
    'with one write to a watched file; the time runs until an SSE client of `/api/stream?source=<that file>` receives it. Probes are',
    `5–15 ms apart (${samples} per run, after 5 unmeasured ones). Under load a separate writer process appends access lines to another`,
    'watched file in a write every 10 ms. The client and the writer share the 2 cores with LogWatch. Python-format probes show the hold of',
    'an entry that continuation lines may still extend (`parse.multilineTimeoutMs`, 250 ms by default, lower it for faster delivery).',
    '',
    table(['runtime, load', 'samples', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'lost', 'writer / LogWatch lines/s'], rows),
    '',
  ].join('\n');
}

if (process.argv[1]?.endsWith('latency.ts')) {
  const rounds = Number(arg('rounds', '1'));
  const samples = Number(arg('samples', '1000'));
  const runtimes = arg('runtimes', 'bun,node').split(',') as Runtime[];
  const m = machine();
  const runs = await latency({ rounds, samples, runtimes, log: console.log });
  if (!flag('no-write')) saveJson('latency', { machine: m, rounds, samples, runs });
  const section = latencySection(runs, samples, m);
  console.log(`\n${section}`);
  if (!flag('no-write')) writeSection('latency', section);
}
