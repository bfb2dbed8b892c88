// Where things are, what machine this is, and the small statistics every benchmark reports.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The repository: found upwards from this file (which may also run bundled from bench/out/node/). */
export const REPO = findRepo(import.meta.dirname);

function findRepo(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'src', 'main.ts')) && existsSync(join(dir, 'bench'))) return dir;
    if (dirname(dir) === dir) return resolve(from, '../..');
  }
}
/** Generated data, the Node bundle and scratch workspaces (git-ignored). */
export const BENCH_OUT = join(REPO, 'bench', 'out');
export const BUN = join(REPO, 'node_modules', '.bin', 'bun');
/** LogWatch bundled for Node by `bun build --target=node` (Node 20 cannot run .ts files). */
export const NODE_BUNDLE = join(BENCH_OUT, 'node', 'main.mjs');
export const RESULTS = join(REPO, 'bench', 'RESULTS.md');

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The q-quantile (0..1) by nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function tryRun(command: string, args: string[]): string | null {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export interface Machine {
  date: string;
  nproc: string;
  cpu: string;
  memGiB: number;
  load: string;
  bun: string;
  node: string;
  tools: Record<string, string>;
}

export function machine(): Machine {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const cpu = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const tools: Record<string, string> = {};
  const grep = tryRun('grep', ['--version'])?.split('\n')[0];
  if (grep) tools.grep = grep.replace(/^grep \(GNU grep\) /, 'GNU grep ');
  const lnav = tryRun('lnav', ['-V']);
  if (lnav) tools.lnav = lnav;
  const goaccess = tryRun('goaccess', ['-V'])?.split('\n')[0];
  if (goaccess) tools.goaccess = goaccess.replace(/^GoAccess - /, 'GoAccess ').replace(/\.$/, '');
  const jq = tryRun('jq', ['--version']);
  if (jq) tools.jq = jq;
  return {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    nproc: tryRun('nproc', []) ?? String(cpus().length),
    cpu,
    memGiB: Math.round(totalmem() / 2 ** 30),
    load: loadavg().map((l) => l.toFixed(1)).join(' '),
    bun: tryRun(BUN, ['--version']) ?? '?',
    node: tryRun('node', ['--version']) ?? '?',
    tools,
  };
}

export function machineLine(m: Machine = machine()): string {
  const tools = Object.values(m.tools).join(', ');
  return `${m.date}; ${m.nproc} × ${m.cpu}, ${m.memGiB} GiB; load average ${m.load} at the start; Bun ${m.bun}, Node ${m.node}${tools ? `; ${tools}` : ''}`;
}

export const fmtRate = (n: number): string =>
  !Number.isFinite(n) ? '–' : n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(n >= 1e5 ? 0 : 1)} k` : n.toFixed(0);
export const fmtRatio = (n: number): string => (!Number.isFinite(n) ? '–' : n >= 10 ? `${n.toFixed(0)}×` : `${n.toFixed(2)}×`);
export const fmtMs = (n: number): string => (!Number.isFinite(n) ? '–' : n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 || i + 1 >= process.argv.length ? fallback : process.argv[i + 1]!;
}

export function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
