// JSON dialects with their own level scales, time units and message fields (issue 16).
import { describe, expect, it } from 'vitest';
import { iso, parseLines, parseOne } from './helpers.ts';

describe('GELF', () => {
  it('reads short_message, the syslog 0–7 level and the seconds timestamp; keeps the rest', () => {
    const e = parseOne('{"version":"1.1","host":"example.org","short_message":"A short message","full_message":"Backtrace here\\n\\nmore stuff","timestamp":1385053862.3072,"level":1,"_user_id":9001,"_some_info":"foo"}');
    expect(e.format).toBe('gelf');
    expect(e.level).toBe('CRITICAL');
    expect(e.message).toBe('A short message');
    expect(iso(e)).toBe('2013-11-21T17:11:02.307Z');
    expect(e.metadata).toEqual({ version: '1.1', host: 'example.org', full_message: 'Backtrace here\n\nmore stuff', _user_id: 9001, _some_info: 'foo' });
  });

  it.each([[0, 'CRITICAL'], [2, 'CRITICAL'], [3, 'ERROR'], [4, 'WARNING'], [5, 'INFO'], [6, 'INFO'], [7, 'DEBUG']])('level %d is %s (not the 0–4 scale of plain JSON)', (level, expected) => {
    expect(parseOne(`{"version":"1.1","host":"h","short_message":"m","timestamp":1700000000,"level":${level}}`).level).toBe(expected);
  });
});

describe('journald JSON export', () => {
  const line = '{"__CURSOR":"s=abc","__REALTIME_TIMESTAMP":"1699999999123456","__MONOTONIC_TIMESTAMP":"123","_BOOT_ID":"b","PRIORITY":"3","_SYSTEMD_UNIT":"nginx.service","SYSLOG_IDENTIFIER":"nginx","_PID":"812","_HOSTNAME":"web1","MESSAGE":"bind() to 0.0.0.0:80 failed"}';

  it('reads µs time, PRIORITY, MESSAGE and names unit, program, host and pid', () => {
    const e = parseOne(line);
    expect(e.format).toBe('journald-json');
    expect(e.level).toBe('ERROR');
    expect(e.message).toBe('bind() to 0.0.0.0:80 failed');
    expect(iso(e)).toBe('2023-11-14T22:13:19.123Z');
    expect(e.metadata).toMatchObject({ unit: 'nginx.service', program: 'nginx', pid: 812, host: 'web1', _SYSTEMD_UNIT: 'nginx.service' });
  });

  it('decodes a MESSAGE journald wrote as bytes', () => {
    const e = parseOne('{"__REALTIME_TIMESTAMP":"1699999999000000","PRIORITY":"6","MESSAGE":[104,195,169,10]}');
    expect(e.message).toBe('hé\n');
    expect(e.level).toBe('INFO');
  });
});

describe('MongoDB structured logs', () => {
  it('reads t.$date, s, msg; keeps c, id, ctx, attr', () => {
    const e = parseOne('{"t":{"$date":"2020-05-18T20:18:12.724+00:00"},"s":"W","c":"ASIO","id":22601,"ctx":"main","msg":"No TransportLayer configured during NetworkInterface startup","attr":{"n":1}}');
    expect(e.format).toBe('mongodb-json');
    expect(e.level).toBe('WARNING');
    expect(iso(e)).toBe('2020-05-18T20:18:12.724Z');
    expect(e.message).toBe('No TransportLayer configured during NetworkInterface startup');
    expect(e.metadata).toEqual({ c: 'ASIO', id: 22601, ctx: 'main', attr: { n: 1 } });
  });

  it.each([['F', 'CRITICAL'], ['E', 'ERROR'], ['I', 'INFO'], ['D1', 'DEBUG'], ['D5', 'DEBUG']])('s=%s is %s', (s, level) => {
    expect(parseOne(`{"t":{"$date":{"$numberLong":"1589833092724"}},"s":"${s}","c":"X","id":1,"ctx":"c","msg":"m"}`)).toMatchObject({ level, time: 1589833092724 });
  });
});

describe('OpenTelemetry log records as JSON', () => {
  it('reads an OTLP/JSON LogRecord: ns time, severity, AnyValue body, attributes as an object', () => {
    const e = parseOne('{"timeUnixNano":"1700000000123456789","observedTimeUnixNano":"1700000000200000000","severityNumber":17,"severityText":"Error","body":{"stringValue":"charge failed"},"attributes":[{"key":"http.status","value":{"intValue":"502"}},{"key":"retry","value":{"boolValue":true}}],"traceId":"5b8aa5a2d2c872e8321cf37308d69df2","spanId":"051581bf3cb55c13"}');
    expect(e.format).toBe('otel-json');
    expect(e.level).toBe('ERROR');
    expect(e.message).toBe('charge failed');
    expect(iso(e)).toBe('2023-11-14T22:13:20.123Z');
    expect(e.metadata).toMatchObject({ attributes: { 'http.status': 502, retry: true }, traceId: '5b8aa5a2d2c872e8321cf37308d69df2' });
  });

  it('falls back to severityNumber when there is no text', () => {
    expect(parseOne('{"timeUnixNano":"1700000000000000000","severityNumber":13,"body":{"stringValue":"w"}}').level).toBe('WARNING');
    expect(parseOne('{"timeUnixNano":"1700000000000000000","severityNumber":21,"body":{"stringValue":"f"}}').level).toBe('CRITICAL');
  });
});

describe('other JSON dialects', () => {
  it('cloudflare: ns start time, status level, method and URI', () => {
    const e = parseOne('{"ClientIP":"203.0.113.9","ClientRequestMethod":"GET","ClientRequestURI":"/x","EdgeStartTimestamp":1700000000123000000,"EdgeResponseStatus":503,"RayID":"7f"}');
    expect(e).toMatchObject({ format: 'cloudflare-json', level: 'ERROR', message: 'GET /x', time: 1700000000123 });
    expect(e.metadata).toMatchObject({ ClientIP: '203.0.113.9', RayID: '7f' });
  });

  it('macOS unified log ndjson', () => {
    const e = parseOne('{"traceID":1,"eventMessage":"Connection reset","messageType":"Error","timestamp":"2023-05-01 10:11:12.345678-0700","processID":42}');
    expect(e).toMatchObject({ format: 'macos-unified', level: 'ERROR', message: 'Connection reset' });
    expect(iso(e)).toBe('2023-05-01T17:11:12.345Z');
  });

  it('plain JSON lines with a severity field are still the generic JSON format', () => {
    const [e] = parseLines(['{"severity":"WARNING","message":"disk","timestamp":"2024-01-01T00:00:00Z"}']);
    expect(e!.format).toBe('json');
    expect(e!.level).toBe('WARNING');
  });
});
