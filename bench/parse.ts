// Parse throughput per format: corpus lines repeated to ~200 000 lines, pushed through one
// SourceParser in ~64 KiB batches as a tailer hands them over; lines/s, median of several runs.
//   node_modules/.bin/bun bench/parse.ts            print the table
//   node_modules/.bin/bun bench/parse.ts --write    also update the "Parsing" section of bench/RESULTS.md
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createParserFactory } from '../src/parse/index.ts';
import type { LogEntry } from '../src/types.ts';

const CORPUS = new URL('../../shared/corpus/', import.meta.url);
const RESULTS = new URL('./RESULTS.md', import.meta.url);
const TARGET_LINES = 200_000;
const RUNS = 7;
const BATCH_BYTES = 64 * 1024;

function corpusLines(path: string): string[] {
  const text = readFileSync(new URL(path, CORPUS), 'utf8');
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

/** `lines` repeated (whole files, so multi-line entries stay whole) to about TARGET_LINES. */
function repeated(lines: string[]): string[] {
  const out: string[] = [];
  while (out.length < TARGET_LINES) for (const line of lines) out.push(line);
  return out;
}

/** One line of each source in turn: every line changes format (the worst case for detection). */
function interleaved(sets: string[][]): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < TARGET_LINES; i++) for (const set of sets) out.push(set[i % set.length]!);
  return out;
}

function batches(lines: string[]): string[][] {
  const out: string[][] = [];
  let batch: string[] = [];
  let size = 0;
  for (const line of lines) {
    batch.push(line);
    size += line.length + 1;
    if (size >= BATCH_BYTES) {
      out.push(batch);
      batch = [];
      size = 0;
    }
  }
  if (batch.length > 0) out.push(batch);
  return out;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

interface Result {
  name: string;
  lines: number;
  entries: number;
  bytesPerLine: number;
  linesPerSecond: number;
  baseline?: { name: string; linesPerSecond: number };
}

const factory = createParserFactory({ formats: {}, parse: { multilineTimeoutMs: 250, detectLines: 20 } });

function measure(name: string, lines: string[]): Result {
  const input = batches(lines);
  let entries = 0;
  const rates: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const parser = factory.create({ source: `bench-${name}-${run}` });
    const out: LogEntry[] = [];
    let count = 0;
    const start = performance.now();
    for (const batch of input) {
      parser.push({ lines: batch, receivedAt: Date.now() }, out);
      count += out.length;
      out.length = 0;
    }
    parser.flush(out);
    entries = count + out.length;
    const seconds = (performance.now() - start) / 1000;
    rates.push(lines.length / seconds);
  }
  const bytes = lines.reduce((sum, line) => sum + line.length + 1, 0);
  return { name, lines: lines.length, entries, bytesPerLine: Math.round(bytes / lines.length), linesPerSecond: median(rates) };
}

/** A bare `JSON.parse` of every line, for the JSON target (parse ≥ 1.0× this). */
function bareJsonParse(lines: string[]): number {
  const rates: number[] = [];
  let sink = 0;
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    for (const line of lines) sink += (JSON.parse(line) as object) === null ? 1 : 0;
    rates.push(lines.length / ((performance.now() - start) / 1000));
  }
  if (sink < 0) console.log(sink);
  return median(rates);
}

const sets = {
  combined: [...corpusLines('elastic-examples/apache_logs.part1.log'), ...corpusLines('elastic-examples/apache_logs.part2.log'), ...corpusLines('lnav/logfile_shop_access_log.0')],
  syslog: [...corpusLines('elastic-examples/auth.log'), ...corpusLines('loghub/Linux_2k.log'), ...corpusLines('loghub/OpenSSH_2k.log')],
  json: [...corpusLines('lnav/logfile_bunyan.0'), ...corpusLines('lnav/logfile_pino.0')],
  python: [...corpusLines('homeassistant/hass-handball_home-assistant.log')],
  log4j: [...corpusLines('loghub/Hadoop_2k.log'), ...corpusLines('loghub/Zookeeper_2k.log'), ...corpusLines('elastic-examples/kafka1_server.log.2016-12-19-20')],
  logfmt: [...corpusLines('lnav/logfile_logfmt.0'), ...corpusLines('lnav/logfile_grafana.0')],
};

const results: Result[] = [];
for (const [name, lines] of Object.entries(sets)) results.push(measure(name, repeated(lines)));
const jsonLines = repeated(sets.json);
results.find((r) => r.name === 'json')!.baseline = { name: 'bare JSON.parse', linesPerSecond: bareJsonParse(jsonLines) };
results.push(measure('mixed', interleaved([sets.combined, sets.syslog, sets.json, sets.logfmt, corpusLines('loghub/Hadoop_2k.log'), corpusLines('loghub/Windows_2k.log')])));

const fmt = (n: number) => `${(n / 1e6).toFixed(2)} M`;
const table = [
  '| format | lines | entries | bytes/line | parse lines/s (median of 7) | baseline |',
  '|---|---:|---:|---:|---:|---|',
  ...results.map((r) => `| ${r.name} | ${r.lines} | ${r.entries} | ${r.bytesPerLine} | ${fmt(r.linesPerSecond)} | ${r.baseline === undefined ? '' : `${r.baseline.name} ${fmt(r.baseline.linesPerSecond)} → ratio ${(r.linesPerSecond / r.baseline.linesPerSecond).toFixed(2)}×`} |`),
].join('\n');

function machine(): string {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  let nproc = String(cpus().length);
  try {
    nproc = execSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    // nproc missing: the CPU count Node sees.
  }
  const runtime = typeof (globalThis as { Bun?: { version: string } }).Bun !== 'undefined'
    ? `Bun ${(globalThis as unknown as { Bun: { version: string } }).Bun.version}`
    : `Node ${process.version}`;
  return `${new Date().toISOString().slice(0, 10)}, ${runtime}, ${nproc} × ${model}`;
}

const section = `## Parsing

\`node_modules/.bin/bun bench/parse.ts\` (bench/parse.ts): corpus lines of each format repeated to ~200 000
lines, parsed by one SourceParser (format auto-detected, then the known-format path) in ~64 KiB batches,
time zone of the process, no store. "mixed" interleaves one line of six formats in turn in one source,
so every line leaves the detected format (the slow path). Machine: ${machine()}.

${table}
`;

console.log(table);
if (process.argv.includes('--write')) {
  const path = fileURLToPath(RESULTS);
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmark results\n';
  const start = current.indexOf('## Parsing');
  let next = start < 0 ? -1 : current.indexOf('\n## ', start + 1);
  if (next >= 0) next += 1;
  const updated = start < 0
    ? `${current.trimEnd()}\n\n${section}`
    : `${current.slice(0, start)}${section}${next < 0 ? '' : `\n${current.slice(next)}`}`;
  writeFileSync(path, updated);
  console.log(`updated ${path}`);
}
