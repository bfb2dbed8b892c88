// Receivers: lines/s each receiver takes into a LogWatch process (Bun) until they are parsed and counted,
// with the client in this process: syslog over TCP (octet counted, one connection) and UDP (one
// datagram per line, paced by the socket), Loki push (JSON; protobuf + snappy) and OTLP/HTTP logs (JSON;
// protobuf), 1000 lines per request, 4 requests in flight. Every accepted line is spooled first.
//
//   bun bench/receivers.ts [--lines 100000] [--no-write]
import { createSocket } from 'node:dgram';
import { connect, createServer } from 'node:net';
import snappy from 'snappyjs';
import { ExportLogsServiceRequest } from '../src/sources/receivers/otlp-decode.ts';
import { PushRequest } from '../src/sources/receivers/loki-decode.ts';
import { accessLine, prng } from './lib/data.ts';
import { arg, flag, fmtRate, machine, machineLine } from './lib/env.ts';
import { startLogWatch, workspace, type LogWatchProcess } from './lib/logwatch.ts';
import { saveJson, table, writeSection } from './lib/results.ts';

const LINES = Number(arg('lines', '100000'));
const PER_REQUEST = 1000;
const IN_FLIGHT = 4;
const T0 = Date.parse('2026-11-30T10:15:02Z');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

const rand = prng(7);
const lines = Array.from({ length: PER_REQUEST }, (_, i) => accessLine(i, rand));

async function timed(lw: LogWatchProcess, n: number, send: () => Promise<void>): Promise<{ seconds: number; counted: number }> {
  const base = await lw.totalLogs();
  const start = performance.now();
  await send();
  // Until every line is counted, or (UDP, which loses what the socket cannot buffer) until the count
  // has not moved for a second: the time is then that of the last line counted.
  let counted = 0;
  let end = performance.now();
  let still = performance.now();
  for (;;) {
    const now = (await lw.totalLogs()) - base;
    const at = performance.now();
    if (now !== counted) {
      counted = now;
      end = at;
      still = at;
    }
    if (counted >= n || at - still > 1000) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  return { seconds: (end - start) / 1000, counted };
}

async function http(url: string, bodies: () => { body: Uint8Array | string; type: string }, requests: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      next++;
      const { body, type } = bodies();
      const res = await fetch(url, { method: 'POST', body: body as BodyInit, headers: { 'Content-Type': type } });
      if (res.status >= 300) throw new Error(`${url}: HTTP ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

const lokiJson = JSON.stringify({ streams: [{ stream: { host: 'bench', job: 'nginx' }, values: lines.map((l, i) => [`${T0 + i}000000`, l]) }] });
const lokiProto = snappy.compress(PushRequest.encode(PushRequest.fromObject({ streams: [{ labels: '{host="bench", job="nginx"}', entries: lines.map((line, i) => ({ timestamp: { seconds: Math.floor((T0 + i) / 1000), nanos: 0 }, line })) }] })).finish());
const otlpObject = { resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'nginx' } }, { key: 'host.name', value: { stringValue: 'bench' } }] }, scopeLogs: [{ logRecords: lines.map((l, i) => ({ timeUnixNano: `${T0 + i}000000`, severityNumber: 9, body: { stringValue: l } })) }] }] };
const otlpJson = JSON.stringify(otlpObject);
const otlpProto = ExportLogsServiceRequest.encode(ExportLogsServiceRequest.fromObject(otlpObject)).finish();

function syslogTcp(port: number, n: number): Promise<void> {
  const frames = lines.map((l) => {
    const m = `<134>1 2026-11-30T10:15:02Z bench nginx - - - ${l}`;
    return `${Buffer.byteLength(m)} ${m}`;
  }).join('');
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', async () => {
      for (let sent = 0; sent < n; sent += PER_REQUEST) {
        if (!socket.write(frames)) await new Promise((r) => socket.once('drain', r));
      }
      socket.end(() => resolve());
    });
    socket.on('error', reject);
  });
}

async function syslogUdp(port: number, n: number): Promise<void> {
  const socket = createSocket('udp4');
  const datagrams = lines.map((l) => Buffer.from(`<134>Nov 30 10:15:02 bench nginx: ${l}`));
  for (let i = 0; i < n; i++) {
    await new Promise<void>((resolve) => socket.send(datagrams[i % PER_REQUEST]!, port, '127.0.0.1', () => resolve()));
  }
  socket.close();
}

const m = machine();
const udp = await freePort();
const tcp = await freePort();
const ws = workspace('receivers');
const lw = await startLogWatch('bun', ws, { watch: [], syslog: { udp, tcp }, ingest: { maxBodyBytes: 4 * 1024 * 1024, rateLimit: false /* measures capacity, not the per-client limit */ }, notifiers: {} });
const results: Array<{ receiver: string; lines: number; counted: number; seconds: number }> = [];
const requests = Math.ceil(LINES / PER_REQUEST);
const cases: Array<[string, () => Promise<void>]> = [
  ['syslog TCP (RFC 5424, octet counted, 1 connection)', () => syslogTcp(tcp, LINES)],
  ['syslog UDP (RFC 3164, 1 datagram per line)', () => syslogUdp(udp, LINES)],
  ['Loki push, JSON', () => http(`${lw.url}/loki/api/v1/push`, () => ({ body: lokiJson, type: 'application/json' }), requests)],
  ['Loki push, protobuf + snappy', () => http(`${lw.url}/loki/api/v1/push`, () => ({ body: lokiProto, type: 'application/x-protobuf' }), requests)],
  ['OTLP/HTTP logs, JSON', () => http(`${lw.url}/v1/logs`, () => ({ body: otlpJson, type: 'application/json' }), requests)],
  ['OTLP/HTTP logs, protobuf', () => http(`${lw.url}/v1/logs`, () => ({ body: otlpProto, type: 'application/x-protobuf' }), requests)],
];
try {
  for (const [receiver, send] of cases) {
    const n = receiver.startsWith('syslog') ? LINES : requests * PER_REQUEST;
    const { seconds, counted } = await timed(lw, n, send);
    results.push({ receiver, lines: n, counted, seconds });
    console.log(`${receiver}: ${counted}/${n} lines in ${seconds.toFixed(2)} s = ${fmtRate(counted / seconds)} lines/s`);
  }
} finally {
  await lw.stop();
  ws.remove();
}

const section = [
  '## Receivers',
  '',
  `\`bun bench/receivers.ts\`. ${machineLine(m)}. LogWatch (Bun) as a real process, the client in the benchmark process (it shares`,
  `the 2 cores). ${LINES} access lines (190 bytes) per receiver; HTTP receivers get ${PER_REQUEST} lines per request, ${IN_FLIGHT} requests in flight.`,
  'Time from the first byte sent until `/api/stats` counts every line: received, spooled (no fsync, the default), parsed and stored.',
  'UDP has no flow control: what the socket buffers cannot hold is lost, and the table says how much arrived.',
  '',
  table(['receiver', 'lines sent', 'lines counted', 'seconds', 'lines/s'], results.map((r) => [r.receiver, String(r.lines), String(r.counted), r.seconds.toFixed(2), `**${fmtRate(r.counted / r.seconds)}**`])),
  '',
].join('\n');
console.log(`\n${section}`);
if (!flag('no-write')) {
  saveJson('receivers', { machine: m, results });
  writeSection('receivers', section);
}
