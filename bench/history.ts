// History on disk: N mixed entries (access, syslog, JSON, Python lines of bench/lib/data.ts, parsed by
// the real parse stage, 16 sources, times spread over 7 days, a rare token in 12 of them) written
// through HistoryStore, then the issue's queries, first page (100 entries) each, median of 3 runs;
// beside brute-force scans of the same lines with grep -F on the plain file and zgrep / zstd -dc | grep
// on compressed copies, run in the same round.
//
//   bun bench/history.ts [--entries 1000000] [--keep]      (the issue's figure is 10 M: --entries 10000000)
//
// Write cost: CPU seconds the history writer adds (encoding, journal, sealing, compression in the thread
// pool: the whole process's CPU while it runs) over CPU seconds the parse stage took for the same lines.
// The parse stage is most, not all, of the pipeline's cost, so this overstates the share.
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createParserFactory } from '../src/parse/index.ts';
import { createMetadataRebuilder, REBUILDABLE_FORMATS } from '../src/parse/rebuild.ts';
import { HistoryStore } from '../src/store/history/store.ts';
import type { AppendEntry } from '../src/store/history/types.ts';
import { lineMaker } from './lib/data.ts';
import { arg, flag, machineLine, median } from './lib/env.ts';
import { saveJson, table, writeSection } from './lib/results.ts';

const N = Number(arg('entries', '1000000'));
const RARE = 'qz7kx9wv';
const DAY = 86_400_000;
const FORMATS = ['access', 'syslog', 'json', 'python'] as const;
const HOSTS = ['web-01', 'web-02', 'web-03', 'web-04'];

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const ms = (s: number) => `${(s * 1000).toFixed(s < 0.01 ? 2 : 0)} ms`;

const work = mkdtempSync(join(tmpdir(), 'lw-bench-history-'));
const plainPath = join(work, 'plain.log');
const now = Date.now();
const start = now - 7 * DAY;

// ── parse (the pipeline's main cost) and keep the entries for writing ───────────────────────────
const makers = FORMATS.map((f, k) => lineMaker(f, 100 + k));
const factory = createParserFactory({ formats: {}, parse: { multilineTimeoutMs: 250, detectLines: 20 } });
const parsers = new Map<string, ReturnType<typeof factory.create>>();
const plain = createWriteStream(plainPath);
let rawBytes = 0;
let parseCpu = 0;
const BATCH = 250;
const rareEvery = Math.floor(N / 12);

const dir = join(work, 'history');
// As the app wires it (src/logwatch.ts): access and JSON metadata rebuilt from the raw line on read.
const metadata = { formats: REBUILDABLE_FORMATS, rebuild: createMetadataRebuilder() };
const store = await HistoryStore.open({ dir, clock: () => Date.now(), maxAgeMs: 30 * DAY, maxBytes: 1e12, metadata });
let writeCpu = 0;
const writeStart = performance.now();
let appended = 0;
for (let base = 0; base < N; base += BATCH) {
  // One batch per source in turn, as tailers hand them over (a source gets a batch every few minutes of log time).
  const k = (base / BATCH) % 16;
  const format = FORMATS[k % 4];
  const source = `${HOSTS[Math.floor(k / 4)]}/${format}.log`;
  const lines: string[] = [];
  for (let i = base; i < Math.min(N, base + BATCH); i++) {
    let line = makers[k % 4](i);
    if (i % rareEvery === 7 && format === 'python') line += ` order=${RARE}`;
    else if (i % rareEvery === 7) line = makers[3](i) + ` order=${RARE}`;
    lines.push(line);
  }
  let parser = parsers.get(source);
  if (parser === undefined) parsers.set(source, (parser = factory.create({ source })));
  const entries: AppendEntry[] = [];
  const c0 = cpu();
  parser.push({ lines, receivedAt: Date.now() }, entries);
  if (base + BATCH >= N) for (const p of parsers.values()) p.flush(entries);
  parseCpu += cpu() - c0;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    // Spread over 7 days (the lines' own times span less than an hour).
    entry.time = start + Math.floor(((appended + i) / N) * 7 * DAY);
    entry.receivedAt = entry.time;
    entry.id = appended + i + 1;
    rawBytes += Buffer.byteLength(entry.raw) + 1;
    plain.write(`${entry.raw}\n`);
  }
  appended += entries.length;
  const c1 = cpu();
  store.append(entries);
  // Let the writer's timer run between batches, as the event loop does between reads; when the
  // writer falls behind, wait for it (the sustainable rate is measured, not the drop policy).
  if ((base / BATCH) % 80 === 79) await new Promise((r) => setImmediate(r));
  if (store.queued > 50_000) await store.flush();
  writeCpu += cpu() - c1;
}
const droppedByWriter = store.stats().dropped;
const c3 = cpu();
await store.close();
writeCpu += cpu() - c3;
const writeWall = (performance.now() - writeStart) / 1000;
await new Promise((r) => plain.end(r));

