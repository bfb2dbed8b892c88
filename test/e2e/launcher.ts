// Starts the real server (a child process on a free port, watching a temp folder) for browser tests.
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnLogWatch } from '../helpers/process.ts';

export { REPO_ROOT } from '../helpers/process.ts';

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

  // Run from the temp folder with relative paths, as a user would: sources are named `logs/app.log`.
  const proc = await spawnLogWatch('bun', ['--port', '0', '--watch', 'logs/*.log', '--state-dir', 'state', '--config', configPath], {
    cwd: dir,
    timeoutMs: options.timeoutMs,
  });
  const { url, child } = proc;

  return {
    url,
    logs,
    child,
    append: (file, lines) => appendFileSync(join(logs, file), lines.map((l) => `${l}\n`).join('')),
    output: proc.output,
    stop: async () => {
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await proc.stop('SIGTERM');
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
