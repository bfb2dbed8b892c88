// Runs Debian's rsyslogd as a plain foreground child: its own config, pid file and work directory in a temp
// folder, no system inputs (no /dev/log, no kernel log, no journal), stopped by its PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';

export const RSYSLOG_MISSING = 'rsyslogd not found: install the Debian rsyslog package (apt-get install --no-install-recommends rsyslog); CI installs it (.ci/run), and `npm test` does as root on Debian (test/setup/rsyslog.ts)';

/** rsyslogd lives in /usr/sbin, which is not on every user's PATH. */
export function findRsyslogd(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':').filter((d) => d !== ''), '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    const path = join(dir, 'rsyslogd');
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface Rsyslogd {
  child: ChildProcess;
  output(): string;
  /** SIGTERM to its PID (SIGKILL if it has not exited after 5 s); resolves when it has exited. */
  stop(): Promise<void>;
}

/** Writes `config` to `<dir>/rsyslog.conf` and starts `rsyslogd -n -f <dir>/rsyslog.conf -i <dir>/rsyslog.pid`. */
export function startRsyslogd(binary: string, dir: string, config: string): Rsyslogd {
  const conf = join(dir, 'rsyslog.conf');
  writeFileSync(conf, config);
  const child = spawn(binary, ['-n', '-f', conf, '-i', join(dir, 'rsyslog.pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return exited;
      process.kill(child.pid, 'SIGTERM');
      const timer = setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL');
      }, 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
