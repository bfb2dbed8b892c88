// The hot path on one core, in-process: a data file read in 64 KiB chunks, split by the file tailer's
// own code (ReadCursor.consume) and written to the pipeline of a real, running LogWatch (parse, store,
// statistics, pattern mining, alert evaluation with the default rules, the hub and every listener the
// web app subscribes: dashboard counters and the SSE broadcaster). No file watching and no disk
// writes in the loop, so what is measured is the CPU cost per line, beside in-process baselines on
// the same bytes in the same round:
//   - byte split: the same 64 KiB reads, each line decoded to a string (the floor of reading lines in JS);
//   - JSON.parse: the byte split plus a bare JSON.parse of every line (for JSON lines).
// Rates are lines per CPU second of the whole process (GC threads included), median of the rounds;
// ratios are paired per round.
//
//   bun bench/hotpath.ts [--rounds 5] [--formats access,json] [--lines 1000000] [--json out.json]
//   bun bench/hotpath.ts --analyzer-cost [--formats access,mixed]   the same pipeline with and without the
//     analyzer (analyze.enabled), paired per round: what pattern mining and anomalies cost per line
//   node --cpu-prof ... (profile: BENCH_PROFILE=1 runs one format once, for --cpu-prof)
import { Buffer } from 'node:buffer';
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/config/load.ts';
import { createMemoryLogger } from '../src/logger.ts';
import { startLogWatch } from '../src/logwatch.ts';
import { batchOf, ReadCursor } from '../src/sources/files/read-cursor.ts';
import { dataFile, FORMATS, type BenchFormat } from './lib/data.ts';
import { arg, flag, fmtRate, fmtRatio, machine, machineLine, median, type Machine } from './lib/env.ts';
import { loadJson, saveJson, table, writeSection } from './lib/results.ts';

const CHUNK = 64 * 1024;

export interface HotpathCase {
  format: BenchFormat;
  /** Configured format (the known-format path); undefined: auto-detected. */
  known?: string;
}

export interface HotpathResult {
  case: string;
  format: BenchFormat;
  known: boolean;
  lines: number;
  entries: number;
  bytes: number;
  runtime: string;
  /** Lines per CPU second, per round. */
  rates: number[];
  wallRates: number[];
  splitRates: number[];
  jsonRates: number[];
  ratioSplit: number[];
  ratioJson: number[];
}

function cpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** The byte-split baseline: 64 KiB reads, every line decoded to a string. */
function byteSplit(path: string, json: boolean): number {
  const fd = openSync(path, 'r');
  const chunk = Buffer.allocUnsafe(CHUNK);
  let carry: Buffer | null = null;
  let lines = 0;
  let sink = 0;
  for (let position = 0; ; ) {
    const n = readSync(fd, chunk, 0, CHUNK, position);
    if (n === 0) break;
    position += n;
    let buf = chunk.subarray(0, n);
    if (carry !== null) {
      buf = Buffer.concat([carry, buf]);
      carry = null;
    }
    let p = 0;
    for (;;) {
      const nl = buf.indexOf(10, p);
      if (nl < 0) break;
      const line = buf.toString('utf8', p, nl);
      if (json) sink += (JSON.parse(line) as unknown) === null ? 1 : 0;
      else sink += line.length;
      lines++;
      p = nl + 1;
    }
    if (p < buf.length) carry = Buffer.from(buf.subarray(p));
  }
  closeSync(fd);
  if (sink < 0) console.log(sink);
  return lines;
}

function timed(work: () => void): { cpu: number; wall: number } {
  const c0 = cpu();
  const w0 = performance.now();
  work();
  return { cpu: cpu() - c0, wall: (performance.now() - w0) / 1000 };
}

const runtime = typeof (globalThis as { Bun?: unknown }).Bun !== 'undefined' ? `Bun ${process.versions.bun}` : `Node ${process.version}`;