const reopened = await HistoryStore.open({ dir, clock: () => Date.now(), maxAgeMs: 30 * DAY, maxBytes: 1e12, metadata });
const stats = reopened.stats();
const newest = stats.newest as number;

async function timeIt(fn: () => Promise<number>): Promise<{ seconds: number; n: number }> {
  const times: number[] = [];
  let n = 0;
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    n = await fn();
    times.push((performance.now() - t) / 1000);
  }
  return { seconds: median(times), n };
}

const queries = [
  { name: `rare term "${RARE}", everything`, run: async () => (await reopened.search({ q: RARE, limit: 100 })).entries.length },
  { name: 'level >= ERROR, last 24 h', run: async () => (await reopened.search({ level: 'ERROR', from: newest - DAY, limit: 100 })).entries.length },
  { name: 'one source, one hour (3 days ago)', run: async () => (await reopened.search({ source: 'web-03/json.log', from: newest - 3 * DAY, to: newest - 3 * DAY + 3_600_000, limit: 100 })).entries.length },
  { name: 'histogram, everything, 1 h buckets', run: async () => (await reopened.histogram({ from: stats.oldest as number, to: newest + 1, step: 3_600_000 })).length },
];
const results: Array<{ name: string; seconds: number; n: number }> = [];
for (const q of queries) results.push({ name: q.name, ...(await timeIt(q.run)) });
await reopened.close();

