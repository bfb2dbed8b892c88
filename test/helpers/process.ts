import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { waitFor } from './wait.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

export type Runtime = 'bun' | 'deno';

/** A temp folder with `logs/` to watch and `state/` for checkpoints. */
export interface Workspace {
  dir: string;
  logs: string;
  state: string;
  /** Writes a config file and returns its path. */
  writeConfig(config: unknown): string;
}

export function workspace(prefix = 'lw-int-'): Workspace {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const logs = join(dir, 'logs');
  const state = join(dir, 'state');
  mkdirSync(logs);
  return {
    dir,
    logs,
    state,
    writeConfig(config) {
      const path = join(dir, 'logwatch.config.json');
      writeFileSync(path, JSON.stringify(config, null, 2));
      return path;
    },
  };
}

export interface LogWatchProcess {
  url: string;
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Sends the signal and resolves with the exit code (null when killed by the signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function runtimeCommand(runtime: Runtime, args: string[]): [string, string[]] {
  const bin = join(REPO_ROOT, 'node_modules', '.bin', runtime);
  const main = join(REPO_ROOT, 'src', 'main.ts');
  return runtime === 'bun' ? [bin, [main, ...args]] : [bin, ['run', '-A', main, ...args]];
}

/** Starts `src/main.ts` as a real process and waits for its "listening on" line. */
export function spawnLogWatch(runtime: Runtime, args: string[], options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<LogWatchProcess> {
  const [command, argv] = runtimeCommand(runtime, args);
  const child = spawn(command, argv, {
    // Relative paths in args (globs, state dir) are relative to cwd, as for a user.
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, TZ: 'UTC', NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));

  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`LogWatch (${runtime}) did not start in time:\n${output}`));
    }, options.timeoutMs ?? 30_000);
    const onData = () => {
      const match = /listening on (https?:\/\/\S+)/.exec(output);
      if (match === null) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolveStart({
        url: match[1],
        child,
        output: () => output,
        stop: async (signal = 'SIGTERM') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`LogWatch (${runtime}) exited with ${code} before listening:\n${output}`));
    });
  });
}

/** waitFor for a value: polls until `check` returns one (not undefined/false) and returns it. */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 5000, what = 'condition'): Promise<T> {
  let value: T | undefined | false;
  await waitFor(
    async () => {
      value = await check();
      return value !== undefined && value !== false;
    },
    { timeoutMs, intervalMs: 50, message: what },
  );
  return value as T;
}
