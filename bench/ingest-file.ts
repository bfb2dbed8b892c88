// File ingest throughput: 1 M lines of each format appended to a watched file as fast as a writer can
// (1 MiB writes), timed until /api/stats counts every entry; LogWatch as a real process on Bun and on
// Node, beside the baselines run on the same file in the same round (lib/baselines.ts).
//
//   bun bench/ingest-file.ts [--rounds 3] [--formats access,syslog,json,python,mixed] [--runtimes bun,node] [--no-write]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendFile } from './lib/append.ts';
import { BASELINES, ensureTools, type Baseline } from './lib/baselines.ts';
import { dataFile, expectedEntries, FORMATS, type BenchFormat, type DataFile } from './lib/data.ts';
import { arg, flag, fmtRate, fmtRatio, machine, machineLine, median, sleep } from './lib/env.ts';
import { ensureNodeBundle, startLogWatch, workspace, type Runtime } from './lib/logwatch.ts';
import { saveJson, table, writeSection } from './lib/results.ts';

interface LogWatchCase {
  id: string;
  runtime: Runtime;
  /** Configured format: the known-format path. */
  known?: string;
}

export interface IngestRun {
  seconds: number;
  /** Seconds until all but the last entry were counted (the last may be held for continuation lines). */
  secondsButLast: number;
  cpuSeconds: number;
  rssBytes: number;
}

export interface FormatResult {
  format: BenchFormat;
  lines: number;
  entries: number;
  bytes: number;
  /** Per LogWatch case id: the runs. */
  logwatch: Record<string, IngestRun[]>;
  /** Per baseline id: seconds per run. */
  baselines: Record<string, number[]>;
  /** Per `${case}/${baseline}`: LogWatch rate ÷ baseline rate, per round. */
  ratios: Record<string, number[]>;
  checks: string[];
}

const POLL_MS = 10;

async function runLogWatch(c: LogWatchCase, data: DataFile, entries: number): Promise<IngestRun> {
  const ws = workspace(`file-${data.format}-${c.runtime}`);
  const target = join(ws.logs, 'bench.log');
  writeFileSync(target, '');
  const watch = c.known !== undefined ? [{ path: join(ws.logs, '*.log'), format: c.known }] : [join(ws.logs, '*.log')];
  const lw = await startLogWatch(c.runtime, ws, { watch });
  try {
    await sleep(300);
    const cpu0 = lw.cpuSeconds();
    const t0 = performance.now();
    appendFile(data.path, target);
    const butLast = await lw.waitForTotal(entries - 1, 600_000, POLL_MS);
    const all = await lw.waitForTotal(entries, 600_000, POLL_MS);
    const cpuSeconds = lw.cpuSeconds() - cpu0;
    return { seconds: (all - t0) / 1000, secondsButLast: (butLast - t0) / 1000, cpuSeconds, rssBytes: lw.rss() };
  } finally {
    await lw.stop();
    ws.remove();
  }
}

export async function ingestFile(options: { rounds: number; formats: BenchFormat[]; runtimes: Runtime[]; log: (s: string) => void }): Promise<FormatResult[]> {
  const { rounds, formats, runtimes, log } = options;
  ensureTools(log);
  if (runtimes.includes('node')) ensureNodeBundle();
  const results: FormatResult[] = [];
  const plans: Array<{ data: DataFile; entries: number; cases: LogWatchCase[]; baselines: Baseline[]; result: FormatResult }> = [];
  for (const format of formats) {
    const data = dataFile(format);
    const entries = await expectedEntries(data);
    const cases: LogWatchCase[] = runtimes.map((runtime) => ({ id: runtime, runtime }));
    if (format === 'access') for (const runtime of runtimes) cases.push({ id: `${runtime}-known`, runtime, known: 'access' });
    const baselines = BASELINES.filter((b) => b.formats.includes(format) && b.missing() === null);
    const result: FormatResult = { format, lines: data.lines, entries, bytes: data.bytes, logwatch: {}, baselines: {}, ratios: {}, checks: [] };
    for (const c of cases) result.logwatch[c.id] = [];
    for (const b of baselines) result.baselines[b.id] = [];
    results.push(result);
    plans.push({ data, entries, cases, baselines, result });
  }
  for (let round = 0; round < rounds; round++) {
    for (const { data, entries, cases, baselines, result } of plans) {
      const baseSeconds: Record<string, number> = {};
      for (const b of baselines) {
        const run = b.run(data.path, data.format);
        baseSeconds[b.id] = run.seconds;
        result.baselines[b.id]!.push(run.seconds);
        if (run.lines !== undefined && run.lines !== data.lines && round === 0) result.checks.push(`${b.label} counted ${run.lines} of ${data.lines} lines`);
        log(`  ${data.format} round ${round + 1}: ${b.label} ${fmtRate(data.lines / run.seconds)} lines/s (${run.seconds.toFixed(2)} s)`);
      }
      for (const c of cases) {
        const run = await runLogWatch(c, data, entries);
        result.logwatch[c.id]!.push(run);
        for (const b of baselines) (result.ratios[`${c.id}/${b.id}`] ??= []).push(baseSeconds[b.id]! / run.seconds);
        log(`  ${data.format} round ${round + 1}: LogWatch ${c.id} ${fmtRate(data.lines / run.seconds)} lines/s (${run.seconds.toFixed(2)} s, all but the last entry ${run.secondsButLast.toFixed(2)} s, ${run.cpuSeconds.toFixed(2)} CPU-s, RSS ${(run.rssBytes / 2 ** 20).toFixed(0)} MB)`);
      }
    }
  }
  return results;
}

