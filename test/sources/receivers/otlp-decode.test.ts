// OTLP log requests (JSON and protobuf) into records.
import { describe, expect, it } from 'vitest';
import { levelOfSeverityNumber } from '../../../src/sources/receivers/levels.ts';
import { decodeOtlpJson, decodeOtlpProtobuf, ExportLogsServiceRequest, ExportLogsServiceResponse, otlpResponse } from '../../../src/sources/receivers/otlp-decode.ts';

const OPTIONS = { maxRecordBytes: 1024 };
const T = '1764497702123456789';
const MS = 1764497702123;

const request = {
  resourceLogs: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }, { key: 'host.name', value: { stringValue: 'web-1' } }, { key: 'region', value: { stringValue: 'eu' } }] },
      scopeLogs: [
        {
          scope: { name: 'app.payments', version: '1.0' },
          logRecords: [
            {
              timeUnixNano: T,
              severityNumber: 17,
              severityText: 'Error',
              body: { stringValue: 'card declined' },
              attributes: [{ key: 'order', value: { intValue: '42' } }, { key: 'region', value: { stringValue: 'us' } }, { key: 'big', value: { intValue: '9007199254740993' } }],
              traceId: '5b8efff798038103d269b633813fc60c',
              spanId: 'eee19b7ec3c1b174',
            },
            { observedTimeUnixNano: T, severityText: 'warn', body: { kvlistValue: { values: [{ key: 'msg', value: { stringValue: 'slow' } }, { key: 'ms', value: { doubleValue: 1.5 } }, { key: 'tags', value: { arrayValue: { values: [{ boolValue: true }] } } }] } } },
            { eventName: 'login' },
          ],
        },
      ],
    },
  ],
};

describe('OTLP severity', () => {
  it('maps 1–24 by the specification ranges and nothing else', () => {
    const expected = (n: number) => (n <= 8 ? 'DEBUG' : n <= 12 ? 'INFO' : n <= 16 ? 'WARNING' : n <= 20 ? 'ERROR' : 'CRITICAL');
    for (let n = 1; n <= 24; n++) expect(levelOfSeverityNumber(n)).toBe(expected(n));
    for (const n of [0, 25, -1, 1.5]) expect(levelOfSeverityNumber(n)).toBeUndefined();
  });
});

describe('decodeOtlpJson', () => {
  it('maps body, severity, attributes over resource attributes, times and ids', () => {
    const { records, rejected } = decodeOtlpJson(request, OPTIONS);
    expect(rejected).toBe(0);
    expect(records).toEqual([
      {
        source: 'web-1:checkout',
        line: 'card declined',
        time: MS,
        level: 'ERROR',
        metadata: { 'service.name': 'checkout', 'host.name': 'web-1', region: 'us', 'otel.scope.name': 'app.payments', order: 42, big: '9007199254740993', trace_id: '5b8efff798038103d269b633813fc60c', span_id: 'eee19b7ec3c1b174', severity_text: 'Error' },
      },
      { source: 'web-1:checkout', line: '{"msg":"slow","ms":1.5,"tags":[true]}', time: MS, level: 'WARNING', metadata: { 'service.name': 'checkout', 'host.name': 'web-1', region: 'eu', 'otel.scope.name': 'app.payments', severity_text: 'warn' } },
      { source: 'web-1:checkout', line: '', metadata: { 'service.name': 'checkout', 'host.name': 'web-1', region: 'eu', 'otel.scope.name': 'app.payments', event_name: 'login' } },
    ]);
  });

  it('rejects records over maxRecordBytes as partial success and keeps the rest', () => {
    const body = { resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'x'.repeat(2000) } }, { body: { stringValue: 'ok' } }] }] }] };
    const result = decodeOtlpJson(body, OPTIONS);
    expect(result.records.map((r) => r.line)).toEqual(['ok']);
    expect(result.rejected).toBe(1);
    expect(result.rejectedReason).toMatch(/over 1024 bytes/);
    expect(JSON.parse(otlpResponse(result, 'json') as string)).toEqual({ partialSuccess: { rejectedLogRecords: '1', errorMessage: result.rejectedReason } });
    expect(otlpResponse({ rejected: 0, rejectedReason: '' }, 'json')).toBe('{}');
  });

  it('takes severity numbers written by name', () => {
    const body = (severityNumber: unknown) => ({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ severityNumber, body: { stringValue: 'x' } }] }] }] });
    expect(decodeOtlpJson(body('SEVERITY_NUMBER_WARN2'), OPTIONS).records[0].level).toBe('WARNING');
    expect(decodeOtlpJson(body('FATAL'), OPTIONS).records[0].level).toBe('CRITICAL');
  });

  it('refuses malformed requests naming the place', () => {
    expect(() => decodeOtlpJson({ resourceLogs: {} }, OPTIONS)).toThrow(/^resourceLogs: /);
    expect(() => decodeOtlpJson({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: 'text' }] }] }] }, OPTIONS)).toThrow(/resourceLogs\.0\.scopeLogs\.0\.logRecords\.0\.body: expected an AnyValue/);
    expect(() => decodeOtlpJson({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 1 } }] }] }] }, OPTIONS)).toThrow(/expected a string, got number/);
  });
});

describe('decodeOtlpProtobuf', () => {
  it('reads the same request encoded in protobuf, with ids as hex', () => {
    const withBytes = structuredClone(request) as unknown as { resourceLogs: Array<{ scopeLogs: Array<{ logRecords: Array<Record<string, unknown>> }> }> };
    const first = withBytes.resourceLogs[0].scopeLogs[0].logRecords[0];
    first.traceId = Buffer.from(first.traceId as string, 'hex');
    first.spanId = Buffer.from(first.spanId as string, 'hex');
    const bytes = ExportLogsServiceRequest.encode(ExportLogsServiceRequest.fromObject(withBytes)).finish();
    expect(decodeOtlpProtobuf(bytes, OPTIONS)).toEqual(decodeOtlpJson(request, OPTIONS));
  });

  it('answers partial success in protobuf', () => {
    const bytes = otlpResponse({ rejected: 3, rejectedReason: 'why' }, 'protobuf') as Uint8Array;
    expect(ExportLogsServiceResponse.toObject(ExportLogsServiceResponse.decode(bytes), { longs: String })).toEqual({ partialSuccess: { rejectedLogRecords: '3', errorMessage: 'why' } });
  });

  it('refuses bytes that are not a request', () => {
    expect(() => decodeOtlpProtobuf(Buffer.from([0x0a, 0xff, 0xff, 0xff]), OPTIONS)).toThrow(/not an OTLP ExportLogsServiceRequest/);
  });
});
