// POST /v1/logs with the OpenTelemetry JS SDK (LoggerProvider with the OTLP/HTTP JSON and protobuf
// exporters, batch and simple processors) against a real server on 127.0.0.1, and the error answers.
import { gzipSync } from 'node:zlib';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as JsonExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { afterEach, describe, expect, it } from 'vitest';
import { ExportLogsServiceResponse } from '../../../src/sources/receivers/otlp-decode.ts';
import { eventually } from '../../helpers/process.ts';
import { entriesOf } from '../../sources/receivers/helpers.ts';
import { startReceivers, type ReceiverServer } from './server.ts';

let running: ReceiverServer | undefined;
afterEach(async () => {
  await running?.server.close();
  running = undefined;
});

const CASES = [
  { name: 'JSON exporter, batch processor', encoding: 'application/json', exporter: (url: string) => new JsonExporter({ url }), batch: true, gzip: false },
  { name: 'protobuf exporter, simple processor', encoding: 'application/x-protobuf', exporter: (url: string) => new ProtoExporter({ url }), batch: false, gzip: false },
  { name: 'protobuf exporter, batch processor, gzip', encoding: 'application/x-protobuf', exporter: (url: string) => new ProtoExporter({ url, compression: 'gzip' as never }), batch: true, gzip: true },
];

describe('OTLP/HTTP logs receiver with the OpenTelemetry JS SDK', () => {
  for (const c of CASES) {
    it(`takes logs from the ${c.name}`, async () => {
      running = await startReceivers();
      const exporter = c.exporter(`${running.url}/v1/logs`);
      const processor = c.batch ? new BatchLogRecordProcessor({ exporter, scheduledDelayMillis: 20 }) : new SimpleLogRecordProcessor({ exporter });
      const provider = new LoggerProvider({ resource: resourceFromAttributes({ 'service.name': 'checkout', 'host.name': 'web-1' }), processors: [processor] });
      const logger = provider.getLogger('app.payments', '1.0.0');
      const at = Date.parse('2026-11-30T10:15:02.123Z');
      logger.emit({ severityNumber: SeverityNumber.ERROR, severityText: 'ERROR', body: 'card declined', attributes: { order: 42, retry: false }, timestamp: at });
      logger.emit({ severityNumber: SeverityNumber.WARN2, body: { msg: 'slow query', ms: 1250 } });
      logger.emit({ severityText: 'fatal', body: 'out of memory' });
      logger.emit({ severityNumber: SeverityNumber.TRACE, body: '10.0.0.1 - - [30/Nov/2026:10:15:02 +0000] "GET /pay HTTP/1.1" 200 12 "-" "curl/8"' });
      await provider.forceFlush();
      await provider.shutdown();
      const spool = running.spool;
      await eventually(() => spool.lines === 4, 5000, 'four records spooled');
      expect(new Set(running.contentTypes)).toEqual(new Set([c.encoding]));
      expect(new Set(running.contentEncodings)).toEqual(new Set([c.gzip ? 'gzip' : 'identity']));
      const entries = entriesOf(spool.parts);
      expect(entries.map((e) => [e.source, e.level, e.message])).toEqual([
        ['web-1:checkout', 'ERROR', 'card declined'],
        ['web-1:checkout', 'WARNING', 'slow query'],
        ['web-1:checkout', 'CRITICAL', 'out of memory'],
        // The access line's status (200: INFO) wins over the record's TRACE.
        ['web-1:checkout', 'INFO', expect.stringContaining('GET /pay')],
      ]);
      expect(entries[0].time).toBe(at);
      expect(entries[0].metadata).toMatchObject({ 'service.name': 'checkout', 'host.name': 'web-1', 'otel.scope.name': 'app.payments', order: 42, retry: false, severity_text: 'ERROR' });
      // A structured body is kept: parsed as the JSON it is sent as.
      expect(entries[1]).toMatchObject({ format: 'json', metadata: { ms: 1250 } });
      expect(Math.abs(entries[2].time - Date.now())).toBeLessThan(60_000);
      expect(entries[3]).toMatchObject({ format: 'combined', metadata: { status: 200 } });
    });
  }
});

describe('OTLP/HTTP logs receiver answers', () => {
  const post = (url: string, body: BodyInit, headers: Record<string, string>) => fetch(`${url}/v1/logs`, { method: 'POST', body, headers });
  const records = (bodies: string[]) => JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: bodies.map((b) => ({ body: { stringValue: b } })) }] }] });

  it('answers in the encoding of the request, with partial success when records are rejected', async () => {
    running = await startReceivers({ maxRecordBytes: 1024 });
    let res = await post(running.url, records(['ok', 'x'.repeat(2000)]), { 'Content-Type': 'application/json' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ partialSuccess: { rejectedLogRecords: '1', errorMessage: expect.stringMatching(/over 1024 bytes/) } });
    res = await post(running.url, gzipSync(records(['fine'])), { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
    expect(await res.json()).toEqual({});
    res = await post(running.url, new Uint8Array(0), { 'Content-Type': 'application/x-protobuf' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-protobuf');
    expect(ExportLogsServiceResponse.toObject(ExportLogsServiceResponse.decode(new Uint8Array(await res.arrayBuffer())))).toEqual({});
    expect(running.spool.parts.flatMap((p) => p.lines).length).toBe(2);
    expect(running.intake.snapshot()[1]).toEqual({ receiver: 'otlp', received: 2, refused: { rejected: 1 } });
  });

  it('answers 400 with a Status, 413 over the limit, 415 for other media types', async () => {
    running = await startReceivers({ maxBodyBytes: 4096 });
    let res = await post(running.url, '{"resourceLogs":{}}', { 'Content-Type': 'application/json' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: expect.stringMatching(/^resourceLogs: /), code: 3, message: expect.stringMatching(/^resourceLogs: /) });
    res = await post(running.url, new Uint8Array([0x0a, 0xff, 0xff, 0xff]), { 'Content-Type': 'application/x-protobuf' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/x-protobuf');
    res = await post(running.url, records(['x'.repeat(5000)]), { 'Content-Type': 'application/json' });
    expect(res.status).toBe(413);
    res = await post(running.url, 'hello', { 'Content-Type': 'text/plain' });
    expect(res.status).toBe(415);
    expect(running.spool.lines).toBe(0);
    expect(running.intake.snapshot()[1]).toEqual({ receiver: 'otlp', received: 0, refused: { malformed: 2, too_large: 1, unsupported: 1 } });
  });
});
