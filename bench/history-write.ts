// The CPU cost of writing history alone, per entry: the bench's mixed lines are parsed first (not
// measured), then appended through HistoryStore and closed (journal, seal, compression in the thread
// pool: the whole process's CPU). Runs alternate with and without metadata elision, so a loaded machine
// weighs on both alike. `bun bench/history-write.ts --entries 200000 --runs 3`. Prints, saves nothing.
import { Buffer } from 'node:buffer';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createParserFactory } from '../src/parse/index.ts';
import { createMetadataRebuilder, REBUILDABLE_FORMATS } from '../src/parse/rebuild.ts';
import { HistoryStore } from '../src/store/history/store.ts';
import type { SegmentMeta } from '../src/store/history/segment.ts';
import type { AppendEntry } from '../src/store/history/types.ts';
import { lineMaker } from './lib/data.ts';
import { arg } from './lib/env.ts';

const N = Number(arg('entries', '200000'));
const RUNS = Number(arg('runs', '3'));
const DAY = 86_400_000;
const FORMATS = ['access', 'syslog', 'json', 'python'] as const;
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

function parseAll(): { batches: AppendEntry[][]; rawBytes: number } {
  const makers = FORMATS.map((f, k) => lineMaker(f, 100 + k));
  const factory = createParserFactory({ formats: {}, parse: { multilineTimeoutMs: 250, detectLines: 20 } });
  const parsers = new Map<string, ReturnType<typeof factory.create>>();
  const batches: AppendEntry[][] = [];
  const start = Date.now() - 7 * DAY;
  let rawBytes = 0;
  let n = 0;
  for (let base = 0; base < N; base += 250) {
    const k = (base / 250) % 16;
    const source = `host-${Math.floor(k / 4)}/${FORMATS[k % 4]}.log`;
    const lines: string[] = [];
    for (let i = base; i < Math.min(N, base + 250); i++) lines.push(makers[k % 4](i));
    let parser = parsers.get(source);
    if (parser === undefined) parsers.set(source, (parser = factory.create({ source })));
    const entries: AppendEntry[] = [];
    parser.push({ lines, receivedAt: Date.now() }, entries);
    for (const entry of entries) {
      entry.time = start + Math.floor((n / N) * 7 * DAY);
      entry.receivedAt = entry.time;
      entry.id = ++n;
      rawBytes += Buffer.byteLength(entry.raw) + 1;
    }
    batches.push(entries);
  }
  for (const p of parsers.values()) {
    const rest: AppendEntry[] = [];
    p.flush(rest);
    batches.push(rest);
  }
  return { batches, rawBytes };
}

const pct = (a: number, b: number) => `${((a / b) * 100).toFixed(1)} %`;
let lastParts = '';

async function run(elide: boolean): Promise<{ us: number; ratio: number }> {
  // Fresh entries each run: metadata a run built would make the next one cheaper.
  const { batches, rawBytes } = parseAll();
  const dir = mkdtempSync(join(tmpdir(), 'lw-bench-hw-'));
  const metadata = elide ? { formats: REBUILDABLE_FORMATS, rebuild: createMetadataRebuilder() } : undefined;
  const c0 = cpu();
  const store = await HistoryStore.open({ dir, clock: () => Date.now(), maxAgeMs: 30 * DAY, maxBytes: 1e12, metadata });
  for (let b = 0; b < batches.length; b++) {
    store.append(batches[b]);
    if (b % 80 === 79) await new Promise((r) => setImmediate(r));
    if (store.queued > 50_000) await store.flush();
  }
  await store.close();
  const used = cpu() - c0;
  const reopened = await HistoryStore.open({ dir, clock: () => Date.now(), maxAgeMs: 30 * DAY, maxBytes: 1e12 });
  const bytes = reopened.stats().bytes;
  // Where the bytes go: compressed blocks, trigram bitmaps, the index (and footers).
  const parts = { blocks: 0, bitmaps: 0, index: 0, count: 0 };
  for (const segment of (reopened as unknown as { catalog: { segments: SegmentMeta[] } }).catalog.segments) {
    for (const block of segment.blocks) {
      parts.blocks += block.length;
      parts.bitmaps += block.bloomLength;
      parts.count++;
    }
  }
  parts.index = bytes - parts.blocks - parts.bitmaps;
  lastParts = `blocks ${pct(parts.blocks, rawBytes)}, bitmaps ${pct(parts.bitmaps, rawBytes)}, index+journal ${pct(parts.index, rawBytes)} of raw; ${parts.count} blocks`;
  await reopened.close();
  rmSync(dir, { recursive: true, force: true });
  return { us: (used / N) * 1e6, ratio: bytes / rawBytes };
}

const out: Record<string, number[]> = { full: [], elided: [] };
const ratios: Record<string, number> = {};
for (let r = 0; r < RUNS; r++) {
  for (const elide of r % 2 === 0 ? [false, true] : [true, false]) {
    const { us, ratio } = await run(elide);
    out[elide ? 'elided' : 'full'].push(us);
    ratios[elide ? 'elided' : 'full'] = ratio;
  }
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const k of Object.keys(out)) console.log(`${k}: ${med(out[k]).toFixed(2)} µs/entry (runs ${out[k].map((x) => x.toFixed(1)).join(', ')}), disk/raw ${(ratios[k] * 100).toFixed(1)} %`);
console.log(lastParts);
