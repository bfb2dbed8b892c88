// The Loki sink against LogWatch's own Loki receiver on 127.0.0.1 (real HTTP, real timers), and its
// body against the documented example of the Loki push protocol.
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../src/logger.ts';
import { lokiSinkSchema } from '../../src/forward/config.ts';
import { realShipperDeps } from '../../src/forward/deps.ts';
import { encodeLokiPush, lokiPushUrl, type PushRecord } from '../../src/forward/loki-push.ts';
import { LokiSink } from '../../src/forward/loki-sink.ts';
import { decodeLokiJson } from '../../src/sources/receivers/loki-decode.ts';
import { ParsedEntry } from '../../src/parse/entry.ts';
import type { LogEntry } from '../../src/types.ts';
import { eventually } from '../helpers/process.ts';
import { entriesOf } from '../sources/receivers/helpers.ts';
import { startReceivers, type ReceiverServer } from '../web/receivers/server.ts';
import { deps, ManualTimers, scriptedFetch } from './helpers.ts';

let running: ReceiverServer | undefined;
afterEach(async () => {
  await running?.server.close();
  running = undefined;
});

const T = Date.parse('2026-11-30T10:15:02.123Z');
const entry = (raw: string, source: string, level: LogEntry['level'], time = T): LogEntry => new ParsedEntry(time, level, raw, source, 'unknown', {}, raw, time);

function realDeps() {
  return realShipperDeps(createMemoryLogger(), Date.now);
}

describe('Loki sink', () => {
  it("ships entries to LogWatch's own Loki receiver: raw line, time, labels, tenant", async () => {
    running = await startReceivers();
    const seen: Array<string | undefined> = [];
    const sink = new LokiSink(lokiSinkSchema.parse({ url: running.url, labels: { job: 'lw', env: 'test' }, tenant: 'team-a', batchWaitMs: 20 }), {
      ...realDeps(),
      fetch: (url, init) => {
        seen.push((init.headers as Record<string, string>)['X-Scope-OrgID']);
        return fetch(url, init);
      },
    });
    const access = '10.0.0.1 - - [30/Nov/2026:10:15:02 +0000] "GET /x HTTP/1.1" 500 1 "-" "c"';
    sink.write([entry(access, 'logs/access.log', 'ERROR'), entry('plain', 'app', 'INFO', T + 1)], false);
    sink.write([entry('history', 'app', 'INFO')], true);
    await eventually(() => running!.spool.lines === 2, 5000, 'two lines at the receiver');
    await sink.close(1000);
    const received = entriesOf(running.spool.parts);
    expect(received.map((e) => [e.raw, e.time, e.metadata.job, e.metadata.env, e.metadata.source, e.metadata.level])).toEqual([
      // The time written in the access line (whole seconds) wins over the record's, as for any envelope.
      [access, T - 123, 'lw', 'test', 'logs/access.log', 'error'],
      ['plain', T + 1, 'lw', 'test', 'app', 'info'],
    ]);
    expect(received[0]).toMatchObject({ format: 'combined', level: 'ERROR' });
    expect(seen).toEqual(['team-a']);
    expect(sink.status()).toMatchObject({ sent: 2, dropped: 0, url: `${running.url}/loki/api/v1/push` });
  });

  it('batches by size and by wait, and drops (counted, logged once) when the backlog is full', async () => {
    const timers = new ManualTimers();
    const { fetch, calls } = scriptedFetch([], 503);
    const d = deps(timers, fetch);
    const sink = new LokiSink(lokiSinkSchema.parse({ url: 'http://127.0.0.1:9', batchBytes: 2048, batchWaitMs: 1000, maxBacklogBytes: 64 * 1024 }), d);
    sink.write([entry('a', 's', 'INFO')], false);
    await timers.advance(999);
    expect(calls).toHaveLength(0);
    await timers.advance(1);
    expect(calls).toHaveLength(1);
    // Loki is down: batches pile up to the backlog limit, then are dropped.
    for (let i = 0; i < 200; i++) sink.write(Array.from({ length: 10 }, () => entry('x'.repeat(100), 's', 'INFO')), false);
    const status = sink.status();
    expect(status.queuedBytes).toBeLessThanOrEqual(64 * 1024);
    expect(status.dropped).toBeGreaterThan(0);
    expect(d.logger.lines.filter((l) => l.includes('backlog is full'))).toHaveLength(1);
    // Nothing is lost without being counted: every entry is sent, queued or dropped.
    await sink.close(0);
    const end = sink.status();
    expect(end.sent).toBe(0);
    expect(end.dropped + end.queuedRecords).toBe(2001);
    expect(end.queuedRecords).toBeGreaterThan(0);
  });
});

describe('Loki push body', () => {
  it('has the shape of the documented example and decodes back to the same records', () => {
    // https://grafana.com/docs/loki/latest/reference/loki-http-api/#ingest-logs
    const documented = { streams: [{ stream: { label: 'value' }, values: [['1764497702123000000', 'fizzbuzz']] }] };
    const body = encodeLokiPush([{ labels: { label: 'value' }, time: 1764497702123, line: 'fizzbuzz' }]);
    expect(JSON.parse(body)).toEqual(documented);
    const records: PushRecord[] = [
      { labels: { a: '1', b: '2' }, time: T, line: 'one' },
      { labels: { b: '2', a: '1' }, time: T + 1, line: 'two' },
      { labels: { a: '3' }, time: T, line: 'three\nlines' },
    ];
    const decoded = decodeLokiJson(JSON.parse(encodeLokiPush(records)));
    expect(decoded.map((r) => [r.line, r.time, r.metadata])).toEqual([
      ['one', T, { a: '1', b: '2' }],
      ['two', T + 1, { a: '1', b: '2' }],
      ['three\nlines', T, { a: '3' }],
    ]);
  });

  it('takes a base URL or a push URL', () => {
    expect(lokiPushUrl('http://loki:3100')).toBe('http://loki:3100/loki/api/v1/push');
    expect(lokiPushUrl('https://vl:9428/insert/loki/api/v1/push')).toBe('https://vl:9428/insert/loki/api/v1/push');
  });
});
