// Append → SSE latency: one line appended to a watched file (one write), timed until an SSE client of
// /api/stream (filtered to that file's source) receives it. ≥ 1000 samples 5–15 ms apart, idle for each
// probe format (access, and the formats whose entries are held in case continuation lines follow:
// Python, log4j, syslog), and for access lines while a writer appends 100 000 lines/s of access lines
// to another watched file.
//
//   bun bench/latency.ts [--rounds 1] [--samples 1000] [--runtimes bun,node] [--formats access,python,log4j,syslog]
//                        [--scenarios idle,load] [--no-write]
import { spawn } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataFile } from './lib/data.ts';
import { arg, flag, fmtMs, fmtRate, machine, machineLine, median, quantile, REPO, sleep } from './lib/env.ts';
import { ensureNodeBundle, startLogWatch, workspace, type Runtime } from './lib/logwatch.ts';
import { saveJson, table, writeSection } from './lib/results.ts';
import { openSse } from './lib/sse.ts';

/** Probe line formats: access lines are never held; the others are held for continuation lines. */
export type ProbeFormat = 'access' | 'python' | 'log4j' | 'syslog';
export const PROBE_FORMATS: readonly ProbeFormat[] = ['access', 'python', 'log4j', 'syslog'];

export interface LatencyRun {
  runtime: Runtime;
  /** `held` is the scenario of results from before per-format idle runs (a Python probe, idle). */
  scenario: 'idle' | 'load' | 'held';
  /** The probe's format (results before it was recorded: access, or python for `held`). */
  format?: ProbeFormat;
  samples: number[];
  lost: number;
  /** Lines/s the background writer achieved (load only) and what LogWatch counted meanwhile. */
  writerRate?: number;
  countedRate?: number;
}

const LOAD_RATE = 100_000;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function probeLine(seq: number, format: ProbeFormat): string {
  const now = new Date();
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const iso = `${now.getUTCFullYear()}-${p(now.getUTCMonth() + 1)}-${p(now.getUTCDate())} ${p(now.getUTCHours())}:${p(now.getUTCMinutes())}:${p(now.getUTCSeconds())},${p(now.getUTCMilliseconds(), 3)}`;
  if (format === 'python') return `${iso} - probe - INFO - probe ${seq} done`;
  if (format === 'log4j') return `${iso} INFO [main] org.example.Probe: probe ${seq} done`;
  if (format === 'syslog') {
    return `${MONTHS[now.getMonth()]} ${String(now.getDate()).padStart(2, ' ')} ${p(now.getHours())}:${p(now.getMinutes())}:${p(now.getSeconds())} bench probe[42]: probe ${seq} done`;
  }
  const months = MONTHS;
  const ts = `${p(now.getUTCDate())}/${months[now.getUTCMonth()]}/${now.getUTCFullYear()}:${p(now.getUTCHours())}:${p(now.getUTCMinutes())}:${p(now.getUTCSeconds())} +0000`;
  return `10.9.8.7 - - [${ts}] "GET /probe/${seq} HTTP/1.1" 200 512 "-" "latency-probe"`;
}

async function measure(runtime: Runtime, scenario: 'idle' | 'load', format: ProbeFormat, samples: number, log: (s: string) => void): Promise<LatencyRun> {
  const ws = workspace(`latency-${scenario}-${format}-${runtime}`);
  const probeFile = join(ws.logs, 'probe.log');
  const loadFile = join(ws.logs, 'load.log');
  writeFileSync(probeFile, '');
  writeFileSync(loadFile, '');
  const lw = await startLogWatch(runtime, ws, { watch: [join(ws.logs, '*.log')] });
  let writer: ReturnType<typeof spawn> | undefined;
  const pending = new Map<string, number>();
  const got: number[] = [];
  let buffer = '';
  const marker = format === 'access' ? /\/probe\/(\d+) /g : /probe (\d+) done/g;
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
      await sleep(5 + Math.random() * 10);
      if (seq === -1) got.length = 0;
    }
    await sleep(500);
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
    const run: LatencyRun = { runtime, scenario, format, samples: got, lost: pending.size, writerRate: writerResult?.rate, countedRate };
    log(`  latency ${scenario} ${format} ${runtime}: ${got.length} samples, p50 ${fmtMs(quantile(got, 0.5))} ms, p99 ${fmtMs(quantile(got, 0.99))} ms, max ${fmtMs(Math.max(...got))} ms, lost ${pending.size}${writerResult ? `, writer ${fmtRate(writerResult.rate)} lines/s, LogWatch counted ${fmtRate(countedRate!)} lines/s` : ''}`);
    return run;
  } finally {
    writer?.kill('SIGKILL');
    sse.close();
    await lw.stop();
    ws.remove();
  }
}

