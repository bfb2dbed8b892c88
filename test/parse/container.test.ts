// Docker json-file and Kubernetes CRI lines: the application's line read by its own format, split
// lines joined, stack lines joined, the runtime's time.
import { describe, expect, it } from 'vitest';
import { iso, parseLines, parseOne } from './helpers.ts';

const docker = (log: string, stream = 'stdout', time = '2024-03-01T10:00:00.123456789Z') => JSON.stringify({ log, stream, time });

describe('docker json-file', () => {
  it('reads the inner line with its own format: level, message, fields; the runtime time', () => {
    const e = parseOne(docker('2024-03-01 10:00:00,100 ERROR [main] com.example.App: payment failed\n', 'stderr'));
    expect(e.format).toBe('docker');
    expect(e.level).toBe('ERROR');
    expect(e.message).toBe('payment failed');
    expect(iso(e)).toBe('2024-03-01T10:00:00.123Z');
    expect(e.metadata).toMatchObject({ stream: 'stderr', inner_format: 'log4j', thread: 'main' });
  });

  it('reads JSON application lines inside the log field', () => {
    const e = parseOne(docker('{"level":"warn","msg":"slow query","ms":812}\n'));
    expect(e.level).toBe('WARNING');
    expect(e.message).toBe('slow query');
    expect(e.metadata).toMatchObject({ ms: 812, stream: 'stdout', inner_format: 'json' });
  });

  it('takes the runtime time even when the inner line writes an unreadable or zone-guessed one', () => {
    const e = parseOne(docker('2024-03-01 09:59:59 IST worker ERROR: x\n'));
    expect(e.level).toBe('ERROR');
    expect(iso(e)).toBe('2024-03-01T10:00:00.123Z');
    expect(e.metadata.timezone_text).toBeUndefined();
    expect(e.metadata.timestamp_unparsed).toBeUndefined();
  });

  it('keeps a line no format reads as UNKNOWN with its text', () => {
    const e = parseOne(docker('hello world\n'));
    expect(e.level).toBe('UNKNOWN');
    expect(e.message).toBe('hello world');
    expect(e.format).toBe('docker');
  });

  it('joins a line docker split at 16 KiB back together before reading it', () => {
    const long = 'x'.repeat(20);
    const entries = parseLines([
      docker('2024-03-01 10:00:00,100 WARN [main] a.B: start ' + long),
      docker(long + ' end\n'),
      docker('2024-03-01 10:00:01,000 INFO [main] a.B: next\n'),
    ]);
    expect(entries).toHaveLength(2);
    expect(entries[0]!.level).toBe('WARNING');
    expect(entries[0]!.message).toBe(`start ${long}${long} end`);
    expect(entries[0]!.raw.split('\n')).toHaveLength(2);
    expect(entries[1]!.message).toBe('next');
  });

  it('joins stack-trace lines to the entry above, per stream', () => {
    const entries = parseLines([
      docker('2024-03-01 10:00:00,100 ERROR [main] a.B: boom\n', 'stderr'),
      docker('java.lang.IllegalStateException: x\n', 'stderr'),
      docker('\tat a.B.c(B.java:1)\n', 'stderr'),
      docker('2024-03-01 10:00:00,200 INFO [main] a.B: fine\n', 'stdout'),
    ]);
    // The exception line is not a continuation by shape: it starts an entry of its own (issue 11's rule).
    expect(entries.map((e) => e.message)).toEqual(['boom', 'java.lang.IllegalStateException: x\n\tat a.B.c(B.java:1)', 'fine']);
  });
});

describe('kubernetes CRI', () => {
  it('reads TIME STREAM F TEXT with the inner format', () => {
    const e = parseOne('2024-01-01T00:00:00.123456789Z stderr F level=error msg="db down" retry=3');
    expect(e.format).toBe('cri');
    expect(e.level).toBe('ERROR');
    expect(e.message).toBe('db down');
    expect(iso(e)).toBe('2024-01-01T00:00:00.123Z');
    expect(e.metadata).toMatchObject({ stream: 'stderr', retry: '3', inner_format: 'logfmt' });
  });

  it('joins P partial lines into one entry', () => {
    const entries = parseLines([
      '2024-01-01T00:00:00.000000001Z stdout P {"level":"info",',
      '2024-01-01T00:00:00.000000002Z stdout P "msg":"split ',
      '2024-01-01T00:00:00.000000003Z stdout F json"}',
      '2024-01-01T00:00:01.000000000Z stdout F plain text',
    ]);
    expect(entries).toHaveLength(2);
    expect(entries[0]!.level).toBe('INFO');
    expect(entries[0]!.message).toBe('split json');
    expect(entries[0]!.raw.split('\n')).toHaveLength(3);
    expect(entries[1]!.message).toBe('plain text');
  });

  it('keeps the streams apart: a stdout line never joins a partial stderr line', () => {
    const entries = parseLines([
      '2024-01-01T00:00:00Z stderr P part one ',
      '2024-01-01T00:00:00Z stdout F other',
      '2024-01-01T00:00:00Z stderr F part two',
    ]);
    expect(entries.map((e) => e.message)).toEqual(['part one ', 'other', 'part two']);
  });
});
