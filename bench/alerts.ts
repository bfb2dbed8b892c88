// Alert engine throughput: 100 rules of every type over 1 M entries, in batches as the pipeline sends
// them, with the once-a-second tick. Prints entries/s (median of several runs).
//   node_modules/.bin/bun bench/alerts.ts [--entries 1000000] [--runs 5] [--batch 1000] [--default-rules]
// --default-rules measures the two default rules instead of the 100-rule mix.
import { cpus, totalmem } from 'node:os';
import { DEFAULT_RULES, ruleSchema, type RuleConfig, type RuleInput } from '../src/alerts/config.ts';
import { createAlertEngine } from '../src/alerts/index.ts';
import { createMemoryLogger } from '../src/logger.ts';
import type { Level, LogEntry } from '../src/types.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

const ENTRIES = arg('entries', 1_000_000);
const RUNS = arg('runs', 5);
const BATCH = arg('batch', 1000);
/** Simulated arrival rate: 1000 entries per second of the engine's clock. */
const ENTRIES_PER_SECOND = 1000;

const WORDS = ['timeout', 'refused', 'denied', 'disk', 'quota', 'oom', 'panic', 'retry', 'slow', 'deadlock', 'tls', 'dns', 'cache', 'queue', 'auth'];

/** 100 rules: 40 pattern thresholds, 20 level+source thresholds, 15 per-IP with conditions, 10 rate, 10 absence, 5 new_value. */
function benchRules(): RuleConfig[] {
  const inputs: RuleInput[] = [];
  for (let i = 0; i < 40; i++) inputs.push({ name: `pattern-${i}`, pattern: `${WORDS[i % WORDS.length]} (err|fail)\\w* ${i}\\b`, threshold: 5, window: 60 });
  for (let i = 0; i < 20; i++) inputs.push({ name: `level-${i}`, level: i % 2 === 0 ? 'ERROR' : 'WARNING', source: `logs/svc-${i % 10}*.log`, threshold: 50, window: 60 });
  for (let i = 0; i < 15; i++) {
    inputs.push({ name: `per-ip-${i}`, groupBy: 'metadata.ip', where: [`metadata.status >= ${400 + i}`, 'metadata.method == "POST"'], threshold: 20, window: 120 });
  }
  for (let i = 0; i < 10; i++) inputs.push({ name: `rate-${i}`, type: 'rate', level: 'ERROR', source: `logs/svc-${i}.log`, factor: 3, baseline: 5, threshold: 30, window: 30 });
  for (let i = 0; i < 10; i++) inputs.push({ name: `absence-${i}`, type: 'absence', pattern: `heartbeat ${i}$`, window: 30 });
  for (let i = 0; i < 5; i++) inputs.push({ name: `new-${i}`, type: 'new_value', field: i % 2 === 0 ? 'metadata.user' : 'metadata.ip', source: `logs/svc-${i}.log`, warmup: 60 });
  return inputs.map((input) => ruleSchema.parse(input));
}

const LEVEL_MIX: Level[] = ['INFO', 'INFO', 'INFO', 'INFO', 'INFO', 'DEBUG', 'WARNING', 'WARNING', 'ERROR', 'CRITICAL'];

/** A pool of varied entries reused round-robin (times are set as they are sent). */
function entryPool(size: number): LogEntry[] {
  let seed = 42;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  return Array.from({ length: size }, (_, i) => {
    const heartbeat = rand(200) === 0;
    const word = WORDS[rand(WORDS.length)];
    const message = heartbeat
      ? `heartbeat ${rand(10)}`
      : `request ${i} ${word} ${rand(3) === 0 ? 'error' : 'ok'} ${rand(60)} took ${rand(900)}ms for user u${rand(500)}`;
    return {
      id: i + 1,
      time: 0,
      level: LEVEL_MIX[rand(LEVEL_MIX.length)],
      message,
      source: `logs/svc-${rand(12)}.log`,
      format: 'json',
      metadata: { ip: `10.${rand(4)}.${rand(40)}.${rand(250)}`, status: [200, 200, 200, 201, 304, 404, 429, 500, 502][rand(9)], method: rand(4) === 0 ? 'POST' : 'GET', user: `u${rand(2000)}` },
      raw: message,
      receivedAt: 0,
    };
  });
}

