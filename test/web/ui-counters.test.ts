// The dashboard's own small pieces: its counters, its query string, and display formatting.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { LogEntry } from '../../src/types.ts';
import { parseTailQuery, tailSearch } from '../../src/web/ui/query.ts';
import { SourceRates } from '../../src/web/ui/source-rates.ts';
import { StatusClassCounter, statusClassOf } from '../../src/web/ui/status-classes.ts';
import { niceCeil } from '../../views/charts.tsx';
import { clip, clockTime, firstLine, formatBytes, formatCompact, formatRate, relativeTime } from '../../views/format.ts';
import type { TailQuery } from '../../views/model.ts';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 30, 10, 0, 0);

function entry(receivedAt: number, metadata: Record<string, unknown> = {}, source = 'a'): LogEntry {
  return { id: 0, time: receivedAt, level: 'INFO', message: 'm', source, format: 'test', metadata, raw: 'm', receivedAt };
}

describe('HTTP status classes', () => {
  test('a status code 100–599, as a number or three digits, has a class; anything else has none', () => {
    expect(statusClassOf(200)).toBe('2xx');
    expect(statusClassOf('503')).toBe('5xx');
    expect(statusClassOf(404)).toBe('4xx');
    expect(statusClassOf(101)).toBe('1xx');
    for (const bad of [99, 600, 20.5, '20', '2000', ' 200', 'abc', null, true, {}, Number.NaN]) expect(statusClassOf(bad)).toBeUndefined();
  });

  test('property: per-minute counts over the last hour match a model of the lines received in order', () => {
    const arrival = fc.record({ gapMs: fc.integer({ min: 0, max: 5 * MINUTE }), status: fc.constantFrom(200, 201, 302, 404, 500, 503, 'x') });
    fc.assert(
      fc.property(fc.array(arrival, { maxLength: 200 }), fc.integer({ min: 0, max: 90 * MINUTE }), (arrivals, after) => {
        const counter = new StatusClassCounter();
        let t = T0;
        const seen: Array<[number, unknown]> = [];
        for (const a of arrivals) {
          t += a.gapMs;
          counter.record([entry(t, { status: a.status })]);
          seen.push([t, a.status]);
        }
        const now = t + after;
        const got = counter.perMinute(now);
        expect(got).toHaveLength(60);
        const first = (Math.floor(now / MINUTE) - 59) * MINUTE;
        got.forEach((bucket, i) => {
          expect(bucket.minute).toBe(first + i * MINUTE);
          const inMinute = seen.filter(([at]) => Math.floor(at / MINUTE) * MINUTE === bucket.minute);
          for (const cls of ['1xx', '2xx', '3xx', '4xx', '5xx'] as const) {
            expect(bucket.counts[cls]).toBe(inMinute.filter(([, s]) => statusClassOf(s) === cls).length);
          }
        });
      }),
    );
  });

  test('a late line older than the minute in its slot counts nowhere rather than in the wrong minute', () => {
    const counter = new StatusClassCounter();
    counter.record([entry(T0 + 60 * MINUTE, { status: 200 })]);
    counter.record([entry(T0, { status: 500 })]); // same slot, an hour earlier
    const buckets = counter.perMinute(T0 + 60 * MINUTE);
    expect(buckets.at(-1)?.counts['2xx']).toBe(1);
    expect(buckets.reduce((n, b) => n + b.counts['5xx'], 0)).toBe(0);
  });
});

describe('source rates', () => {
  test('lines per second of each source over the last ten seconds', () => {
    const rates = new SourceRates();
    for (let s = 0; s < 20; s++) rates.record(Array.from({ length: s < 10 ? 1 : 3 }, () => entry(T0 + s * 1000, {}, 'fast')));
    rates.record([entry(T0 + 19_000, {}, 'slow')]);
    expect(rates.rate('fast', T0 + 19_500)).toBe(3);
    expect(rates.rate('slow', T0 + 19_500)).toBe(0.1);
    expect(rates.rate('fast', T0 + 40_000)).toBe(0);
    expect(rates.rate('never', T0)).toBe(0);
  });

  test('count the receive time, not the time in the line: a source with a lagging clock is still alive', () => {
    const rates = new SourceRates();
    rates.record([{ ...entry(T0, {}, 'lagging'), time: T0 - 30_000 }]);
    expect(rates.rate('lagging', T0 + 500)).toBe(0.1);
  });
});