/** One LogWatch, the whole file through its pipeline; CPU and wall seconds, entries stored. */
async function runLogWatch(path: string, known: string | undefined, analyze = true): Promise<{ cpu: number; wall: number; entries: number }> {
  const stateDir = mkdtempSync(join(tmpdir(), 'lw-hotpath-'));
  const config = parseConfig({ port: 0, watch: [], stateDir, notifiers: {}, analyze: { enabled: analyze } });
  const running = await startLogWatch(config, { logger: createMemoryLogger() });
  const pipeline = running.pipeline;
  const cursor = new ReadCursor(0, config.files.maxLineBytes);
  const label = { source: 'bench.log', format: known };
  const fd = openSync(path, 'r');
  const chunk = Buffer.allocUnsafe(CHUNK);
  const t = timed(() => {
    for (;;) {
      const n = readSync(fd, chunk, 0, CHUNK, cursor.readOffset);
      if (n === 0) break;
      const { lines, ends } = cursor.consume(chunk, n);
      if (lines.length > 0) pipeline.write(batchOf(label, cursor, lines, ends, Date.now(), false));
    }
    pipeline.flush('bench.log');
  });
  closeSync(fd);
  const entries = pipeline.stats.totalLogs;
  await running.stop();
  rmSync(stateDir, { recursive: true, force: true });
  return { ...t, entries };
}

export async function hotpath(cases: HotpathCase[], rounds: number, lines: number, log: (s: string) => void = console.log): Promise<HotpathResult[]> {
  const results = cases.map((c): HotpathResult => {
    const data = dataFile(c.format, lines);
    return {
      case: c.known === undefined ? c.format : `${c.format} (format known)`,
      format: c.format,
      known: c.known !== undefined,
      lines: data.lines,
      entries: 0,
      bytes: data.bytes,
      runtime,
      rates: [],
      wallRates: [],
      splitRates: [],
      jsonRates: [],
      ratioSplit: [],
      ratioJson: [],
    };
  });
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < cases.length; i++) {
      const c = cases[i]!;
      const r = results[i]!;
      const data = dataFile(c.format, lines);
      const split = timed(() => byteSplit(data.path, false));
      const lw = await runLogWatch(data.path, c.known);
      r.entries = lw.entries;
      r.rates.push(data.lines / lw.cpu);
      r.wallRates.push(data.lines / lw.wall);
      r.splitRates.push(data.lines / split.cpu);
      r.ratioSplit.push(split.cpu / lw.cpu);
      let json = '';
      if (c.format === 'json') {
        const bare = timed(() => byteSplit(data.path, true));
        r.jsonRates.push(data.lines / bare.cpu);
        r.ratioJson.push(bare.cpu / lw.cpu);
        json = `, split+JSON.parse ${fmtRate(data.lines / bare.cpu)}/s (ratio ${fmtRatio(bare.cpu / lw.cpu)})`;
      }
      log(`hotpath ${runtime} round ${round + 1} ${r.case}: ${fmtRate(data.lines / lw.cpu)} lines/CPU-s (${fmtRate(data.lines / lw.wall)}/s wall), byte split ${fmtRate(data.lines / split.cpu)}/s${json}; ${lw.entries} entries`);
    }
  }
  return results;
}

/** Lines per CPU-second with and without the analyzer, paired per round; prints the cost. */
export async function analyzerCost(cases: HotpathCase[], rounds: number, lines: number, log: (s: string) => void = console.log): Promise<void> {
  for (const c of cases) {
    const data = dataFile(c.format, lines);
    const on: number[] = [];
    const off: number[] = [];
    const ratios: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const without = await runLogWatch(data.path, c.known, false);
      const withIt = await runLogWatch(data.path, c.known, true);
      on.push(data.lines / withIt.cpu);
      off.push(data.lines / without.cpu);
      ratios.push(without.cpu / withIt.cpu);
    }
    const name = c.known === undefined ? c.format : `${c.format} (format known)`;
    log(`analyzer cost, ${name}, ${runtime}: ${fmtRate(median(off))} lines/CPU-s without, ${fmtRate(median(on))} with: ` +
      `throughput with ÷ without ${fmtRatio(median(ratios))} (median of ${rounds} paired rounds, ${data.lines} lines)`);
  }
}

