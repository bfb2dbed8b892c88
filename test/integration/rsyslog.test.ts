// A real rsyslogd (Debian's package) forwarding to a LogWatch process on 127.0.0.1, with the README's
// configuration ("Shipping logs from other hosts"): every message goes out through both actions, TCP with
// octet-counted framing and the RFC 5424 template (with the README's disk-assisted queue), and UDP in the
// traditional RFC 3164 format. util-linux logger feeds rsyslog's own imtcp input in RFC 3164, as local
// programs write to /dev/log (a `tag:` that the traditional format forwards as it came). Each message must reach
// LogWatch exactly once per action, with its host, app and level. Missing rsyslogd fails the test, never skips it.
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, spawnLogWatch, workspace, type LogWatchProcess } from '../helpers/process.ts';
import { findRsyslogd, RSYSLOG_MISSING, startRsyslogd, type Rsyslogd } from '../helpers/rsyslog.ts';

const run = promisify(execFile);
let lw: LogWatchProcess | undefined;
let rsyslogd: Rsyslogd | undefined;
afterEach(async () => {
  await rsyslogd?.stop();
  await lw?.stop('SIGKILL');
  rsyslogd = lw = undefined;
});

interface EntryJson {
  source: string;
  message: string;
  level: string;
  raw: string;
  metadata: Record<string, unknown>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The README's snippet with the target and ports of this test, and rsyslog's own input for logger. */
function rsyslogConfig(work: string, input: number, tcp: number, udp: number): string {
  return `global(workDirectory="${work}")
module(load="imtcp")
input(type="imtcp" address="127.0.0.1" port="${input}")

*.* action(type="omfwd" target="127.0.0.1" port="${tcp}" protocol="tcp"
           TCP_Framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format"
           queue.type="LinkedList" queue.filename="logwatch" queue.saveOnShutdown="on" action.resumeRetryCount="-1")
*.* action(type="omfwd" target="127.0.0.1" port="${udp}" protocol="udp"
           template="RSYSLOG_TraditionalForwardFormat")
`;
}

const MESSAGES = [
  { priority: 'daemon.err', tag: 'api', text: 'db connection failed id=4711', level: 'ERROR' },
  { priority: 'local3.warning', tag: 'billing', text: 'invoice run slow: 12.5 s', level: 'WARNING' },
  { priority: 'cron.info', tag: 'cron', text: 'backup done in 42 s', level: 'INFO' },
];

describe('rsyslog forwarding to LogWatch', () => {
  it('delivers every message once through the TCP (RFC 5424, octet-counted) and once through the UDP (RFC 3164) action', async () => {
    const binary = findRsyslogd();
    if (binary === undefined) throw new Error(RSYSLOG_MISSING);

    const ws = workspace('lw-rsyslog-');
    lw = await spawnLogWatch('bun', ['--config', ws.writeConfig({ watch: [], stateDir: ws.state, port: 0, notifiers: {}, syslog: { udp: 0, tcp: 0 } })], { timeoutMs: 60_000 });
    const m = /syslog on 127\.0\.0\.1 udp (\d+), tcp (\d+)/.exec(lw.output());
    expect(m, lw.output()).not.toBeNull();
    const [udp, tcp] = [Number(m![1]), Number(m![2])];

    const work = join(ws.dir, 'rsyslog-work');
    mkdirSync(work);
    const input = await freePort();
    rsyslogd = startRsyslogd(binary, ws.dir, rsyslogConfig(work, input, tcp, udp));

    const host = hostname();
    for (const msg of MESSAGES) {
      // logger fails while imtcp is not listening yet (nothing sent); once it connects, the message is rsyslog's.
      await eventually(async () => {
        if (rsyslogd!.child.exitCode !== null) throw new Error(`rsyslogd exited with ${rsyslogd!.child.exitCode}:\n${rsyslogd!.output()}`);
        try {
          await run('logger', ['--server', '127.0.0.1', '--port', String(input), '--tcp', '--octet-count', '--rfc3164', '-t', msg.tag, '-p', msg.priority, msg.text]);
          return true;
        } catch {
          return false;
        }
      }, 20_000, `rsyslogd to accept logger on 127.0.0.1:${input}: ${rsyslogd.output()}`);
    }

    const ours = (entries: EntryJson[]) => entries.filter((e) => MESSAGES.some((msg) => msg.text === e.message));
    const get = async () => ours((await (await fetch(`${lw!.url}/api/logs?limit=10000`)).json()) as EntryJson[]);
    await eventually(async () => ((await get()).length >= 2 * MESSAGES.length ? true : undefined), 20_000, 'every message through both actions').catch(async (err: Error) => {
      const all = await (await fetch(`${lw!.url}/api/logs?limit=10000`)).text();
      throw new Error(`${err.message}\nLogWatch has: ${all}\nrsyslogd said: ${rsyslogd!.output()}\nLogWatch said: ${lw!.output()}`);
    });
    // Anything sent twice would have arrived by now: UDP and the TCP queue deliver within milliseconds on loopback.
    await new Promise((r) => setTimeout(r, 500));
    const entries = await get();

    for (const msg of MESSAGES) {
      const got = entries.filter((e) => e.message === msg.text);
      // One entry in each format: `<PRI>1 ` opens RFC 5424 (the TCP action), `<PRI>Mmm ` the traditional one (UDP).
      const viaTcp = got.filter((e) => /^<\d+>1 \d{4}-/.test(e.raw));
      const viaUdp = got.filter((e) => /^<\d+>[A-Z][a-z]{2} [ \d]\d /.test(e.raw));
      expect(got.length, JSON.stringify(got)).toBe(2);
      expect(viaTcp.length, JSON.stringify(got)).toBe(1);
      expect(viaUdp.length, JSON.stringify(got)).toBe(1);
      for (const e of got) {
        expect(e.level).toBe(msg.level);
        expect(e.source).toBe(`${host}:${msg.tag}`);
        expect(e.metadata).toMatchObject({ host, program: msg.tag, facility: msg.priority.split('.')[0] });
      }
    }
  }, 90_000);
});
