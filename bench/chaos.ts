// The chaos test, long form: `bun bench/chaos.ts [--events 1000] [--seed N]`. Runs LogWatch as a real
// process through ≥ 1000 random rotations, truncations and SIGTERM/SIGKILL restarts (driver:
// test/sources/chaos-driver.ts) and records the figures in the "Tailing / chaos" section of
// bench/RESULTS.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, platform } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, repeatsLine, runChaos, summarize, type ChaosResult } from '../test/sources/chaos-driver.ts';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    events: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1130' },
    /** Another checkout to run LogWatch from (e.g. to try a change). */
    repo: { type: 'string' },
    /** Writes the section from a saved chaos-result.json instead of running. */
    from: { type: 'string' },
    /** A sentence added to the section (how the run was made). */
    note: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
  },
});
const events = Number(values.events);
const seed = Number(values.seed);

const result: ChaosResult =
  values.from === undefined
    ? await runChaos({ seed, events, log: (m) => console.log(m), ...(values.repo === undefined ? {} : { repoRoot: values.repo }) })
    : (JSON.parse(readFileSync(values.from, 'utf8')) as ChaosResult);
if (values.from === undefined) writeFileSync(join(result.workDir, 'chaos-result.json'), JSON.stringify(result, null, 2));
console.log(summarize(result));
console.log(`details: ${result.workDir}/chaos-result.json`);
if (!values['no-write']) writeSection(result);
const ok = result.problems.length === 0 && result.lost.length === 0 && result.duplicated.length === 0 && result.orderViolations.length === 0;
process.exit(ok ? 0 : 1);

function writeSection(r: ChaosResult): void {
  const path = join(REPO_ROOT, 'bench', 'RESULTS.md');
  const begin = '<!-- chaos:begin -->';
  const end = '<!-- chaos:end -->';
  const kills = r.runs.filter((run) => run.end === 'SIGKILL').length;
  const terms = r.runs.filter((run) => run.end === 'SIGTERM').length;
  const startMs = r.runs.map((run) => run.startMs).sort((a, b) => a - b);
  const section = [
    begin,
    '## Tailing / chaos',
    '',
    `\`bun bench/chaos.ts --events ${r.eventsTotal} --seed ${r.seed}\` on ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, ${platform()}; LogWatch on Bun (node_modules/.bin/bun), driver on ${process.versions.bun === undefined ? `Node ${process.versions.node}` : `Bun ${process.versions.bun}`}; short form in CI: \`test/sources/chaos.test.ts\` (110 events).`,
    '',
    '| events | LogWatch runs | SIGTERM | SIGKILL | lines | MB | lost | duplicated | repeated after SIGKILL | order violations | chaos alerts / notifications (want 1) | duration |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    `| ${r.eventsTotal} | ${r.runs.length} | ${terms} | ${kills} | ${r.lines} | ${(r.bytes / 1e6).toFixed(1)} | ${r.lost.length} | ${r.duplicated.length} | ${r.repeatedAfterKill} | ${r.orderViolations.length} | ${r.chaosAlerts} / ${r.chaosNotifications} | ${(r.durationMs / 1000).toFixed(0)} s |`,
    '',
    `Events: ${Object.entries(r.events).map(([k, v]) => `${k} ${v}`).join(', ')}. ${repeatsLine(r)[0].toUpperCase()}${repeatsLine(r).slice(1)}. Median process start to listening: ${startMs[Math.floor(startMs.length / 2)] ?? 0} ms.`,
    ...(r.problems.length === 0 ? [] : ['', 'Problems:', ...r.problems.map((p) => `- ${p.split('\n')[0]}`)]),
    ...(values.note === undefined ? [] : ['', values.note]),
    '',
    '"Lost" is a number no run emitted; "duplicated" one emitted twice in one run or again after a SIGTERM restart; "repeated after SIGKILL" one emitted again in the run after a kill (lines after the last checkpoint, allowed). Counted from each run\'s SSE stream (`/api/stream?lastEventId=0`), history (backfill) told apart by `/api/sources`.',
    end,
  ].join('\n');
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmark results\n';
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  const next = from >= 0 && to > from ? text.slice(0, from) + section + text.slice(to + end.length) : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(path, next);
}