export function summary(r: HotpathResult): string {
  const json = r.jsonRates.length > 0 ? `; split+JSON.parse ${fmtRate(median(r.jsonRates))}/s, ratio ${fmtRatio(median(r.ratioJson))}` : '';
  return `${r.case} on ${r.runtime}: ${fmtRate(median(r.rates))} lines/CPU-s; byte split ${fmtRate(median(r.splitRates))}/s, ratio ${fmtRatio(median(r.ratioSplit))}${json}`;
}

/** The "Hot path" section of RESULTS.md from the saved results of each runtime. */
export function hotpathSection(byRuntime: Array<{ machine: Machine; rounds: number; results: HotpathResult[] }>): string {
  const rows: string[][] = [];
  for (const { results } of byRuntime) {
    for (const r of results) {
      rows.push([
        `${r.case}, ${r.runtime}`,
        `**${fmtRate(median(r.rates))}**`,
        fmtRate(median(r.wallRates)),
        `${fmtRate(median(r.splitRates))} (${fmtRatio(median(r.ratioSplit))})`,
        r.jsonRates.length > 0 ? `${fmtRate(median(r.jsonRates))} (**${fmtRatio(median(r.ratioJson))}**)` : '',
      ]);
    }
  }
  const first = byRuntime[0]!;
  return [
    '## Hot path on one core',
    '',
    `\`bun bench/hotpath.ts\` (and the same file bundled for Node). ${machineLine(first.machine)}. In-process: a real LogWatch is started`,
    '(default config, no watched files) and each 1 M-line file is read in 64 KiB chunks, split by the file tailer\'s own code',
    '(`ReadCursor.consume`) and written to its pipeline: parse, ring buffer, statistics, pattern mining, the two default alert rules,',
    'the hub with the dashboard counters and the SSE broadcaster subscribed. No file watching, no disk writes: the rate is lines per',
    'CPU second of the whole process (GC threads included), i.e. what one core sustains. Baselines run in the same process and round',
    `on the same file: the byte split (64 KiB reads, each line decoded to a string) and, for JSON, the byte split plus a bare \`JSON.parse\``,
    `of every line. Medians of ${first.rounds} rounds, ratios paired per round (LogWatch ÷ baseline).`,
    '',
    table(['file, runtime', 'LogWatch lines/CPU-s', 'lines/s wall', 'byte split lines/s (LogWatch ÷)', 'split + JSON.parse lines/s (LogWatch ÷)'], rows),
    '',
  ].join('\n');
}

if (process.argv[1]?.endsWith('hotpath.ts') || process.argv[1]?.endsWith('hotpath.mjs')) {
  const tag = typeof (globalThis as { Bun?: unknown }).Bun !== 'undefined' ? 'bun' : 'node';
  if (flag('analyzer-cost')) {
    const formats = arg('formats', 'access,mixed').split(',');
    await analyzerCost(formats.map((f) => ({ format: f as BenchFormat })), Number(arg('rounds', '3')), Number(arg('lines', '200000')));
  } else if (!flag('write-only')) {
    const formats = arg('formats', 'access,access-known,json,syslog,python,mixed').split(',');
    const cases: HotpathCase[] = formats.map((f) => (f === 'access-known' ? { format: 'access', known: 'access' } : { format: f as BenchFormat }));
    for (const c of cases) if (!FORMATS.includes(c.format)) throw new Error(`unknown format ${c.format}`);
    const rounds = Number(arg('rounds', '3'));
    const results = await hotpath(cases, rounds, Number(arg('lines', '1000000')));
    for (const r of results) console.log(summary(r));
    saveJson(`hotpath-${tag}`, { machine: machine(), rounds, results });
  }
  if (flag('write') || flag('write-only')) {
    const saved = ['bun', 'node'].map((t) => loadJson<{ machine: Machine; rounds: number; results: HotpathResult[] }>(`hotpath-${t}`)).filter((x) => x !== undefined);
    if (saved.length > 0) writeSection('hotpath', hotpathSection(saved));
  }
}
