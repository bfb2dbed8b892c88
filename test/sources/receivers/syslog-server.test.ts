// The syslog listeners with real senders: util-linux `logger` over UDP and TCP (both framings, both
// RFCs), and hand-written clients for what logger cannot do (bursts, oversize frames, a busy spool).
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../src/logger.ts';
import { syslogSchema } from '../../../src/sources/receivers/config.ts';
import { SyslogReceiver, type SyslogPorts } from '../../../src/sources/receivers/syslog-server.ts';
import { ClientRateLimiter } from '../../../src/web/middleware/rate-limit.ts';
import { eventually } from '../../helpers/process.ts';
import { entriesOf, newIntake } from './helpers.ts';

const run = promisify(execFile);
let receiver: SyslogReceiver | undefined;
afterEach(async () => {
  await receiver?.stop();
  receiver = undefined;
});

async function start(config: Record<string, unknown>, maxPendingBytes?: number, admit?: (peer: string, n: number) => boolean) {
  const { spool, intake } = newIntake(maxPendingBytes);
  const logger = createMemoryLogger();
  receiver = new SyslogReceiver({ config: syslogSchema.parse(config), defaultHost: '127.0.0.1', intake, logger, clock: Date.now, admit });
  const ports: SyslogPorts = await receiver.start();
  return { spool, intake, ports, logger };
}

function logger(args: string[]) {
  return run('logger', ['--server', '127.0.0.1', ...args]);
}

function sendTcp(port: number, chunks: Array<string | Buffer>): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', async () => {
      for (const chunk of chunks) {
        socket.write(chunk);
        await new Promise((r) => setImmediate(r));
      }
      socket.end();
    });
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
}

describe('syslog receiver with util-linux logger', () => {
  it('takes RFC 5424 and RFC 3164 over UDP, with structured data, facility and severity', async () => {
    const { spool, ports } = await start({ udp: 0 });
    await logger(['--port', String(ports.udp), '--udp', '--rfc5424', '-t', 'payments', '-p', 'local4.err', '--msgid', 'M1', '--sd-id', 'zoo@123', '--sd-param', 'tiger="hungry"', 'card declined']);
    await logger(['--port', String(ports.udp), '--udp', '--rfc3164', '-t', 'cron', '-p', 'cron.warning', 'job late']);
    await eventually(() => spool.lines === 2, 5000, 'two datagrams spooled');
    const [a, b] = entriesOf(spool.parts);
    expect(a).toMatchObject({ level: 'ERROR', message: 'card declined' });
    expect(a.source).toMatch(/:payments$/);
    expect(a.metadata).toMatchObject({ program: 'payments', msgid: 'M1', facility: 'local4', severity: 3 });
    expect((a.metadata.structured_data as Record<string, unknown>)['zoo@123']).toEqual({ tiger: 'hungry' });
    expect(a.raw).toMatch(/^<163>1 \d{4}-/);
    expect(Math.abs(a.time - Date.now())).toBeLessThan(60_000);
    expect(b).toMatchObject({ level: 'WARNING', message: 'job late', metadata: { program: 'cron', facility: 'cron', severity: 4 } });
    expect(Math.abs(b.time - Date.now())).toBeLessThan(60_000);
  });

  it('takes TCP with octet counting and with newline framing, both RFCs', async () => {
    const { spool, ports } = await start({ tcp: 0 });
    const port = String(ports.tcp);
    await logger(['--port', port, '--tcp', '--rfc5424', '--octet-count', '-t', 'app1', 'counted 5424']);
    await logger(['--port', port, '--tcp', '--rfc3164', '--octet-count', '-t', 'app2', 'counted 3164']);
    await logger(['--port', port, '--tcp', '--rfc5424', '-t', 'app3', 'newline 5424']);
    await logger(['--port', port, '--tcp', '--rfc3164', '-t', 'app4', '-p', 'user.debug', 'newline 3164']);
    await eventually(() => spool.lines === 4, 5000, 'four TCP messages spooled');
    const entries = entriesOf(spool.parts);
    expect(entries.map((e) => [e.metadata.program, e.message])).toEqual([
      ['app1', 'counted 5424'],
      ['app2', 'counted 3164'],
      ['app3', 'newline 5424'],
      ['app4', 'newline 3164'],
    ]);
    expect(entries[3].level).toBe('DEBUG');
  });

  it('parses the message inside: an nginx access line sent through syslog is an access entry', async () => {
    const { spool, ports } = await start({ udp: 0 });
    const line = '10.1.1.1 - - [30/Nov/2026:10:15:02 +0000] "GET /login HTTP/1.1" 502 12 "-" "curl/8"';
    await logger(['--port', String(ports.udp), '--udp', '--rfc3164', '-t', 'nginx', '-p', 'local7.info', line]);
    await eventually(() => spool.lines === 1);
    const [entry] = entriesOf(spool.parts);
    expect(entry).toMatchObject({ format: 'combined', level: 'ERROR', message: expect.stringContaining('GET /login') });
    expect(entry.metadata).toMatchObject({ status: 502, program: 'nginx', facility: 'local7' });
    expect(entry.time).toBe(Date.parse('2026-11-30T10:15:02Z'));
  });
});

