// Template miner throughput, standalone: messages per CPU-second (the analyzer runs synchronously
// on the hot path, so CPU time is its cost). The messages are the loghub corpus messages as LogWatch
// parses them, with every digit run replaced by a fresh random number on each pass, so that no
// message repeats and the exact-message cache never hits (a worst case: real logs repeat lines).
//   node_modules/.bin/bun bench/analyzer.ts
import { Analyzer, type PatternedEntry } from '../src/analyze/analyzer.ts';
import { TemplateMiner } from '../src/analyze/miner.ts';
import type { AnomalyEvent } from '../src/analyze/types.ts';
import { minedText } from '../src/analyze/tokens.ts';
import { LOGHUB_DRAIN_GA, loghubEntries } from '../test/corpus/grouping.ts';
import { prng } from './lib/data.ts';

const CORPUS = new URL('../../shared/corpus/', import.meta.url);
const PASSES = 20;

const rand = prng(14);
const baseEntries = Object.keys(LOGHUB_DRAIN_GA).flatMap((system) => loghubEntries(CORPUS, system).entries);
const base = baseEntries.map((e) => ({ source: e.source, text: minedText(e) }));
const messages: Array<{ source: string; text: string }> = [];
const entries: PatternedEntry[] = [];
for (let pass = 0; pass < PASSES; pass++) {
  for (const e of baseEntries) {
    const text = minedText(e).replace(/\d+/g, () => String(Math.floor(rand() * 100_000)));
    messages.push({ source: e.source, text });
    entries.push({ ...e, message: text });
  }
}

/** The whole stage: mining, per-pattern counts and the anomaly detector, in batches of 256 entries. */
function runAnalyzer(): number {
  let now = Date.UTC(2026, 10, 30, 8, 0, 0);
  const analyzer = new Analyzer({ clock: () => now });
  const events: AnomalyEvent[] = [];
  const start = process.cpuUsage();
  for (let i = 0; i < entries.length; i += 256) {
    analyzer.analyze(entries.slice(i, i + 256), false, events);
    now += 50; // ~5 000 lines per second of clock
    if (i % 5120 === 0) analyzer.tick(events);
  }
  const used = process.cpuUsage(start);
  return entries.length / ((used.user + used.system) / 1e6);
}

function run(): number {
  const miner = new TemplateMiner();
  const start = process.cpuUsage();
  for (let i = 0; i < messages.length; i++) miner.match(messages[i]!.source, messages[i]!.text, i);
  const used = process.cpuUsage(start);
  return messages.length / ((used.user + used.system) / 1e6);
}

run(); // warm-up
const rates = [run(), run(), run()].sort((a, b) => a - b);
runAnalyzer();
const full = [runAnalyzer(), runAnalyzer(), runAnalyzer()].sort((a, b) => a - b);
console.log(`template miner: ${messages.length} messages (${base.length} corpus messages × ${PASSES}, digits varied), median ${Math.round(rates[1]!).toLocaleString('en')} messages per CPU-second`);
console.log(`whole analyzer (miner + counts + anomaly detector): median ${Math.round(full[1]!).toLocaleString('en')} entries per CPU-second`);