export interface LatencyOptions {
  rounds: number;
  samples: number;
  runtimes: Runtime[];
  formats?: readonly ProbeFormat[];
  scenarios?: ReadonlyArray<'idle' | 'load'>;
  log: (s: string) => void;
}

export async function latency(options: LatencyOptions): Promise<LatencyRun[]> {
  if (options.runtimes.includes('node')) ensureNodeBundle();
  const formats = options.formats ?? PROBE_FORMATS;
  const scenarios = options.scenarios ?? ['idle', 'load'];
  const runs: LatencyRun[] = [];
  for (let round = 0; round < options.rounds; round++) {
    for (const runtime of options.runtimes) {
      if (scenarios.includes('idle')) for (const format of formats) runs.push(await measure(runtime, 'idle', format, options.samples, options.log));
      // Under load only access probes: the load is about the reader and fan-out, not the format.
      if (scenarios.includes('load')) runs.push(await measure(runtime, 'load', 'access', options.samples, options.log));
    }
  }
  return runs;
}

/** The probe format of a run, for results saved before it was recorded. */
export function formatOf(run: LatencyRun): ProbeFormat {
  return run.format ?? (run.scenario === 'held' ? 'python' : 'access');
}

export function latencySection(runs: LatencyRun[], samples: number, m = machine()): string {
  const rows: string[][] = [];
  const label = { idle: 'idle', load: `${fmtRate(LOAD_RATE)} lines/s to another file`, held: 'idle' } as const;
  const groups: Array<['idle' | 'load' | 'held', ProbeFormat]> = [
    ...PROBE_FORMATS.map((f) => ['idle', f] as ['idle', ProbeFormat]),
    ['load', 'access'],
    ['held', 'python'],
  ];
  for (const [scenario, format] of groups) {
    for (const runtime of ['bun', 'node'] as const) {
      const rs = runs.filter((r) => r.runtime === runtime && r.scenario === scenario && formatOf(r) === format);
      if (rs.length === 0) continue;
      const all = rs.flatMap((r) => r.samples);
      rows.push([
        `${runtime === 'bun' ? 'Bun' : 'Node'}, ${format}, ${label[scenario]}`,
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
    `\`bun bench/latency.ts\`. ${machineLine(m)}. One line appended with one write to a watched file; the time runs until an SSE client`,
    'of `/api/stream?source=<that file>` receives it. Probes are',
    `5–15 ms apart (${samples} per run, after 5 unmeasured ones). Access lines are never held; Python, log4j and syslog entries are held in`,
    'case continuation lines follow, and go out `parse.multilineGraceMs` (3 ms) after the reader reached the end of the file (at most',
    '`parse.multilineTimeoutMs`, 250 ms). Under load a separate writer process appends access lines to another watched file in a write',
    'every 10 ms. The client and the writer share the 2 cores with LogWatch.',
    '',
    table(['runtime, load', 'samples', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'lost', 'writer / LogWatch lines/s'], rows),
    '',
  ].join('\n');
}

if (process.argv[1]?.endsWith('latency.ts')) {
  const rounds = Number(arg('rounds', '1'));
  const samples = Number(arg('samples', '1000'));
  const runtimes = arg('runtimes', 'bun,node').split(',') as Runtime[];
  const formats = arg('formats', PROBE_FORMATS.join(',')).split(',') as ProbeFormat[];
  const scenarios = arg('scenarios', 'idle,load').split(',') as Array<'idle' | 'load'>;
  const m = machine();
  const runs = await latency({ rounds, samples, runtimes, formats, scenarios, log: console.log });
  if (!flag('no-write')) saveJson('latency', { machine: m, rounds, samples, runs });
  const section = latencySection(runs, samples, m);
  console.log(`\n${section}`);
  if (!flag('no-write')) writeSection('latency', section);
}