describe('syslog receiver with a hand-written client', () => {
  it('takes a burst of mixed frames in one TCP stream, cut anywhere, in order', async () => {
    const { spool, ports } = await start({ tcp: 0 });
    const messages = Array.from({ length: 2000 }, (_, i) => `<14>1 2026-11-30T10:15:02Z h app - - - message ${i}`);
    const stream = messages.map((m, i) => (i % 2 === 0 ? `${Buffer.byteLength(m)} ${m}` : `${m}\n`)).join('');
    const bytes = Buffer.from(stream);
    const chunks: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += 777) chunks.push(bytes.subarray(at, at + 777));
    await sendTcp(ports.tcp!, chunks);
    await eventually(() => spool.lines === 2000);
    expect(entriesOf(spool.parts).map((e) => e.message)).toEqual(messages.map((_, i) => `message ${i}`));
    // Bursts are spooled together, not one write per message.
    expect(spool.accepted.length).toBeLessThan(200);
  });

  it('refuses and counts messages over maxMessageBytes (UDP and TCP) and keeps the rest', async () => {
    const { spool, ports, intake } = await start({ udp: 0, tcp: 0, maxMessageBytes: 1024 });
    const big = `<13>${'x'.repeat(2000)}`;
    await sendTcp(ports.tcp!, [`${big.length} ${big}`, 'after one\n', `${big}\n`, 'after two\n']);
    const udp = createSocket('udp4');
    await new Promise<void>((resolve) => udp.send(big, ports.udp!, '127.0.0.1', () => resolve()));
    await new Promise<void>((resolve) => udp.send('<13>small', ports.udp!, '127.0.0.1', () => resolve()));
    udp.close();
    await eventually(() => spool.lines === 3 && intake.snapshot()[0].refused.too_large === 3);
    expect(entriesOf(spool.parts).map((e) => e.message).sort()).toEqual(['after one', 'after two', 'small']);
    expect(intake.snapshot()).toEqual([{ receiver: 'syslog', received: 3, refused: { too_large: 3 } }]);
  });

  it('stops reading TCP while the spool is backed up, and loses nothing', async () => {
    const { spool, ports } = await start({ tcp: 0 }, 0);
    let open!: () => void;
    spool.gate = new Promise((resolve) => (open = resolve));
    const lines = Array.from({ length: 20_000 }, (_, i) => `<13>Nov 30 10:15:02 h app: line ${i} ${'p'.repeat(100)}\n`);
    const sending = sendTcp(ports.tcp!, [lines.join('')]);
    // Nothing is written while the gate holds; with the backlog over its limit the socket is paused.
    await eventually(() => receiver!.connections().paused === 1, 5000, 'the connection paused');
    expect(spool.lines).toBe(0);
    open();
    spool.gate = null;
    await sending;
    await eventually(() => spool.lines === 20_000);
    expect(receiver!.connections().paused).toBe(0);
    expect(entriesOf(spool.parts).at(-1)!.message).toMatch(/^line 19999 /);
  });

  it('counts UDP datagrams dropped while the spool is backed up', async () => {
    const { spool, ports, intake } = await start({ udp: 0 }, 0);
    let open!: () => void;
    spool.gate = new Promise((resolve) => (open = resolve));
    const udp = createSocket('udp4');
    const send = (text: string) => new Promise<void>((resolve) => udp.send(text, ports.udp!, '127.0.0.1', () => resolve()));
    // The first is taken and its write hangs on the gate: the backlog is over its limit (0) from then on.
    await send('<13>first');
    await eventually(() => intake.backedUp(), 5000, 'the spool backed up');
    for (let i = 0; i < 5; i++) await send(`<13>m${i}`);
    await eventually(() => intake.snapshot()[0].refused.backed_up === 5);
    open();
    await eventually(() => spool.lines === 1);
    udp.close();
    expect(entriesOf(spool.parts).map((e) => e.message)).toEqual(['first']);
  });

  it("drops and counts what a peer sends over its line rate (the HTTP ingest limiter, per address), UDP and TCP", async () => {
    // A clock that never moves: the bucket never refills, so the count is exact.
    const limiter = new ClientRateLimiter({ requestsPerSecond: 1, requestBurst: 1, linesPerSecond: 1, lineBurst: 3, maxClients: 10 }, () => 0);
    const peers: string[] = [];
    const { spool, ports, intake } = await start({ udp: 0, tcp: 0 }, undefined, (peer, n) => {
      peers.push(peer);
      return limiter.lines(`addr:${peer}`, n) === 0;
    });
    const udp = createSocket('udp4');
    for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => udp.send(`<13>u${i}`, ports.udp!, '127.0.0.1', () => resolve()));
    udp.close();
    await eventually(() => spool.lines + (intake.snapshot()[0].refused.rate_limited ?? 0) === 5, 5000, 'five datagrams seen');
    expect(entriesOf(spool.parts).map((e) => e.message)).toEqual(['u0', 'u1', 'u2']);
    // The bucket is empty now: a TCP burst from the same address is dropped whole and counted per frame.
    await sendTcp(ports.tcp!, ['<13>t0\n<13>t1\n']);
    await eventually(() => intake.snapshot()[0].refused.rate_limited === 4, 5000, 'the TCP frames refused');
    expect(spool.lines).toBe(3);
    expect(new Set(peers.map((p) => p.replace(/^::ffff:/, '')))).toEqual(new Set(['127.0.0.1']));
    expect(limiter.counters().refusedLines).toBe(4);
  });

  it('fails to start with a message naming the port when it is taken', async () => {
    const { ports } = await start({ tcp: 0 });
    const { intake } = newIntake();
    const second = new SyslogReceiver({ config: syslogSchema.parse({ tcp: ports.tcp }), defaultHost: '127.0.0.1', intake, logger: createMemoryLogger(), clock: Date.now });
    await expect(second.start()).rejects.toThrow(/syslog TCP: cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)/);
  });
});
