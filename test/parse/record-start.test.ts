// A new record is never glued onto the entry above (issue 11): a line joins only when it can be a
// continuation, and a line that opens like a record starts an entry even when no format reads it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startsLikeRecord } from '../../src/parse/record-start.ts';
import type { LogEntry } from '../../src/types.ts';
import { newParser, NOW, parseLines } from './helpers.ts';

// Lines of real logs (the shared corpus) that continue the entry above them: none starts a record.
const CONTINUATIONS = [
  'java.io.IOException: Connection to 1 was disconnected before the response was read',
  'Dependencies: {}; already set up: {}',
  '#0 /var/www/html/vendor/laravel/framework/src/Illuminate/Log/LogManager.php(181)',
  '[stacktrace]',
  'PHP message: PHP Warning:  Declaration of FEE_Field_Tags::wrap($content) should be compatible',
  'go.opentelemetry.io/collector/exporter/exporterhelper/internal.NewQueueSender.func3',
  'ZeroDivisionError: division by zero',
  'Error: ENOENT: no such file or directory, open \'/tmp/x\'',
  'Exception in thread "main" java.lang.IllegalStateException: boom',
  'e.g. jpeg = TurboJPEG(lib_path)',
  'low disk space',
  'processing started -- log_example.py',
  'For developers, please see https://developers.home-assistant.io/docs/asyncio_blocking_operations/',
  '10:15 the meeting',
  '1.2.3 released',
  'Information: see the manual',
  'errors: none',
  '{"nested": "json"}',
];

const RECORD_STARTS = [
  '20171223-22:16:0:119|Step_LSC|30002312|onStandStepChanged 3580',
  '2017-1-3 4:05:06 something',
  '2026-11-30T10:15:02Z x',
  '2026/11/30 10:15:02 [error] x',
  '2012-025T10:22:40 x',
  '[2026-11-30 10:15:02] x',
  '(2026-11-30 10:15:02) x',
  '30.11.2026 10:15:02 x',
  '11/30/26 10:15:02 x',
  '11-30 10:15:02.123  1 2 D Tag: x',
  '10:15:02 x',
  '22:16:0 x',
  '081109 203615 148 INFO dfs.DataNode: x',
  '30/Nov/2026:10:15:02 +0000 x',
  '1764497702 host x',
  '1764497702.123 x',
  '[  12.345678] usb 1-1: new device',
  'Nov 30 10:15:02 host prog[1]: x',
  'Nov  3 10:15:02 host prog[1]: x',
  'Mon Nov 30 10:15:02 2026 x',
  'Mon, 30 Nov 2026 10:15:02 GMT x',
  'E1130 10:15:02.123456 1 f.go:1] x',
  '@4000000043322583123456789 x',
  '<34>Nov 30 10:15:02 host x',
  '<165>1 2026-11-30T10:15:02Z host app - - - x',
  'ERROR payment gateway timeout',
  'WARN: disk',
  '[INFO] started',
  '[warn] low memory',
  'error: cannot open file',
  'FATAL',
];

describe('startsLikeRecord', () => {
  it.each(RECORD_STARTS)('is true for %s', (line) => {
    expect(startsLikeRecord(line)).toBe(true);
  });
  it.each(CONTINUATIONS)('is false for %s', (line) => {
    expect(startsLikeRecord(line)).toBe(false);
  });
});

/** Each entry's lines: the first started it, the rest were joined to it. */
const joinedLinesOf = (entries: LogEntry[]) => entries.flatMap((e) => e.raw.split('\n').slice(1));

