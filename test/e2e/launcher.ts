// Starts the real server (a child process on a free port, watching a temp folder) for browser tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

export interface DashboardServer {
  url: string;
  /** The watched folder (`*.log` in it are tailed). */
  logs: string;
  child: ChildProcess;
  /** Appends lines (each ending in \n) to a file in the watched folder. */
  append(file: string, lines: readonly string[]): void;
  output(): string;
  stop(): Promise<void>;
}

export interface DashboardOptions {
  /** Config file contents (rules, notifiers...). */
  config?: Record<string, unknown>;
  /** Files to create before the start (their content is history). */
  files?: Record<string, string>;
  timeoutMs?: number;
}

export async function startDashboardServer(options: DashboardOptions = {}): Promise<DashboardServer> {
  const dir = mkdtempSync(join(tmpdir(), 'lw-e2e-'));
  const logs = join(dir, 'logs');
  mkdirSync(logs);
  for (const [name, content] of Object.entries(options.files ?? {})) writeFileSync(join(logs, name), content);
  const configPath = join(dir, 'logwatch.config.json');
  writeFileSync(configPath, JSON.stringify({ notifiers: {}, ...options.config }, null, 2));

  const bun = join(REPO_ROOT, 'node_modules', '.bin', 'bun');
  // Run from the temp folder with relative paths, as a user would: sources are named `logs/app.log`.
  const entry = join(REPO_ROOT, 'src', 'main.ts');
  const child = spawn(bun, [entry, '--port', '0', '--watch', 'logs/*.log', '--state-dir', 'state', '--config', configPath], {
    cwd: dir,
    env: { ...process.env, TZ: 'UTC', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));

  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`LogWatch did not start in time:\n${output}`));
    }, options.timeoutMs ?? 30_000);
    const onData = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match === null) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolveUrl(match[1]);
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`LogWatch exited with ${code} before listening:\n${output}`));
    });
  });

  return {
    url,
    logs,
    child,
    append: (file, lines) => appendFileSync(join(logs, file), lines.map((l) => `${l}\n`).join('')),
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `2026-11-30 10:15:02,123 - app - ERROR - message`: Python logging, which the parser reads for level and time. */
export function pythonLine(level: string, message: string, at = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${at.getUTCFullYear()}-${p(at.getUTCMonth() + 1)}-${p(at.getUTCDate())} ${p(at.getUTCHours())}:${p(at.getUTCMinutes())}:${p(at.getUTCSeconds())},${p(at.getUTCMilliseconds(), 3)} - app - ${level} - ${message}`;
}
