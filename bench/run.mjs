#!/usr/bin/env node
// `npm run bench`: every benchmark in turn, each writing its section of bench/RESULTS.md, then the
// targets summary. Runs with Node (plain JS, nothing to build); the benchmarks themselves run on Bun
// (node_modules/.bin/bun) and start LogWatch on Bun and on Node as separate processes.
//
//   npm run bench                         all (about 30 minutes on 2 cores)
//   npm run bench -- --quick              one round each, shorter runs (a smoke test, ~8 minutes)
//   npm run bench -- --only ingest-file,latency
//   npm run bench -- --skip chaos,fanout
//
// Generated data (1 M-line files), the Node bundle and scratch workspaces go to bench/out/ (git-ignored).
// lnav, goaccess and jq are installed with apt-get when missing and running as root; otherwise the
// benchmark says how to install them and leaves those baselines out.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUN = join(REPO, 'node_modules', '.bin', 'bun');
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const listArg = (name) => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? undefined : argv[i + 1].split(',');
};
const only = listArg('only');
const skip = listArg('skip') ?? [];

/** name → commands (each [program, ...args]); a step fails loudly but the others still run. */
const STEPS = {
  'ingest-file': [[BUN, 'bench/ingest-file.ts', '--rounds', quick ? '1' : '3']],
  hotpath: [
    [BUN, 'bench/hotpath.ts', '--rounds', quick ? '1' : '3'],
    [BUN, 'build', 'bench/hotpath.ts', '--target=node', '--outfile', 'bench/out/node/hotpath.mjs'],
    ['node', 'bench/out/node/hotpath.mjs', '--rounds', quick ? '1' : '3'],
    [BUN, 'bench/hotpath.ts', '--write-only'],
  ],
  'ingest-http': [[BUN, 'bench/ingest-http.ts', '--rounds', quick ? '1' : '3', '--duration', quick ? '5' : '10']],
  receivers: [[BUN, 'bench/receivers.ts', '--lines', quick ? '20000' : '100000']],
  latency: [[BUN, 'bench/latency.ts', '--samples', quick ? '300' : '1000']],
  hold: [[BUN, 'bench/hold.ts', '--traces', quick ? '50' : '200']],
  fanout: [[BUN, 'bench/fanout.ts', '--rounds', quick ? '1' : '3']],
  memory: [[BUN, 'bench/memory.ts', '--millions', quick ? '3' : '10']],
  alerts: [[BUN, 'bench/alerts.ts', '--write', ...(quick ? ['--runs', '3'] : [])]],
  parse: [[BUN, 'bench/parse.ts', '--write']],
  chaos: [[BUN, 'bench/chaos.ts', '--events', quick ? '150' : '1000']],
  history: [[BUN, 'bench/history.ts', '--entries', quick ? '200000' : '1000000']],
  summary: [[BUN, 'bench/summary.ts']],
};

if (!existsSync(BUN)) {
  console.error('node_modules/.bin/bun is missing: run `npm install` first.');
  process.exit(2);
}
const unknown = [...(only ?? []), ...skip].filter((name) => !(name in STEPS));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(STEPS).join(', ')}`);
  process.exit(2);
}

const failed = [];
const started = Date.now();
for (const [name, commands] of Object.entries(STEPS)) {
  if ((only !== undefined && !only.includes(name) && name !== 'summary') || skip.includes(name)) continue;
  console.log(`\n=== ${name} (${Math.round((Date.now() - started) / 1000)} s in)`);
  for (const [program, ...args] of commands) {
    const res = spawnSync(program, args, { cwd: REPO, stdio: 'inherit' });
    if (res.status !== 0) {
      failed.push(name);
      console.error(`${name}: ${program} ${args.join(' ')} exited with ${res.status ?? res.signal}`);
      break;
    }
  }
}
console.log(`\nbench/RESULTS.md updated in ${Math.round((Date.now() - started) / 60_000)} min${failed.length > 0 ? `; failed: ${failed.join(', ')}` : ''}`);
process.exit(failed.length > 0 ? 1 : 0);
