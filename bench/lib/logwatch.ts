// LogWatch as the benchmarks run it: a real process (src/main.ts on Bun, the Node bundle on Node) in a
// scratch workspace, configured by a file, on 127.0.0.1 and a free port.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_OUT, BUN, NODE_BUNDLE, REPO, sleep } from './env.ts';

export type Runtime = 'bun' | 'node';

export interface Workspace {
  dir: string;
  logs: string;
  state: string;
  remove(): void;
}

let counter = 0;
export function workspace(name: string): Workspace {
  const dir = join(BENCH_OUT, 'work', `${name}-${process.pid}-${++counter}`);
  rmSync(dir, { recursive: true, force: true });
  const logs = join(dir, 'logs');
  const state = join(dir, 'state');
  mkdirSync(logs, { recursive: true });
  return { dir, logs, state, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface LogWatchProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  output(): string;
  /** JSON of GET path. */
  get<T = unknown>(path: string): Promise<T>;
  totalLogs(): Promise<number>;
  /** Waits until /api/stats counts at least `n` entries; resolves with the time it saw it (performance.now()). */
  waitForTotal(n: number, timeoutMs?: number, pollMs?: number): Promise<number>;
  /** Resident set size in bytes (from /proc). */
  rss(): number;
  /** User + system CPU seconds of the process so far (from /proc). */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

const CLK_TCK = 100;

export function procCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

export function procRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  return kb === undefined ? Number.NaN : Number(kb) * 1024;
}

export function commandFor(runtime: Runtime): [string, string[]] {
  if (runtime === 'bun') return [BUN, [join(REPO, 'src', 'main.ts')]];
  if (!existsSync(NODE_BUNDLE)) throw new Error(`${NODE_BUNDLE} is missing: run \`npm run bench\` (it builds it) or bench/build-node.mjs`);
  return ['node', [NODE_BUNDLE]];
}

/** Starts LogWatch with `config` (written to the workspace) and waits until it listens. */
export async function startLogWatch(runtime: Runtime, ws: Workspace, config: Record<string, unknown>, extraArgs: string[] = []): Promise<LogWatchProcess> {
  const configPath = join(ws.dir, 'logwatch.config.json');
  writeFileSync(configPath, JSON.stringify({ host: '127.0.0.1', port: 0, stateDir: ws.state, ...config }, null, 2));
  const [command, args] = commandFor(runtime);
  // BENCH_RUNTIME_ARGS: flags for the runtime itself, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile a run.
  const runtimeArgs = (process.env.BENCH_RUNTIME_ARGS ?? '').split(' ').filter((a) => a !== '');
  const child = spawn(command, [...runtimeArgs, ...args, '--config', configPath, ...extraArgs], {
    cwd: ws.dir,
    env: { ...process.env, TZ: 'UTC', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: Buffer) => {
    output += d.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`LogWatch (${runtime}) did not start:\n${output}`));
    }, 30_000);
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m === null) return;
      clearTimeout(timer);
      child.stdout!.off('data', check);
      resolve(m[1]!);
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`LogWatch (${runtime}) exited with ${code} before listening:\n${output}`));
    });
  });
  const pid = child.pid!;
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(url + path);
    return (await res.json()) as T;
  };
  const totalLogs = async () => (await get<{ total_logs: number }>('/api/stats')).total_logs;
  return {
    url,
    pid,
    child,
    output: () => output,
    get,
    totalLogs,
    async waitForTotal(n, timeoutMs = 300_000, pollMs = 5) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const total = await totalLogs();
        const at = performance.now();
        if (total >= n) return at;
        if (at > deadline) throw new Error(`LogWatch (${runtime}) counted ${total} of ${n} entries in ${timeoutMs} ms`);
        await sleep(pollMs);
      }
    },
    rss: () => procRss(pid),
    cpuSeconds: () => procCpuSeconds(pid),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Bundles src/main.ts for Node once per benchmark process (Node 20 runs no .ts; Bun's bundler keeps the code as written). */
let bundled = false;
export function ensureNodeBundle(): void {
  if (bundled) return;
  const res = spawnSync(BUN, ['build', join(REPO, 'src', 'main.ts'), '--target=node', '--outfile', NODE_BUNDLE], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`bundling LogWatch for Node failed:\n${res.stderr}`);
  bundled = true;
}
