// Template miner throughput, standalone: messages per CPU-second (the analyzer runs synchronously
// on the hot path, so CPU time is its cost). The messages are the loghub corpus messages as LogWatch
// parses them, with every digit run replaced by a fresh random number on each pass, so that no
// message repeats and the exact-message cache never hits (a worst case: real logs repeat lines).
//   node_modules/.bin/bun bench/analyzer.ts
import { TemplateMiner } from '../src/analyze/miner.ts';
import { minedText } from '../src/analyze/tokens.ts';
import { LOGHUB_DRAIN_GA, loghubEntries } from '../test/corpus/grouping.ts';
import { prng } from './lib/data.ts';

const CORPUS = new URL('../../shared/corpus/', import.meta.url);
const PASSES = 20;

const rand = prng(14);
const base = Object.keys(LOGHUB_DRAIN_GA).flatMap((system) =>
  loghubEntries(CORPUS, system).entries.map((e) => ({ source: system, text: minedText(e) })),
);
const messages: Array<{ source: string; text: string }> = [];
for (let pass = 0; pass < PASSES; pass++) {
  for (const m of base) messages.push({ source: m.source, text: m.text.replace(/\d+/g, () => String(Math.floor(rand() * 100_000))) });
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
console.log(`template miner: ${messages.length} messages (${base.length} corpus messages × ${PASSES}, digits varied), median ${Math.round(rates[1]!).toLocaleString('en')} messages per CPU-second`);
