// "Accepted means spooled" for the receivers, with the real ingest spool: records accepted but not yet
// processed at a crash come back at the next start, as the same entries, and TLS syslog reaches it too.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../src/logger.ts';
import { ingestSchema } from '../../../src/sources/config.ts';
import { createIngestSpool } from '../../../src/sources/index.ts';
import { syslogSchema } from '../../../src/sources/receivers/config.ts';
import { ReceiverIntake } from '../../../src/sources/receivers/intake.ts';
import { decodeLokiJson } from '../../../src/sources/receivers/loki-decode.ts';
import { SyslogReceiver } from '../../../src/sources/receivers/syslog-server.ts';
import type { IngestPart, IngestSpool } from '../../../src/sources/types.ts';
import type { LineBatch, LineSink } from '../../../src/types.ts';
import { eventually } from '../../helpers/process.ts';
import { tempDir } from '../harness.ts';
import { entriesOf } from './helpers.ts';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** A sink that keeps batches and commits only when told (a pipeline that has not finished them). */
class HoldingSink implements LineSink {
  readonly batches: LineBatch[] = [];
  constructor(private readonly commit: boolean) {}
  write(batch: LineBatch): void {
    this.batches.push(batch);
    if (this.commit) batch.onCommit?.(0);
  }
  flush(): void {}
  parts(): IngestPart[] {
    return this.batches.map((b) => ({ source: b.source, lines: b.lines, ...(b.format === undefined ? {} : { format: b.format }) }));
  }
}

async function openSpool(stateDir: string, sink: LineSink): Promise<IngestSpool> {
  const spool = createIngestSpool({ ingest: ingestSchema.parse({ backfillLines: 0 }), stateDir, sink, logger: createMemoryLogger(), clock: Date.now });
  await spool.open();
  return spool;
}

describe('receiver records in the ingest spool', () => {
  it('come back after a stop before processing, as the same entries', async () => {
    const state = tempDir('lw-recv-');
    const first = new HoldingSink(false);
    const spool = await openSpool(state, first);
    const intake = new ReceiverIntake(spool, { maxPendingBytes: 1 << 20 });
    const records = decodeLokiJson({ streams: [{ stream: { host: 'web-1', job: 'api' }, values: [['1764497702000000000', '{"level":"warn","msg":"slow","ms":900}'], ['1764497703000000000', 'plain text']] }] });
    await intake.accept('loki', records, 100);
    const before = entriesOf(first.parts());
    await spool.close();

    const second = new HoldingSink(true);
    const reopened = await openSpool(state, second);
    cleanup.push(() => reopened.close());
    expect(second.batches.every((b) => b.format === 'envelope' && b.backfill !== true)).toBe(true);
    const after = entriesOf(second.parts());
    expect(after.map((e) => [e.source, e.level, e.message, e.time, e.metadata])).toEqual(before.map((e) => [e.source, e.level, e.message, e.time, e.metadata]));
    expect(after.map((e) => [e.level, e.message])).toEqual([
      ['WARNING', 'slow'],
      ['UNKNOWN', 'plain text'],
    ]);
  });

  it('syslog over TLS (RFC 5425, octet counted) is spooled', async () => {
    const dir = tempDir('lw-tls-');
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    const sink = new HoldingSink(true);
    const spool = await openSpool(tempDir('lw-recv-'), sink);
    const intake = new ReceiverIntake(spool, { maxPendingBytes: 1 << 20 });
    const receiver = new SyslogReceiver({ config: syslogSchema.parse({ tls: { port: 0, cert, key } }), defaultHost: '127.0.0.1', intake, logger: createMemoryLogger(), clock: Date.now });
    const ports = await receiver.start();
    cleanup.push(() => spool.close());
    cleanup.push(() => receiver.stop());
    const message = '<34>1 2026-11-30T10:15:02Z mail-1 postfix 77 - - su root failed';
    await new Promise<void>((resolve, reject) => {
      const socket = tlsConnect({ host: '127.0.0.1', port: ports.tls!, ca: readFileSync(cert), servername: undefined, checkServerIdentity: () => undefined }, () => {
        socket.end(`${Buffer.byteLength(message)} ${message}`);
      });
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    await eventually(() => sink.batches.length === 1, 5000, 'the TLS message spooled');
    const [entry] = entriesOf(sink.parts());
    expect(entry).toMatchObject({ source: 'mail-1:postfix', level: 'CRITICAL', message: 'su root failed', metadata: { facility: 'auth', pid: 77 } });
  });
});
