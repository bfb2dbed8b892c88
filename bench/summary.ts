// The "Targets" section of RESULTS.md: issue 7's targets beside what the latest runs measured (read from
// bench/out/results/*.json, written by each benchmark), and what bounds a missed one.
//   bun bench/summary.ts
import type { FanoutRun } from './fanout.ts';
import type { HotpathResult } from './hotpath.ts';
import type { FormatResult } from './ingest-file.ts';
import type { HttpRun } from './ingest-http.ts';
import { formatOf, PROBE_FORMATS, type LatencyRun, type ProbeFormat } from './latency.ts';
import { fmtMs, fmtRate, fmtRatio, machineLine, median, quantile, type Machine } from './lib/env.ts';
import { loadJson, table, writeSection } from './lib/results.ts';
import type { BufferRun, FlatRun } from './memory.ts';

type Status = 'met' | 'missed' | 'not measured';
interface Row {
  target: string;
  measured: string;
  status: Status;
}

const mark = (ok: boolean): Status => (ok ? 'met' : 'missed');

function rows(): { rows: Row[]; machine?: Machine } {
  const out: Row[] = [];
  const file = loadJson<{ machine: Machine; results: FormatResult[] }>('ingest-file');
  const hotBun = loadJson<{ results: HotpathResult[] }>('hotpath-bun');
  const hotNode = loadJson<{ results: HotpathResult[] }>('hotpath-node');
  const http = loadJson<{ runs: HttpRun[] }>('ingest-http');
  const lat = loadJson<{ runs: LatencyRun[] }>('latency');
  const fan = loadJson<{ runs: FanoutRun[] }>('fanout');
  const mem = loadJson<{ flat: FlatRun[]; buffers: BufferRun[] }>('memory');

  const access = file?.results.find((r) => r.format === 'access');
  const hotAccess = hotBun?.results.find((r) => r.format === 'access' && r.known);
  if (hotAccess !== undefined) {
    const rate = median(hotAccess.rates);
    out.push({ target: 'Access logs, format known, parse + store + alerts on Bun, one core: ≥ 1 000 000 lines/s', measured: `${fmtRate(rate)} lines per CPU-second (hot path, in-process)`, status: mark(rate >= 1e6) });
  }
  if (access !== undefined) {
    const runs = access.logwatch['bun-known'];
    if (runs !== undefined) {
      const rate = access.lines / median(runs.map((r) => r.seconds));
      out.push({ target: '… end to end (a watched file appended to, until counted)', measured: `${fmtRate(rate)} lines/s`, status: mark(rate >= 1e6) });
    }
    const ratio = (baseline: string) => median(access.ratios[`bun-known/${baseline}`] ?? []);
    if (access.ratios['bun-known/readline']) out.push({ target: '… ≥ Node `readline` merely splitting the same file', measured: fmtRatio(ratio('readline')), status: mark(ratio('readline') >= 1) });
    if (access.ratios['bun-known/lnav']) out.push({ target: '… ≥ 3× lnav (same run)', measured: fmtRatio(ratio('lnav')), status: mark(ratio('lnav') >= 3) });
    if (access.ratios['bun-known/goaccess']) out.push({ target: '… ≥ 50× GoAccess (same run)', measured: fmtRatio(ratio('goaccess')), status: mark(ratio('goaccess') >= 50) });
  }
  for (const [label, hot] of [['Bun', hotBun], ['Node', hotNode]] as const) {
    const json = hot?.results.find((r) => r.format === 'json');
    if (json !== undefined && json.ratioJson.length > 0) {
      const ratio = median(json.ratioJson);
      out.push({ target: `JSON lines, parse + store ≥ 1.0× a bare \`JSON.parse\` of every line (${label})`, measured: `${fmtRatio(ratio)} (hot path: ${fmtRate(median(json.rates))} vs ${fmtRate(median(json.jsonRates))} lines/CPU-s)`, status: mark(ratio >= 1) });
    }
  }
  const jsonFile = file?.results.find((r) => r.format === 'json');
  if (jsonFile?.ratios['bun/jsonparse-bun']) {
    const ratio = median(jsonFile.ratios['bun/jsonparse-bun']);
    out.push({ target: '… end to end on Bun (whole app, watched file) ÷ split + `JSON.parse` on Bun', measured: fmtRatio(ratio), status: mark(ratio >= 1) });
  }
  const batch = http?.runs.filter((r) => r.mode === 'batch' && r.runtime === 'bun');
  if (batch !== undefined && batch.length > 0) {
    const rate = median(batch.map((r) => r.linesPerSec));
    out.push({ target: 'HTTP ingest ≥ 500 000 lines/s in 1000-line batches (Bun)', measured: `${fmtRate(rate)} lines/s, p99 ${fmtMs(median(batch.map((r) => r.result.latency.p99)))} ms`, status: mark(rate >= 5e5) });
  }
  const samples = (scenario: LatencyRun['scenario'], format: ProbeFormat = 'access') =>
    (lat?.runs ?? []).filter((r) => r.runtime === 'bun' && r.scenario === scenario && formatOf(r) === format).flatMap((r) => r.samples);
  for (const format of PROBE_FORMATS) {
    const idle = samples('idle', format);
    if (idle.length === 0) continue;
    const p50 = quantile(idle, 0.5);
    const p99 = quantile(idle, 0.99);
    const what = format === 'access' ? '' : `, ${format} lines (held for continuation lines)`;
    out.push({ target: `Append → SSE, idle (Bun${what}): p50 ≤ 5 ms, p99 ≤ 25 ms`, measured: `p50 ${fmtMs(p50)} ms, p99 ${fmtMs(p99)} ms (${idle.length} samples)`, status: mark(p50 <= 5 && p99 <= 25) });
  }
  const load = samples('load');
  if (load.length > 0) {
    const p99 = quantile(load, 0.99);
    out.push({ target: 'Append → SSE under 100 000 lines/s (Bun): p99 ≤ 100 ms', measured: `p99 ${fmtMs(p99)} ms, p50 ${fmtMs(quantile(load, 0.5))} ms (${load.length} samples)`, status: mark(p99 <= 100) });
  }
  const flat = mem?.flat.find((r) => r.runtime === 'bun');
  if (flat !== undefined) {
    const after = flat.rssMb[flat.rssMb.length - 2]!;
    const settled = flat.rssMb[flat.rssMb.length - 1]!;
    out.push({
      target: 'RSS ≤ 150 MB after 10 M lines, default buffer, flat (Bun)',
      measured: `${settled.toFixed(0)} MB settled (2 s after the last line); ${after.toFixed(0)} MB right after the 10th million, ${Math.max(...flat.rssMb).toFixed(0)} MB at most while lines flowed`,
      status: mark(settled <= 150),
    });
  }
  for (const follow of ['errors', 'quiet'] as const) {
    const without = (fan?.runs ?? []).filter((r) => r.runtime === 'bun' && r.clients === 0);
    const withClients = (fan?.runs ?? []).filter((r) => r.runtime === 'bun' && r.clients > 0 && r.follow === follow);
    if (without.length === 0 || withClients.length === 0) continue;
    const ratio = median(withClients.map((w, i) => without[i]!.seconds / w.seconds));
    const what = follow === 'errors' ? `999 following \`level=ERROR\` (${(median(withClients.map((r) => r.bytes ?? 0)) / 1e6).toFixed(0)} MB of SSE delivered) + 1 stalled` : '999 following a quiet source + 1 stalled';
    out.push({ target: `Ingest rate with 1000 SSE clients ≥ 80 % of without (Bun; ${what})`, measured: fmtRatio(ratio), status: mark(ratio >= 0.8) });
  }
  return { rows: out, machine: file?.machine };
}

export function summarySection(): string {
  const { rows: rs, machine } = rows();
  const body = table(
    ['target (issue 7)', 'measured', ''],
    rs.map((r) => [r.target, r.measured, r.status === 'met' ? '✅ met' : r.status === 'missed' ? '❌ missed' : '–']),
    ['---', '---', '---'],
  );
  return [
    '## Targets',
    '',
    `Where each target of issue 7 stands after the last \`npm run bench\`${machine ? ` (${machineLine(machine)})` : ''}; the sections below have the`,
    'tables, the baselines and the method. What bounds the missed ones, from profiles (`bun --cpu-prof-md`), is under "Bounds".',
    '',
    body,
    '',
  ].join('\n');
}

if (process.argv[1]?.endsWith('summary.ts')) {
  const section = summarySection();
  console.log(section);
  writeSection('summary', section);
}
