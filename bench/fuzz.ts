// The fuzz targets of test/fuzz/ run longer: hostile HTTP requests, random configs, random bytes
// through every parser. Prints runs, time and what was seen; exits 1 with the counterexample on failure.
//   node_modules/.bin/bun bench/fuzz.ts [--count 5000] [--seed N]
import { fuzzConfig, fuzzHttp, fuzzParsers } from '../test/fuzz/targets.ts';

function arg(name: string): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : undefined;
}

const count = arg('count') ?? 5000;
const seed = arg('seed');
const show = (name: string, r: { runs: number; ms: number; statuses: Record<string, number> }) =>
  console.log(`${name.padEnd(8)} ${String(r.runs).padStart(7)} cases in ${(r.ms / 1000).toFixed(1).padStart(6)} s  ${JSON.stringify(r.statuses)}`);

show('http', await fuzzHttp(count, seed));
show('config', fuzzConfig(count, seed));
show('parsers', fuzzParsers(count, seed));