describe('the dashboard query string', () => {
  test('property: a query written with tailSearch reads back the same', () => {
    const query = fc.record({
      filter: fc.record(
        {
          level: fc.constantFrom('DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL', 'UNKNOWN'),
          source: fc.string({ minLength: 1, maxLength: 20 }),
          q: fc.string({ minLength: 1, maxLength: 20 }).map((s) => s.replace(/[\\()[\]{}*+?|^$.]/g, '')).filter((s) => s !== ''),
          regex: fc.constant(true),
        },
        { requiredKeys: [] },
      ),
      order: fc.constantFrom('newest', 'oldest'),
      collapse: fc.constant(true),
    }, { requiredKeys: ['filter', 'order'] }) as fc.Arbitrary<TailQuery>;
    fc.assert(
      fc.property(query, (q) => {
        if (q.filter.regex && q.filter.q === undefined) delete q.filter.regex;
        const params = Object.fromEntries(new URLSearchParams(tailSearch(q).slice(1)));
        const parsed = parseTailQuery(params);
        expect(parsed.ok).toBe(true);
        expect(parsed.query).toEqual(q);
      }),
    );
  });

  test('the default view has the bare URL; extras (the stream position) are appended', () => {
    expect(tailSearch({ filter: {}, order: 'newest' })).toBe('');
    expect(tailSearch({ filter: { level: 'ERROR', q: 'a b&c' }, order: 'oldest' }, { after: 12 })).toBe('?level=ERROR&q=a+b%26c&order=oldest&after=12');
  });

  test('an invalid filter keeps what the user typed and says what is wrong', () => {
    const parsed = parseTailQuery({ q: '(x', regex: '1', level: 'warn', source: 'a.log', order: 'sideways' });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error).toContain('q is not a valid regular expression');
    expect(parsed.query).toEqual({ filter: { q: '(x', regex: true, level: 'WARNING', source: 'a.log' }, order: 'newest' });
  });
});

describe('display formatting', () => {
  test('niceCeil is the smallest 1, 2 or 5 × 10^k at or above n', () => {
    const candidates = Array.from({ length: 14 }, (_, k) => [1, 2, 5].map((m) => m * 10 ** k)).flat();
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e12, noNaN: true }), (n) => {
        expect(niceCeil(n)).toBe(candidates.find((c) => c >= n));
      }),
    );
  });

  test('numbers, rates, sizes and times read the way people say them', () => {
    expect(formatCompact(999)).toBe('999');
    expect(formatCompact(1234)).toBe('1.2k');
    expect(formatCompact(25_000)).toBe('25k');
    expect(formatCompact(2_500_000)).toBe('2.5M');
    expect(formatRate(0)).toBe('0');
    expect(formatRate(0.005)).toBe('<1/min');
    expect(formatRate(0.25)).toBe('15/min');
    expect(formatRate(2.54)).toBe('2.5/s');
    expect(formatRate(1234.4)).toBe('1,234/s');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(4096)).toBe('4.0 KiB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GiB');
    expect(clockTime(Date.UTC(2026, 0, 2, 3, 4, 5, 6))).toBe('03:04:05.006');
    expect(clockTime(Number.NaN)).toBe('--:--:--.---');
    expect(relativeTime(T0 - 500, T0)).toBe('just now');
    expect(relativeTime(T0 - 90_000, T0)).toBe('1m ago');
    expect(relativeTime(T0 + 3 * 3600_000, T0)).toBe('in 3h');
    expect(relativeTime(T0 - 3 * 86_400_000, T0)).toBe('3d ago');
    expect(firstLine('a\nb')).toBe('a');
    expect(firstLine('x'.repeat(500), 10)).toBe(`${'x'.repeat(10)}…`);
    expect(clip('abcdef', 4)).toEqual({ text: 'abcd', omitted: 2 });
  });
});
