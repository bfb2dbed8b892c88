// The envelope format: records of the receivers, whose inner line is parsed like any other line and
// completed by the record's own time, level and labels.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readEnvelope } from '../../src/parse/formats/envelope.ts';
import type { LogEntry } from '../../src/types.ts';
import { newParser, NOW, parseLines } from './helpers.ts';

const ACCESS = '10.0.0.1 - - [30/Nov/2026:10:15:02 +0000] "GET /admin HTTP/1.1" 503 512 "-" "curl/8.0"';
const T = Date.parse('2026-11-30T11:00:00.123Z');

const env = (record: Record<string, unknown>) => JSON.stringify(record);
const parse = (records: Array<Record<string, unknown>>): LogEntry[] => parseLines(records.map(env), { format: 'envelope' });

describe('the envelope format', () => {
  it('parses the inner line with format detection: an nginx line through Loki is an access entry', () => {
    const [entry] = parse([{ line: ACCESS, time: T, metadata: { job: 'nginx', host: 'web-1' } }]);
    expect(entry.format).toBe('combined');
    expect(entry.level).toBe('ERROR');
    expect(entry.message).toContain('GET /admin');
    expect(entry.metadata).toMatchObject({ status: 503, path: '/admin', job: 'nginx', host: 'web-1' });
    // The line's own time wins over the record's.
    expect(entry.time).toBe(Date.parse('2026-11-30T10:15:02Z'));
    expect(entry.raw).toBe(ACCESS);
    expect(entry.source).toBe('test.log');
  });

  it("uses the record's time and level when the line has none, and keeps the line's when it has them", () => {
    const [plain, json, dated] = parse([
      { line: 'disk almost full', time: T, level: 'WARNING' },
      { line: '{"level":"error","msg":"boom","order":42}', time: T, level: 'INFO' },
      { line: '2026-11-30 10:15:02,000 - app - DEBUG - started', time: T, level: 'ERROR' },
    ]);
    expect(plain).toMatchObject({ level: 'WARNING', message: 'disk almost full', time: T });
    expect(json).toMatchObject({ level: 'ERROR', message: 'boom', time: T, format: 'json' });
    expect(json.metadata.order).toBe(42);
    expect(dated).toMatchObject({ level: 'DEBUG', message: 'started', time: Date.parse('2026-11-30T10:15:02Z') });
  });

  it('falls back to the receive time and UNKNOWN when neither says', () => {
    const [entry] = parse([{ line: 'hello' }]);
    expect(entry).toMatchObject({ time: NOW, level: 'UNKNOWN', message: 'hello', raw: 'hello' });
  });

  it('lets the labels win a clash, and keeps the original frame as raw', () => {
    const frame = '<11>1 2026-11-30T10:15:02Z web-1 app 42 - - {"host":"inner"}';
    const [entry] = parse([{ line: '{"host":"inner","msg":"x"}', raw: frame, metadata: { host: 'web-1' } }]);
    expect(entry.metadata.host).toBe('web-1');
    expect(entry.raw).toBe(frame);
  });

  it('keeps a blank inner line and a multi-line body as one entry each', () => {
    const entries = parse([{ line: '', level: 'INFO' }, { line: 'Error: boom\n    at f (a.js:1:1)', level: 'ERROR' }]);
    expect(entries.map((e) => [e.message, e.level])).toEqual([
      ['', 'INFO'],
      ['Error: boom\n    at f (a.js:1:1)', 'ERROR'],
    ]);
  });

  it('keeps a spooled line that is not an envelope whole, as UNKNOWN', () => {
    const entries = parseLines(['not json', '{"no":"line"}', '[1]'], { format: 'envelope' });
    expect(entries.map((e) => [e.level, e.message, e.raw])).toEqual([
      ['UNKNOWN', 'not json', 'not json'],
      ['UNKNOWN', '{"no":"line"}', '{"no":"line"}'],
      ['UNKNOWN', '[1]', '[1]'],
    ]);
  });

  it('detects per source: records of one source settle on their format', () => {
    const parser = newParser();
    const out: LogEntry[] = [];
    const lines = Array.from({ length: 30 }, (_, i) => env({ line: `level=info msg="n ${i}" user=u${i}`, time: T + i }));
    parser.push({ lines, receivedAt: NOW, format: 'envelope', timezone: 'UTC' }, out);
    parser.flush(out);
    expect(out).toHaveLength(30);
    expect(out.every((e) => e.format === 'logfmt' && e.level === 'INFO')).toBe(true);
    expect(out[29].metadata.user).toBe('u29');
  });

  it('never throws and always makes exactly one entry per record, whatever it holds', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ line: fc.string(), time: fc.option(fc.integer({ min: 0, max: 4e12 }), { nil: undefined }), level: fc.option(fc.constantFrom('INFO', 'ERROR', 'bogus'), { nil: undefined }), metadata: fc.option(fc.dictionary(fc.oneof(fc.string(), fc.constant('__proto__')), fc.jsonValue()), { nil: undefined }) }), { maxLength: 20 }), (records) => {
        const entries = parse(records);
        expect(entries).toHaveLength(records.length);
        records.forEach((record, i) => {
          const entry = entries[i];
          if (record.time !== undefined && entry.format === 'unknown') expect(entry.time).toBe(record.time);
          // What JSON carries (it writes -0 as 0).
          for (const key of Object.keys(record.metadata ?? {})) expect(entry.metadata[key]).toEqual(JSON.parse(JSON.stringify(record.metadata![key])));
        });
      }),
      { numRuns: 100 },
    );
  });

  it('reads only well-formed envelopes', () => {
    expect(readEnvelope('{"line":"x","time":"soon","level":"LOUD","metadata":[1]}')).toEqual({ line: 'x' });
    expect(readEnvelope('{"line":1}')).toBeNull();
    expect(readEnvelope('null')).toBeNull();
  });
});