describe('joining continuation lines', () => {
  it('gives every line of a pipe-separated Android health log its own entry, unpadded times too', () => {
    const lines = [
      '20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579',
      '20171223-22:15:29:615|Step_LSC|30002312|onExtend:1514038530000 14 0 4',
      '20171223-22:15:29:633|Step_StandReportReceiver|30002312|onReceive action: android.intent.action.SCREEN_ON',
      '20171223-22:15:29:635|Step_LSC|30002312|processHandleBroadcastAction action:android.intent.action.SCREEN_ON',
      '20171223-22:16:0:119|Step_LSC|30002312|onStandStepChanged 3580',
      '20171223-22:16:1:9|Step_LSC|30002312|onStandStepChanged 3581',
      '20171223-22:16:10:120|Step_SPUtils|30002312| getTodayTotalDetailSteps = 1514038440000##6993##548365##8661##16682768##27882',
      '20171223-22:16:11:0|Step_LSC|30002312|onStandStepChanged 3582',
    ];
    const entries = parseLines(lines);
    expect(entries.map((e) => e.raw)).toEqual(lines);
    const parser = newParser();
    parser.push({ lines, receivedAt: NOW, timezone: 'UTC' }, []);
    expect(parser.joinedLines).toBe(0);
  });

  it('still joins tracebacks, Java traces and unindented message lines, and counts them', () => {
    const lines = [
      '2026-11-30 10:15:02,123 - app - ERROR - failed:',
      'Traceback (most recent call last):',
      '  File "a.py", line 1, in <module>',
      'ZeroDivisionError: division by zero',
      '2026-11-30 10:15:03,000 - app - INFO - next',
      'processing started -- log_example.py',
    ];
    const parser = newParser();
    const out: LogEntry[] = [];
    parser.push({ lines, receivedAt: NOW, timezone: 'UTC' }, out);
    parser.flush(out);
    expect(out.map((e) => e.raw.split('\n').length)).toEqual([4, 2]);
    expect(parser.joinedLines).toBe(4);
  });

  it('joins free text to a generic entry only when the entry announced more (an error, a trailing colon or bracket)', () => {
    const lines = [
      '2026-11-30T10:15:02.000Z\tinfo\tstarted',
      'free text after a one-line record',
      '2026-11-30T10:15:03.000Z\terror\tExporting failed.',
      'go.opentelemetry.io/collector/exporter/internal.NewQueueSender.func3',
      '\tgo.opentelemetry.io/collector/exporter@v0.120.0/queue_sender.go:128',
      '2026-11-30T10:15:04.000Z\tinfo\tresponse: {',
      '"a": 1',
      '}',
      '[WARN] disk 91% full',
      'errorHandler registered',
    ];
    const entries = parseLines(lines);
    // Tab-separated `time\tlevel\tmsg` lines are zap's console layout (issue 16), which joins like the generic format.
    expect(entries.map((e) => [e.format, e.raw.split('\n').length])).toEqual([
      ['zap-console', 1], ['unknown', 1], ['zap-console', 3], ['zap-console', 3], ['generic', 1], ['unknown', 1],
    ]);
  });

  it('makes a record-like line no format reads an entry of its own inside a Python source (forced or detected)', () => {
    for (const format of [undefined, 'python']) {
      // (`2017-1-3 4:05:06|x|y` is read by the generic format since issue 16; an HDFS-style stamp with no level is not.)
      const entries = parseLines(['2026-11-30 10:15:02,123 - app - ERROR - failed', '081109 203615|x|y', 'plain continuation'], { format });
      expect(entries.map((e) => e.raw)).toEqual(['2026-11-30 10:15:02,123 - app - ERROR - failed', '081109 203615|x|y\nplain continuation']);
    }
  });
});

