// vitest globalSetup: the rsyslog forwarding test (test/integration/rsyslog.test.ts) runs Debian's rsyslogd.
// As for Chromium (chromium.ts): on a fresh Debian machine as root (as in CI) `npm test` installs the package,
// so the README's test command works there as it is; elsewhere this only says what to do, and that test
// fails with the same message (it never skips).
import { spawnSync } from 'node:child_process';
import process from 'node:process';
import { findRsyslogd } from '../helpers/rsyslog.ts';

export default function setup(): void {
  if (findRsyslogd() !== undefined) return;
  const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (process.getuid?.() !== 0 || !hasApt) {
    process.stderr.write('\n[rsyslog test] rsyslogd not found: install the Debian rsyslog package (sudo apt-get install --no-install-recommends rsyslog).\n\n');
    return;
  }
  process.stderr.write('\n[rsyslog test] rsyslogd is missing: installing Debian\'s rsyslog with apt-get (once)…\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'rsyslog'], { stdio: 'inherit', env });
  if (install.status !== 0) {
    // A fresh image has no package lists yet.
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'rsyslog'], { stdio: 'inherit', env });
  }
  if (install.status !== 0) process.stderr.write('[rsyslog test] apt-get could not install rsyslog; the rsyslog test will fail.\n');
}