const CASE_LABEL: Record<string, string> = {
  bun: 'LogWatch, Bun',
  node: 'LogWatch, Node',
  'bun-known': 'LogWatch, Bun, format configured',
  'node-known': 'LogWatch, Node, format configured',
};

export function ingestFileSection(results: FormatResult[], rounds: number, m = machine()): string {
  const mb = (bytes: number, seconds: number) => `${(bytes / 1e6 / seconds).toFixed(0)}`;
  const out: string[] = [
    '## File ingest: LogWatch beside the usual tools',
    '',
    `\`npm run bench\` (this part: \`bun bench/ingest-file.ts\`). ${machineLine(m)}. Medians of ${rounds} rounds; each round runs every tool on the`,
    'same 1 M-line file, one after another, and the ratios are paired within a round (the machine is shared and noisy: ratios are the result,',
    'absolute rates move with the load). LogWatch runs as a real process (Bun: `src/main.ts`; Node: the same code bundled by',
    '`bun build --target=node` into bench/out/, since Node 20 runs no TypeScript) with the default config (10 000-entry buffer, the two',
    'default alert rules, the dashboard and SSE broadcaster subscribed), watching a directory; the file is appended in 1 MiB writes',
    'and the time runs until `/api/stats` counts every entry (polled every 10 ms). JavaScript floors report their own time (runtime',
    'start-up excluded); C tools are timed from outside (start-up included: about 0.1 s for lnav, ms for the others).',
    '',
  ];
  for (const r of results) {
    out.push(`### ${r.format} — ${r.lines.toLocaleString('en')} lines, ${(r.bytes / 1e6).toFixed(0)} MB (${Math.round(r.bytes / r.lines)} bytes/line)`, '');
    const caseIds = Object.keys(r.logwatch);
    const ratioCases = caseIds.filter((id) => !id.endsWith('-known') || r.format === 'access');
    const header = ['tool', 'lines/s', 'MB/s', ...ratioCases.map((id) => `${CASE_LABEL[id] ?? id} ÷ tool`)];
    const rows: string[][] = [];
    for (const id of caseIds) {
      const runs = r.logwatch[id]!;
      const s = median(runs.map((x) => x.seconds));
      const cpu = median(runs.map((x) => x.cpuSeconds));
      rows.push([`**${CASE_LABEL[id] ?? id}** (${cpu.toFixed(2)} CPU-s, ${(s).toFixed(2)} s)`, `**${fmtRate(r.lines / s)}**`, mb(r.bytes, s), ...ratioCases.map(() => '')]);
    }
    for (const [id, seconds] of Object.entries(r.baselines)) {
      const b = BASELINES.find((x) => x.id === id)!;
      const s = median(seconds);
      rows.push([b.label, fmtRate(r.lines / s), mb(r.bytes, s), ...ratioCases.map((c) => fmtRatio(median(r.ratios[`${c}/${id}`] ?? [])))]);
    }
    out.push(table(header, rows), '');
    const held = Object.values(r.logwatch)[0]!;
    const hold = median(held.map((x) => x.seconds - x.secondsButLast));
    if (hold > 0.1) out.push(`The last entry of this format is held for continuation lines until \`parse.multilineTimeoutMs\` (250 ms) of quiet: ${hold.toFixed(2)} s of the time above; all entries but that one were counted at ${fmtRate(r.lines / median(held.map((x) => x.secondsButLast)))} lines/s (${CASE_LABEL[Object.keys(r.logwatch)[0]!]}).`, '');
    if (r.checks.length > 0) out.push(`Checks: ${r.checks.join('; ')}.`, '');
  }
  return out.join('\n');
}

if (process.argv[1]?.endsWith('ingest-file.ts')) {
  const rounds = Number(arg('rounds', '3'));
  const formats = arg('formats', FORMATS.join(',')).split(',') as BenchFormat[];
  const runtimes = arg('runtimes', 'bun,node').split(',') as Runtime[];
  const m = machine();
  const results = await ingestFile({ rounds, formats, runtimes, log: console.log });
  if (!flag('no-write')) saveJson('ingest-file', { machine: m, rounds, results });
  const section = ingestFileSection(results, rounds, m);
  console.log(`\n${section}`);
  if (!flag('no-write')) writeSection('ingest-file', section);
}