// Property: whatever a source writes around it, a line that opens with a timestamp is never joined
// to the entry above it.
const pad = (n: number, width: number, padded: boolean) => (padded ? String(n).padStart(width, '0') : String(n));
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const stamp = fc
  .record({
    shape: fc.integer({ min: 0, max: 8 }),
    y: fc.integer({ min: 1990, max: 2040 }),
    mo: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 28 }),
    h: fc.integer({ min: 0, max: 23 }),
    mi: fc.integer({ min: 0, max: 59 }),
    s: fc.integer({ min: 0, max: 59 }),
    ms: fc.integer({ min: 0, max: 999 }),
    padded: fc.boolean(),
    bracket: fc.boolean(),
  })
  .map(({ shape, y, mo, d, h, mi, s, ms, padded, bracket }) => {
    const p = (n: number, w = 2) => pad(n, w, padded);
    const time = `${p(h)}:${p(mi)}:${p(s)}`;
    const text = [
      `${y}-${p(mo)}-${p(d)} ${time}`,
      `${y}-${p(mo)}-${p(d)}T${time}.${pad(ms, 3, true)}Z`,
      `${y}${pad(mo, 2, true)}${pad(d, 2, true)}-${time}:${p(ms, 3)}`,
      `${y}/${p(mo)}/${p(d)} ${time}`,
      `${p(mo)}/${p(d)}/${String(y).slice(2)} ${time}`,
      `${MONTHS[mo - 1]} ${padded ? String(d).padStart(2, ' ') : d} ${time}`,
      `${p(d)}/${MONTHS[mo - 1]}/${y}:${time} +0000`,
      `${time}.${pad(ms, 3, true)}`,
      `${p(mo)}-${p(d)} ${time}.${pad(ms, 3, true)}`,
    ][shape]!;
    return bracket ? `[${text}]` : text;
  });
const rest = fc.tuple(fc.constantFrom(' ', '|', '\t', ' - ', ',', ' [x] '), fc.string({ maxLength: 40 })).map(([sep, text]) => sep + text.replace(/[\r\n]/g, ' '));
const stampedLine = fc.tuple(stamp, rest).map(([a, b]) => a + b);
const otherLine = fc.oneof(
  fc.constantFrom(
    '2026-11-30 10:15:02,123 - app - ERROR - failed',
    'Traceback (most recent call last):',
    '  File "a.py", line 1, in <module>',
    'ZeroDivisionError: division by zero',
    '2015-10-18 18:01:47,978 ERROR [main] org.x.Y: boom',
    '\tat com.example.Foo.bar(Foo.java:42)',
    'Caused by: java.io.IOException: x',
    '... 12 more',
    'Nov 30 10:15:02 host sshd[1]: Accepted',
    '   indented text',
    'free text that continues a message',
    '',
  ),
  fc.string({ maxLength: 60 }).map((text) => text.replace(/[\r\n]/g, ' ')),
);

describe('a line that starts with a timestamp', () => {
  it('is never joined to the entry above, whatever came before and whatever the format', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.oneof(stampedLine, otherLine), { maxLength: 10 }), { minLength: 1, maxLength: 5 }),
        fc.constantFrom(undefined, 'python', 'log4j', 'generic', 'syslog', 'nginx-error'),
        (batches, format) => {
          const parser = newParser();
          const out: LogEntry[] = [];
          const stamped = new Set<string>();
          for (const lines of batches) parser.push({ lines, receivedAt: NOW, timezone: 'UTC', format }, out);
          parser.flush(out);
          // A line that opens with a timestamp is recognised by its generator, not by startsLikeRecord.
          for (const lines of batches) for (const line of lines) if (STAMPED.test(line)) stamped.add(line);
          for (const joined of joinedLinesOf(out)) expect(stamped.has(joined), `joined: ${JSON.stringify(joined)}`).toBe(false);
        },
      ),
      { numRuns: 400 },
    );
  });
});

/** What the generator's stamps look like (the free-text generator may produce one too, rarely). */
const STAMPED = /^\[?(?:\d{4}[-/]\d{1,2}[-/]\d{1,2}[ T]|\d{8}-|\d{1,2}\/\d{1,2}\/\d\d |[A-Z][a-z]{2} +\d{1,2} |\d{1,2}\/[A-Z][a-z]{2}\/\d{4}:|\d{1,2}:\d{1,2}:\d{1,2}\.|\d{1,2}-\d{1,2} )/;
