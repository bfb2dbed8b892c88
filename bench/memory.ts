// Memory: RSS of a LogWatch process while 10 M access lines flow through the default ring buffer
// (10 000 entries): it must stay flat. Then RSS with larger buffers, filled, for the cost of each
// 100 000 buffered entries (access lines, and JSON lines whose metadata is parsed on first read).
// `--mixed` measures issue 11's case instead: a 1 000 000-line access log read at full speed while
// 200 000 lines are POSTed to /api/ingest, default buffer; RSS sampled every 50 ms (peak) and 2 s after.
//
//   bun bench/memory.ts [--millions 10] [--runtimes bun,node] [--mixed [--rounds 3]] [--no-write]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendFile } from './lib/append.ts';
import { dataFile, type BenchFormat } from './lib/data.ts';
import { arg, flag, machine, machineLine, sleep } from './lib/env.ts';
import { ensureNodeBundle, startLogWatch, workspace, type Runtime } from './lib/logwatch.ts';
import { saveJson, table, writeSection } from './lib/results.ts';

export interface FlatRun {
  runtime: Runtime;
  /** RSS (MB) after each million lines, the first value at start. */
  rssMb: number[];
  seconds: number;
}

export interface BufferRun {
  runtime: Runtime;
  format: BenchFormat;
  capacity: number;
  rssMb: number;
}

const MB = 2 ** 20;

async function flat(runtime: Runtime, millions: number, log: (s: string) => void): Promise<FlatRun> {
  const ws = workspace(`memory-${runtime}`);
  const target = join(ws.logs, 'bench.log');
  writeFileSync(target, '');
  const data = dataFile('access');
  const lw = await startLogWatch(runtime, ws, { watch: [join(ws.logs, '*.log')] });
  try {
    await sleep(500);
    const rssMb = [lw.rss() / MB];
    const t0 = performance.now();
    for (let m = 1; m <= millions; m++) {
      appendFile(data.path, target);
      await lw.waitForTotal(m * data.lines, 600_000, 20);
      rssMb.push(lw.rss() / MB);
      log(`  memory ${runtime}: ${m} M lines, RSS ${rssMb[rssMb.length - 1]!.toFixed(0)} MB`);
    }
    const seconds = (performance.now() - t0) / 1000;
    await sleep(2000);
    rssMb.push(lw.rss() / MB);
    return { runtime, rssMb, seconds };
  } finally {
    await lw.stop();
    ws.remove();
  }
}

export interface MixedRun {
  runtime: Runtime;
  peakMb: number;
  settledMb: number;
  seconds: number;
}

const MIXED_FILE_LINES = 1_000_000;
const MIXED_INGEST_LINES = 200_000;
const INGEST_BATCH = 1000;

/** The file appended in one go and the ingest requests sent (4 in flight) at the same time. */
async function mixed(runtime: Runtime, log: (s: string) => void): Promise<MixedRun> {
  const ws = workspace(`memory-mixed-${runtime}`);
  const target = join(ws.logs, 'bench.log');
  writeFileSync(target, '');
  const data = dataFile('access');
  const lw = await startLogWatch(runtime, ws, { watch: [join(ws.logs, '*.log')] });
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, lw.rss() / MB)), 50);
  try {
    await sleep(500);
    const body = readFileSync(dataFile('access', INGEST_BATCH).path, 'utf8');
    const t0 = performance.now();
    const copies = Math.ceil(MIXED_FILE_LINES / data.lines);
    const writing = (async () => {
      for (let i = 0; i < copies; i++) {
        appendFile(data.path, target);
        await sleep(0);
      }
    })();
    let sent = 0;
    const worker = async () => {
      while (sent < MIXED_INGEST_LINES) {
        sent += INGEST_BATCH;
        const res = await fetch(`${lw.url}/api/ingest?source=ingested`, { method: 'POST', body, headers: { 'Content-Type': 'text/plain' } });
        await res.arrayBuffer();
        if (res.status === 429) sent -= INGEST_BATCH; // backed up: sent again
      }
    };
    await Promise.all([writing, worker(), worker(), worker(), worker()]);
    await lw.waitForTotal(copies * data.lines + MIXED_INGEST_LINES, 600_000, 20);
    const seconds = (performance.now() - t0) / 1000;
    await sleep(2000);
    const settled = lw.rss() / MB;
    peak = Math.max(peak, settled);
    log(`  memory mixed ${runtime}: peak ${peak.toFixed(0)} MB, settled ${settled.toFixed(0)} MB, ${seconds.toFixed(1)} s`);
    return { runtime, peakMb: peak, settledMb: settled, seconds };
  } finally {
    clearInterval(sampler);
    await lw.stop();
    ws.remove();
  }
}

async function buffered(runtime: Runtime, format: BenchFormat, capacity: number): Promise<BufferRun> {
  const ws = workspace(`memory-buffer-${runtime}`);
  const target = join(ws.logs, 'bench.log');
  writeFileSync(target, '');
  const data = dataFile(format);
  const lw = await startLogWatch(runtime, ws, { watch: [join(ws.logs, '*.log')], buffer: { capacity } });
  try {
    await sleep(500);
    appendFile(data.path, target);
    await lw.waitForTotal(data.lines, 600_000, 20);
    await sleep(2000);
    return { runtime, format, capacity, rssMb: lw.rss() / MB };
  } finally {
    await lw.stop();
    ws.remove();
  }
}