// ── brute-force baselines on the same lines ───────────────────────────────────────────────────────
function sh(command: string): number {
  const t = performance.now();
  const res = spawnSync('sh', ['-c', command], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (res.status !== 0 && res.status !== 1) throw new Error(`${command}: ${res.stderr}`);
  return (performance.now() - t) / 1000;
}
sh(`gzip -6 -c ${plainPath} > ${plainPath}.gz`);
const haveZstd = spawnSync('sh', ['-c', 'command -v zstd'], { stdio: 'ignore' }).status === 0;
if (haveZstd) sh(`zstd -q -3 -c ${plainPath} > ${plainPath}.zst`);
const base = (command: string) => median([sh(command), sh(command), sh(command)]);
const baselines = [
  { name: `grep -F ${RARE} (plain)`, seconds: base(`grep -F ${RARE} ${plainPath} > /dev/null`) },
  { name: `zgrep -F ${RARE} (gzip -6)`, seconds: base(`zgrep -F ${RARE} ${plainPath}.gz > /dev/null`) },
  ...(haveZstd ? [{ name: `zstd -dc | grep -F ${RARE} (zstd -3)`, seconds: base(`zstd -dc ${plainPath}.zst | grep -F ${RARE} > /dev/null`) }] : []),
  { name: 'grep -c -E "ERROR|CRITICAL" (plain; no time range)', seconds: base(`grep -c -E "ERROR|CRITICAL" ${plainPath} > /dev/null`) },
];
const gzBytes = statSync(`${plainPath}.gz`).size;
const zstBytes = haveZstd ? statSync(`${plainPath}.zst`).size : 0;

const summary = {
  entries: stats.entries,
  rawBytes,
  historyBytes: stats.bytes,
  segments: stats.segments,
  diskOverRaw: stats.bytes / rawBytes,
  gzipOverRaw: gzBytes / rawBytes,
  zstdOverRaw: haveZstd ? zstBytes / rawBytes : null,
  parseCpu,
  writeCpu,
  writeWall,
  writeCostOfParse: writeCpu / parseCpu,
  queries: results,
  baselines,
};
saveJson('history', summary);
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const body = `## History (bench/history.ts)

${machineLine()}; ${stats.entries.toLocaleString('en')} mixed entries (access, syslog, JSON, Python; 16 sources; 7 days), raw ${(rawBytes / 1e6).toFixed(0)} MB.

${table(['what', 'value'], [
  ['dropped by the writer', String(droppedByWriter)],
  ['history on disk / raw', `${pct(summary.diskOverRaw)} (${(stats.bytes / 1e6).toFixed(1)} MB in ${stats.segments} segments)`],
  ['gzip -6 of the plain lines / raw', pct(summary.gzipOverRaw)],
  ...(haveZstd ? [['zstd -3 of the plain lines / raw', pct(summary.zstdOverRaw as number)]] : []),
  ['parse CPU (pipeline proxy)', `${parseCpu.toFixed(1)} s`],
  ['history write CPU (all threads)', `${writeCpu.toFixed(1)} s = ${pct(summary.writeCostOfParse)} of parse CPU`],
])}

${table(['query (first page of 100, median of 3)', 'LogWatch history', 'hits'], results.map((r) => [r.name, ms(r.seconds), String(r.n)]))}

${table(['brute force on the same lines (median of 3)', 'time'], baselines.map((b) => [b.name, ms(b.seconds)]))}

What bounds it (measured apart on 100 000 of these entries with bench/history-write.ts, 2026-12-08): writing
costs about 11 µs of CPU per entry over all threads (25 µs before issue 13's cost work: metadata built only to
be JSON-encoded, rows of JSON, brotli quality 5; this bench at 200 000 entries then gave 28.4 % of raw
on disk and 5.0 s of write CPU = 677 % of parse CPU). Of what is left, brotli quality 4 (thread pool) is about 3 µs,
the journal's JSON rows and writes about 2, the trigram filters about 1.3, the column encoding about 1.1; the
rest is bookkeeping and GC. Disk: the bench's 200 entries per 10 minutes make blocks of about 35 KB (a block
ends at a 10-minute boundary, so that histograms count from the index), which brotli compresses to about 18 %
of raw; at 1000 entries a block it is about 16.6 %, the trigram bitmaps add about 3.6 % and the index 1 %.
Targets of issue 13 not met here: disk ≤ 12.5 % of raw (below what gzip -6 and zstd -3 reach on these lines),
write cost ≤ 20 % of the pipeline; met: every first page and the histogram well under 1 s.

Codecs on column blocks of 100 000 of these entries (2026-12-08, CPU per entry, compressed / raw; node:zlib):

| codec | 200 entries a block | 1000 entries a block |
| --- | ---: | ---: |
| deflate 6 | 18.3 %, 1.9 µs | 17.0 %, 2.2 µs |
| brotli 3 | 18.8 %, 2.4 µs | 17.3 %, 1.7 µs |
| brotli 4 (used) | 18.2 %, 3.0 µs | 16.6 %, 2.2 µs |
| brotli 5 | 17.1 %, 4.6 µs | 15.6 %, 4.8 µs |

The same entries as JSON rows (before): brotli 5 18.8 %, 5.4 µs at 256 KB blocks; as columns 14.5 %, 3.1 µs.
`;
writeSection('history', body);
console.log(body);
if (!flag('keep')) rmSync(work, { recursive: true, force: true });
else console.log(`kept ${work}`);
