// The per-source state machine: detection, holding entries only where lines may continue them,
// joining continuation lines within and across batches, forced formats, and re-detection.
import { describe, expect, it } from 'vitest';
import { BUILTIN_FORMATS, createParserFactory } from '../../src/parse/index.ts';
import { AutoSourceParser } from '../../src/parse/source-parser.ts';
import { TimeResolver } from '../../src/parse/time/resolver.ts';
import type { LogEntry } from '../../src/types.ts';
import { countingSpecs } from './counting-specs.ts';
import { newParser, NOW } from './helpers.ts';

const ACCESS = '10.0.0.1 - - [30/Nov/2026:10:15:02 +0000] "GET / HTTP/1.1" 200 512 "-" "curl/8.0"';
const PY = (n: number, level = 'INFO') => `2026-11-30 10:15:0${n},000 - app - ${level} - message ${n}`;

function push(parser: ReturnType<typeof newParser>, lines: string[], format?: string): LogEntry[] {
  const out: LogEntry[] = [];
  parser.push({ lines, receivedAt: NOW, timezone: 'UTC', format }, out);
  return out;
}

describe('a source parser', () => {
  it('is undecided until it has seen a line', () => {
    const parser = newParser();
    expect(parser.format).toBeNull();
    expect(parser.heldLines).toBe(0);
    push(parser, [ACCESS]);
    expect(parser.format).toBe('access');
  });

  it('emits complete-line formats at once and holds nothing', () => {
    for (const line of [ACCESS, '{"level":"info","msg":"x"}', 'level=info msg=x time=2026-11-30T10:15:02Z']) {
      const parser = newParser();
      expect(push(parser, [line, line])).toHaveLength(2);
      expect(parser.heldLines).toBe(0);
    }
  });

  it('holds the last entry of formats with continuation lines, until flushed', () => {
    const parser = newParser();
    const out = push(parser, [PY(1), PY(2), PY(3)]);
    expect(out.map((e) => e.message)).toEqual(['message 1', 'message 2']);
    expect(parser.heldLines).toBe(1);
    const flushed: LogEntry[] = [];
    parser.flush(flushed);
    expect(flushed.map((e) => e.message)).toEqual(['message 3']);
    expect(parser.heldLines).toBe(0);
    parser.flush(flushed);
    expect(flushed).toHaveLength(1);
  });

  it('joins continuation lines that arrive in later batches', () => {
    const parser = newParser();
    expect(push(parser, [PY(1, 'ERROR'), 'Traceback (most recent call last):'])).toHaveLength(0);
    expect(parser.heldLines).toBe(2);
    expect(push(parser, ['  File "a.py", line 1, in <module>', 'KeyError: x'])).toHaveLength(0);
    expect(parser.heldLines).toBe(4);
    const out = push(parser, [PY(2)]);
    expect(out).toHaveLength(1);
    expect(out[0]!.message).toBe('message 1\nTraceback (most recent call last):\n  File "a.py", line 1, in <module>\nKeyError: x');
    expect(out[0]!.raw).toBe(`${PY(1, 'ERROR')}\nTraceback (most recent call last):\n  File "a.py", line 1, in <module>\nKeyError: x`);
    expect(parser.heldLines).toBe(1);
  });

  it('strips one trailing carriage return', () => {
    const out = push(newParser(), [`${ACCESS}\r`]);
    expect(out[0]!.raw).toBe(ACCESS);
    expect(out[0]!.metadata.user_agent).toBe('curl/8.0');
  });

  it('skips blank lines with nothing to join, and keeps them inside a held entry', () => {
    const access = newParser();
    expect(push(access, ['', ACCESS, '   ', ACCESS])).toHaveLength(2);
    const py = newParser();
    push(py, [PY(1), 'Traceback (most recent call last):', '', '  File "a.py"']);
    const out: LogEntry[] = [];
    py.flush(out);
    expect(out[0]!.raw.split('\n')).toHaveLength(4);
  });

  it('prefers the most specific format that reads the lines', () => {
    const parser = newParser();
    push(parser, ['2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created MRAppMaster']);
    expect(parser.format).toBe('log4j');
  });

  it('re-detects a source whose lines change format, reading every line right meanwhile', () => {
    const parser = newParser({}, 3);
    push(parser, [ACCESS, ACCESS, ACCESS, ACCESS]);
    expect(parser.format).toBe('access');
    const out = push(parser, ['{"level":"error","msg":"a"}', '{"level":"warn","msg":"b"}', '{"level":"info","msg":"c"}', '{"level":"info","msg":"d"}']);
    expect(out.map((e) => [e.format, e.level])).toEqual([['json', 'ERROR'], ['json', 'WARNING'], ['json', 'INFO'], ['json', 'INFO']]);
    expect(parser.format).toBe('json');
  });

  it('makes an orphan continuation line (a tail started mid-trace) an entry of its own', () => {
    const out = push(newParser(), ['\tat com.example.Foo.bar(Foo.java:42)', ACCESS]);
    expect(out.map((e) => e.format)).toEqual(['unknown', 'combined']);
  });

  it('uses a forced format without detection, and reports it', () => {
    const parser = newParser();
    const out = push(parser, ['{"level":"warn","msg":"forced"}', 'not json'], 'json');
    expect(out.map((e) => [e.format, e.level])).toEqual([['json', 'WARNING'], ['unknown', 'UNKNOWN']]);
    expect(parser.format).toBe('json');
  });

  it('accepts every built-in name and alias as a forced format', () => {
    for (const name of BUILTIN_FORMATS) {
      const parser = newParser();
      push(parser, ['x'], name);
      expect(parser.format, name).not.toBeNull();
    }
    const factory = createParserFactory({ formats: { mine: { pattern: '(?<message>.*)' } }, parse: { multilineTimeoutMs: 250, detectLines: 20 } });
    expect(factory.formatNames).toEqual([...BUILTIN_FORMATS, 'mine']);
  });

  it('costs one parser per line once the format is known', () => {
    const calls = new Map<string, number>();
    const counted = countingSpecs((format) => calls.set(format, (calls.get(format) ?? 0) + 1));
    const parser = new AutoSourceParser({ detectable: counted, byName: new Map() }, { source: 's', receivedAt: 0, time: new TimeResolver(() => NOW) }, 5);
    const out: LogEntry[] = [];
    parser.push({ lines: Array.from({ length: 5 }, () => ACCESS), receivedAt: NOW }, out);
    calls.clear();
    parser.push({ lines: Array.from({ length: 1000 }, () => ACCESS), receivedAt: NOW }, out);
    expect(Object.fromEntries(calls)).toEqual({ access: 1000 });
  });
});