function run(rules: RuleConfig[], pool: LogEntry[]): { seconds: number; alerts: number } {
  let now = Date.UTC(2026, 10, 30);
  const engine = createAlertEngine({ rules, clock: () => now, logger: createMemoryLogger() });
  const batch: LogEntry[] = new Array(BATCH);
  let alerts = 0;
  let sinceTick = 0;
  const started = performance.now();
  for (let sent = 0; sent < ENTRIES; sent += BATCH) {
    const n = Math.min(BATCH, ENTRIES - sent);
    batch.length = n;
    for (let i = 0; i < n; i++) {
      const entry = pool[(sent + i) % pool.length];
      entry.time = now;
      entry.receivedAt = now;
      batch[i] = entry;
    }
    alerts += engine.evaluate(batch).length;
    now += (n * 1000) / ENTRIES_PER_SECOND;
    sinceTick += n;
    if (sinceTick >= ENTRIES_PER_SECOND) {
      sinceTick = 0;
      alerts += engine.tick().length;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  engine.close();
  return { seconds, alerts };
}

const runtime = typeof (process.versions as Record<string, string | undefined>).bun === 'string' ? `Bun ${process.versions.bun}` : `Node ${process.versions.node}`;
const pool = entryPool(50_000);

/** Runs a rule set RUNS times after a warm-up; entries/s of each run, sorted. */
function measure(rules: RuleConfig[], label: string): number[] {
  run(rules, pool.slice(0, 1000)); // warm-up: JIT the hot paths before timing
  const results: Array<{ seconds: number; alerts: number }> = [];
  for (let r = 0; r < RUNS; r++) {
    const result = run(rules, pool);
    results.push(result);
    console.log(`${label} run ${r + 1}: ${(ENTRIES / result.seconds).toFixed(0)} entries/s (${result.seconds.toFixed(2)} s, ${result.alerts} alerts)`);
  }
  const rates = results.map((r) => ENTRIES / r.seconds).sort((a, b) => a - b);
  const median = rates[rates.length >> 1];
  console.log(
    `alerts: ${rules.length} rules over ${ENTRIES.toLocaleString('en')} entries (batches of ${BATCH}): median ${Math.round(median).toLocaleString('en')} entries/s ` +
      `(${(median * rules.length / 1e6).toFixed(1)} M rule evaluations/s) over ${RUNS} runs; ${runtime}, ${cpus()[0]?.model ?? 'unknown CPU'}, ` +
      `${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${new Date().toISOString().slice(0, 10)}`,
  );
  return rates;
}

if (process.argv.includes('--write')) {
  // Both rule sets, and the "Alerts" section of bench/RESULTS.md (npm run bench does this).
  const { machine, machineLine } = await import('./lib/env.ts');
  const { saveJson, writeSection } = await import('./lib/results.ts');
  const mix = benchRules();
  const mixRates = measure(mix, '100 rules');
  const defaultRates = measure(DEFAULT_RULES, 'defaults');
  const fmt = (n: number) => Math.round(n).toLocaleString('en');
  const median = (rates: number[]) => rates[rates.length >> 1]!;
  const m = machine();
  saveJson('alerts', { machine: m, entries: ENTRIES, runs: RUNS, mixRates, defaultRates });
  writeSection('alerts', `## Alerts

\`bun bench/alerts.ts --write\` — the alert engine alone (\`evaluate\` in batches of ${BATCH} entries as the pipeline sends them, plus the
once-a-second \`tick\`), ${(ENTRIES / 1e6).toFixed(0)} M entries arriving at ${ENTRIES_PER_SECOND}/s of engine clock, median of ${RUNS} runs after a warm-up. The 100
rules mix every type: 40 pattern thresholds, 20 level + source-glob thresholds, 15 per-IP (\`groupBy: metadata.ip\`) thresholds with two
\`where\` conditions each, 10 rate, 10 absence and 5 new_value rules. ${machineLine(m)}.

| rules | entries/s (median) | rule evaluations/s | runs (entries/s) |
|---|---|---|---|
| 100 (mix above) | **${fmt(median(mixRates))}** | ${(median(mixRates) * mix.length / 1e6).toFixed(1)} M | ${mixRates.map(fmt).join(' · ')} |
| 2 (the defaults) | **${fmt(median(defaultRates))}** | ${(median(defaultRates) * DEFAULT_RULES.length / 1e6).toFixed(1)} M | ${defaultRates.map(fmt).join(' · ')} |

Notes:
- Work per entry is O(1) per rule: a level compare, a cached source-glob answer, the \`where\` conditions, then the
  regex, which is skipped when a literal every match must contain (found in the pattern) is absent from the
  lowercased message. Counting is one increment in a bucketed window per match; windows advance per bucket of
  elapsed time, never by rescanning matches.
- Regexes dominate: the 40 pattern rules cost about as much as the other 60 together. Under Node (V8) the literal
  prefilter makes a pattern rule ~1.7× cheaper; under Bun (JSC) it is neutral (its regex engine already scans fast).
- In the whole pipeline the two default rules cost about 80 ns per line (bench/hotpath.ts profile): the level compare and
  one case-insensitive regex test of each message.
`);
} else {
  measure(process.argv.includes('--default-rules') ? DEFAULT_RULES : benchRules(), 'rules');
}