export async function memory(options: { millions: number; runtimes: Runtime[]; log: (s: string) => void }): Promise<{ flat: FlatRun[]; buffers: BufferRun[] }> {
  if (options.runtimes.includes('node')) ensureNodeBundle();
  const flats: FlatRun[] = [];
  const buffers: BufferRun[] = [];
  for (const runtime of options.runtimes) {
    flats.push(await flat(runtime, options.millions, options.log));
    for (const format of ['access', 'json'] as const) {
      for (const capacity of [10_000, 100_000, 500_000]) {
        const r = await buffered(runtime, format, capacity);
        buffers.push(r);
        options.log(`  memory ${runtime} ${format}: buffer ${capacity}, RSS ${r.rssMb.toFixed(0)} MB`);
      }
    }
  }
  return { flat: flats, buffers };
}

export function memorySection(result: { flat: FlatRun[]; buffers: BufferRun[] }, millions: number, m = machine()): string {
  const flatRows = result.flat.map((r) => [
    r.runtime === 'bun' ? 'Bun' : 'Node',
    r.rssMb[0]!.toFixed(0),
    r.rssMb[1]!.toFixed(0),
    r.rssMb[Math.min(5, r.rssMb.length - 2)]!.toFixed(0),
    `**${r.rssMb[r.rssMb.length - 2]!.toFixed(0)}**`,
    Math.max(...r.rssMb).toFixed(0),
    r.rssMb[r.rssMb.length - 1]!.toFixed(0),
  ]);
  const bufferRows: string[][] = [];
  for (const runtime of ['bun', 'node'] as const) {
    for (const format of ['access', 'json'] as const) {
      const rs = result.buffers.filter((b) => b.runtime === runtime && b.format === format).sort((a, b) => a.capacity - b.capacity);
      if (rs.length < 2) continue;
      const first = rs[0]!;
      const last = rs[rs.length - 1]!;
      const per100k = ((last.rssMb - first.rssMb) / (last.capacity - first.capacity)) * 100_000;
      bufferRows.push([`${runtime === 'bun' ? 'Bun' : 'Node'}, ${format}`, ...rs.map((r) => r.rssMb.toFixed(0)), `**${per100k.toFixed(0)} MB**`, `${((per100k * MB) / 100_000).toFixed(0)} B`]);
    }
  }
  const caps = [...new Set(result.buffers.map((b) => b.capacity))].sort((a, b) => a - b);
  return [
    '## Memory',
    '',
    `\`bun bench/memory.ts\`. ${machineLine(m)}. RSS of the LogWatch process (from /proc) with the default config while ${millions} M access`,
    'lines are appended, a million at a time (each counted before the next); then, in fresh processes, RSS after 1 M lines with larger',
    'ring buffers (filled), 2 s after the last line. Access and JSON entries keep their raw line and build their metadata only when',
    'it is read (an API call, a filter on metadata, an SSE client), so a buffered entry costs its line and a small object.',
    '',
    table(['runtime', 'RSS at start MB', 'after 1 M', 'after 5 M', `after ${millions} M`, 'max', '2 s later'], flatRows),
    '',
    table(['runtime, lines', ...caps.map((c) => `buffer ${c.toLocaleString('en')} MB`), 'per 100 000 entries', 'per entry'], bufferRows),
    '',
  ].join('\n');
}

export function mixedSection(runs: MixedRun[], m = machine()): string {
  return [
    '## Memory: a file read at full speed while lines are ingested',
    '',
    `\`bun bench/memory.ts --mixed\`. ${machineLine(m)}. A ${MIXED_FILE_LINES.toLocaleString('en')}-line access log appended to a watched file as fast`,
    `as the disk cache takes it while ${MIXED_INGEST_LINES.toLocaleString('en')} access lines are POSTed to \`/api/ingest\` (${INGEST_BATCH}-line requests, 4 in`,
    'flight), default config (10 000-entry buffer). RSS from /proc every 50 ms (peak) and 2 s after the last line was counted.',
    'Targets (issue 11): ≤ 150 MB settled, ≤ 200 MB peak. One row per run (they vary with when the collector runs).',
    '',
    table(['runtime', 'peak MB', 'settled MB', 'seconds'], runs.map((r) => [r.runtime === 'bun' ? 'Bun' : 'Node', `**${r.peakMb.toFixed(0)}**`, `**${r.settledMb.toFixed(0)}**`, r.seconds.toFixed(1)])),
    '',
  ].join('\n');
}

if (process.argv[1]?.endsWith('memory.ts') && flag('mixed')) {
  const runtimes = arg('runtimes', 'bun').split(',') as Runtime[];
  const m = machine();
  if (runtimes.includes('node')) ensureNodeBundle();
  const rounds = Number(arg('rounds', '3'));
  const runs: MixedRun[] = [];
  for (let round = 0; round < rounds; round++) for (const runtime of runtimes) runs.push(await mixed(runtime, console.log));
  if (!flag('no-write')) saveJson('memory-mixed', { machine: m, runs });
  const section = mixedSection(runs, m);
  console.log(`\n${section}`);
  if (!flag('no-write')) writeSection('memory-mixed', section);
} else if (process.argv[1]?.endsWith('memory.ts')) {
  const millions = Number(arg('millions', '10'));
  const runtimes = arg('runtimes', 'bun,node').split(',') as Runtime[];
  const m = machine();
  const result = await memory({ millions, runtimes, log: console.log });
  if (!flag('no-write')) saveJson('memory', { machine: m, millions, ...result });
  const section = memorySection(result, millions, m);
  console.log(`\n${section}`);
  if (!flag('no-write')) writeSection('memory', section);
}
