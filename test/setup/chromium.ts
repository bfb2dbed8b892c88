// vitest globalSetup: the browser tests drive Debian's Chromium. On a fresh Debian machine (as root, as in CI)
// `npm install && npm test` installs it, so the README's test command works there as it is; elsewhere this only
// says what to do, and the browser tests fail with the same message.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import process from 'node:process';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function runnable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export default function setup(): void {
  if (runnable(CHROMIUM)) return;
  const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (process.getuid?.() !== 0 || !hasApt || process.env.CHROMIUM_PATH !== undefined) {
    process.stderr.write(`\n[browser tests] Chromium not found at ${CHROMIUM}: install it (sudo apt-get install chromium) or set CHROMIUM_PATH.\n\n`);
    return;
  }
  process.stderr.write('\n[browser tests] Chromium is missing: installing Debian\'s chromium with apt-get (once)…\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  const install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
  if (install.status !== 0) process.stderr.write('[browser tests] apt-get could not install chromium; the browser tests will fail.\n');
}
