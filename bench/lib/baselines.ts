// The tools LogWatch is compared with, each run on the same file in the same round. JavaScript floors
// report their own time (runtime start-up excluded, in their favour); the C tools are timed from the
// outside (start-up included, a few ms; lnav's ~0.1 s is noted in RESULTS.md).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_OUT, BUN, REPO } from './env.ts';
import type { BenchFormat } from './data.ts';

export interface BaselineRun {
  seconds: number;
  /** Lines (or records) the tool reported, to check it read the whole file; undefined when it reports none. */
  lines?: number;
}

export interface Baseline {
  /** Short id used in tables. */
  id: string;
  /** How the table names it. */
  label: string;
  /** Formats it applies to. */
  formats: readonly BenchFormat[];
  run(path: string, format: BenchFormat): BaselineRun;
  /** Null when it can run; else why not (a missing tool). */
  missing(): string | null;
}

const ALL: readonly BenchFormat[] = ['access', 'syslog', 'json', 'python', 'mixed'];
const LNAV_FORMATS = join(REPO, 'bench', 'lnav');

function which(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

function js(runtime: 'node' | 'bun', script: string, args: string[]): BaselineRun {
  const command = runtime === 'node' ? 'node' : BUN;
  const res = spawnSync(command, [join(REPO, 'bench', 'baselines', script), ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (res.status !== 0) throw new Error(`${runtime} ${script} failed: ${res.stderr}`);
  const out = JSON.parse(res.stdout.trim().split('\n').pop()!) as { lines: number; ms: number };
  return { seconds: out.ms / 1000, lines: out.lines };
}

function timed(command: string, args: string[], options: { cwd?: string; stdout?: 'pipe' | 'ignore' } = {}): { seconds: number; stdout: string } {
  const start = performance.now();
  const res = spawnSync(command, args, { cwd: options.cwd, encoding: 'utf8', stdio: ['ignore', options.stdout ?? 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  const seconds = (performance.now() - start) / 1000;
  if (res.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${res.status}: ${res.stderr?.slice(-500)}`);
  return { seconds, stdout: res.stdout ?? '' };
}

function lastNumber(text: string): number | undefined {
  const m = /(\d+)\s*$/.exec(text.trim());
  return m === null ? undefined : Number(m[1]);
}

export const BASELINES: readonly Baseline[] = [
  {
    id: 'readline',
    label: 'Node `readline`',
    formats: ALL,
    run: (path) => js('node', 'readline-count.mjs', [path]),
    missing: () => null,
  },
  {
    id: 'split-node',
    label: 'byte split, Node',
    formats: ALL,
    run: (path) => js('node', 'split-count.mjs', [path]),
    missing: () => null,
  },
  {
    id: 'split-bun',
    label: 'byte split, Bun',
    formats: ALL,
    run: (path) => js('bun', 'split-count.mjs', [path]),
    missing: () => null,
  },
  {
    id: 'jsonparse-node',
    label: 'split + `JSON.parse`, Node',
    formats: ['json'],
    run: (path) => js('node', 'split-count.mjs', [path, '--json']),
    missing: () => null,
  },
  {
    id: 'jsonparse-bun',
    label: 'split + `JSON.parse`, Bun',
    formats: ['json'],
    run: (path) => js('bun', 'split-count.mjs', [path, '--json']),
    missing: () => null,
  },
  {
    id: 'grep',
    label: "`grep -c ''`",
    formats: ALL,
    run: (path) => {
      const r = timed('grep', ['-c', '', path]);
      return { seconds: r.seconds, lines: lastNumber(r.stdout) };
    },
    missing: () => (which('grep') ? null : 'grep'),
  },
  {
    id: 'lnav',
    label: '`lnav -n` + SQL count',
    formats: ALL,
    run: (path) => {
      // bench/lnav holds a bunyan format definition: lnav 0.11 has none built in for JSON lines.
      const r = timed('lnav', ['-n', '-I', LNAV_FORMATS, '-c', ';SELECT count(*) FROM all_logs', path]);
      return { seconds: r.seconds, lines: lastNumber(r.stdout) };
    },
    missing: () => (which('lnav') ? null : 'lnav'),
  },
  {
    id: 'goaccess',
    label: '`goaccess --log-format=COMBINED -o report.json`',
    formats: ['access'],
    run: (path) => {
      const dir = join(BENCH_OUT, 'work', 'goaccess');
      mkdirSync(dir, { recursive: true });
      const r = timed('goaccess', [path, '--log-format=COMBINED', '-o', join(dir, 'report.json')], { cwd: dir, stdout: 'ignore' });
      return { seconds: r.seconds };
    },
    missing: () => (which('goaccess') ? null : 'goaccess'),
  },
  {
    id: 'jq',
    label: '`jq -c .`',
    formats: ['json'],
    run: (path) => {
      const r = timed('jq', ['-c', '.', path], { stdout: 'ignore' });
      return { seconds: r.seconds };
    },
    missing: () => (which('jq') ? null : 'jq'),
  },
];

/** Installs the Debian packages of the C baselines when root (apt-get), else says how. */
export function ensureTools(log: (line: string) => void): void {
  const wanted = { lnav: 'lnav', goaccess: 'goaccess', jq: 'jq' } as const;
  const missing = Object.entries(wanted).filter(([tool]) => !which(tool)).map(([, pkg]) => pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() === 0 && which('apt-get')) {
    log(`installing ${missing.join(', ')} with apt-get`);
    let res = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (res.status !== 0) {
      spawnSync('apt-get', ['update'], { stdio: 'ignore' });
      res = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    }
    if (res.status !== 0) log(`apt-get could not install ${missing.join(', ')}: those baselines are left out`);
  } else {
    log(`missing ${missing.join(', ')}: install them (Debian/Ubuntu: sudo apt-get install ${missing.join(' ')}) for those baselines; left out this time`);
  }
}
