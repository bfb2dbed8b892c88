// Grouping accuracy as the loghub benchmark computes it (Zhu et al., "Tools and Benchmarks for
// Automated Log Parsing", ICSE-SEIP 2019, logparser's evaluator): a line is parsed right when the
// set of lines in its predicted group is exactly the set of lines of its true template. The messages
// mined are the entries' messages as LogWatch's own parser produces them, as in production.
import { readFileSync } from 'node:fs';
import { TemplateMiner } from '../../src/analyze/miner.ts';
import { minedText } from '../../src/analyze/tokens.ts';
import type { MinerOptions } from '../../src/analyze/types.ts';
import { createParserFactory } from '../../src/parse/index.ts';
import type { LogEntry } from '../../src/types.ts';

/** The 11 loghub systems of the shared corpus, with Drain's published GA on their 2k samples (ICSE-SEIP 2019, Table II). */
export const LOGHUB_DRAIN_GA: Readonly<Record<string, number>> = {
  HDFS: 0.998, Hadoop: 0.948, Spark: 0.92, Zookeeper: 0.967, BGL: 0.963, HPC: 0.887,
  Linux: 0.69, Android: 0.911, Apache: 1.0, OpenSSH: 0.788, Windows: 0.997,
};

/** GA over parallel arrays of predicted group and true template per line. */
export function groupingAccuracy(predicted: readonly string[], truth: readonly string[]): number {
  if (predicted.length !== truth.length) throw new Error(`${predicted.length} predictions for ${truth.length} lines`);
  const truthSize = new Map<string, number>();
  for (const t of truth) truthSize.set(t, (truthSize.get(t) ?? 0) + 1);
  const groups = new Map<string, number[]>();
  predicted.forEach((p, line) => {
    let lines = groups.get(p);
    if (lines === undefined) groups.set(p, (lines = []));
    lines.push(line);
  });
  let right = 0;
  for (const lines of groups.values()) {
    const t = truth[lines[0]!]!;
    if (lines.every((line) => truth[line] === t) && truthSize.get(t) === lines.length) right += lines.length;
  }
  return truth.length === 0 ? 1 : right / truth.length;
}

/** A corpus file's entries, parsed as a source named `source` would parse it. */
export function corpusEntries(corpusDir: URL, path: string, source: string): LogEntry[] {
  const text = readFileSync(new URL(path, corpusDir), 'utf8');
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  const factory = createParserFactory({ formats: {}, parse: { multilineTimeoutMs: 250, detectLines: 20 }, clock: () => Date.UTC(2026, 10, 30) });
  const parser = factory.create({ source });
  const entries: LogEntry[] = [];
  parser.push({ lines: lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)), receivedAt: 0, timezone: 'UTC' }, entries);
  parser.flush(entries);
  return entries;
}

/** The entries of a loghub file parsed as a source would parse it (one entry per line on these files). */
export function loghubEntries(corpusDir: URL, system: string): { entries: LogEntry[]; truth: string[] } {
  const entries = corpusEntries(corpusDir, `loghub/${system}_2k.log`, system);
  const truth = readFileSync(new URL(`loghub/${system}_2k.truth.jsonl`, corpusDir), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => (JSON.parse(l) as { template: string }).template);
  if (entries.length !== truth.length) throw new Error(`${system}: ${entries.length} entries for ${truth.length} truth lines`);
  return { entries, truth };
}

/** GA of the miner on one system's entries, mined in order as they would arrive. */
export function minerAccuracy(entries: readonly LogEntry[], truth: readonly string[], options: Partial<MinerOptions> = {}): number {
  const miner = new TemplateMiner(options);
  const assigned = entries.map((e) => miner.match(e.source, minedText(e), e.time).cluster.id);
  // An entry keeps the id it got; a later merge makes that id an alias, resolved as the API resolves it.
  return groupingAccuracy(assigned.map((id) => miner.resolve(id)), truth);
}
