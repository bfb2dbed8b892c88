// Model test: random entries written in random batches (sealed into many small segments and blocks,
// some left in memory), then random queries; every page sequence and every histogram must equal a
// brute-force scan of what was appended, written here without the store's code.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCondition, parseCondition } from '../../../src/alerts/conditions.ts';
import { LEVELS, LEVEL_RANK, type Level } from '../../../src/types.ts';
import type { AppendEntry, HistoryQuery } from '../../../src/store/history/types.ts';
import { allPages, openHistory } from './helpers.ts';

const T0 = Date.UTC(2026, 11, 1, 10, 0, 0);
const SOURCES = ['logs/app.log', 'logs/db.log', 'api', 'Σource ../x', 'logs/deep/a.log'];
const WORDS = ['connection', 'refused', 'ΑΣ', 'Σ', 'timeout', 'ok', 'x', 'db-5', 'user=root', 'ÉTÉ', 'İstanbul', '"quoted"', 'tab\there', 'new\nline'];
const NEEDLES = ['connection', 'onnec', 'refused to', 'σ', 'ασ', 'Σ t', 'étÉ', 'i̇stan', 'db-5 ', 'x', 'zzz', 'TIMEOUT', '"quo', '\nli', 'user=ROOT'];

const entryArb = fc.record({
  level: fc.constantFrom(...LEVELS),
  source: fc.constantFrom(...SOURCES),
  words: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 }),
  rawKind: fc.constantFrom('same', 'prefixed', 'other'),
  // Mostly close to the batch's time, as real logs are (so whole blocks fall in one histogram bucket); some far off.
  offset: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 3000 }) }, { weight: 1, arbitrary: fc.integer({ min: -7_200_000, max: 7_200_000 }) }),
  status: fc.option(fc.constantFrom(200, 404, 500, 503, '502'), { nil: undefined }),
  user: fc.option(fc.constantFrom('root', 'alice'), { nil: undefined }),
  pattern: fc.option(fc.constantFrom('p1', 'p2'), { nil: undefined }),
});

type GenEntry = typeof entryArb extends fc.Arbitrary<infer T> ? T : never;
type Op = { kind: 'append'; base: number; entries: GenEntry[] } | { kind: 'sync'; advance: number } | { kind: 'reopen' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.integer({ min: 0, max: 7_000_000 }), fc.array(entryArb, { minLength: 1, maxLength: 25 })).map(([base, entries]) => ({ kind: 'append' as const, base, entries })) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 3000 }).map((advance) => ({ kind: 'sync' as const, advance })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reopen' as const }) },
);

const queryArb = fc.record({
  from: fc.option(fc.integer({ min: -100_000, max: 7_300_000 }), { nil: undefined }),
  span: fc.option(fc.integer({ min: 1, max: 7_300_000 }), { nil: undefined }),
  level: fc.option(fc.constantFrom(...LEVELS), { nil: undefined }),
  source: fc.option(fc.constantFrom(...SOURCES, 'logs/*.log', 'logs/**', '*', 'nope'), { nil: undefined }),
  q: fc.option(fc.constantFrom(...NEEDLES), { nil: undefined, freq: 1 }),
  where: fc.option(fc.constantFrom('metadata.status >= 500', 'metadata.user == "root"', 'metadata.status missing'), { nil: undefined, freq: 1 }),
  pattern: fc.option(fc.constantFrom('p1', 'p2', 'p3'), { nil: undefined, freq: 1 }),
  limit: fc.integer({ min: 1, max: 40 }),
  step: fc.constantFrom(60_000, 600_000, 1_800_000, 7_777),
});

function toEntry(e: GenEntry, id: number, base: number): AppendEntry {
  const message = e.words.join(' ');
  const raw = e.rawKind === 'same' ? message : e.rawKind === 'prefixed' ? `2026-12-01 ${e.level} ${message}` : `{"m":${JSON.stringify(message.toUpperCase())}}`;
  const metadata: Record<string, unknown> = {};
  if (e.status !== undefined) metadata.status = e.status;
  if (e.user !== undefined) metadata.user = e.user;
  return { id, time: T0 + Math.max(0, base + e.offset), receivedAt: T0 + 7_200_000, level: e.level, source: e.source, format: 'generic', message, raw, metadata, ...(e.pattern === undefined ? {} : { pattern: e.pattern }) };
}

function compileWhere(text: string) {
  const parsed = parseCondition(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return compileCondition(parsed.condition);
}

// ── the model: plain code, no store modules ──────────────────────────────────────────────────────
function sourceMatches(spec: string, name: string): boolean {
  if (spec === 'logs/*.log') return /^logs\/[^/]*\.log$/.test(name);
  if (spec === 'logs/**') return name.startsWith('logs/');
  if (spec === '*') return !name.includes('/');
  return spec === name;
}

function whereMatches(where: string, e: AppendEntry): boolean {
  const status = e.metadata.status;
  if (where === 'metadata.status >= 500') return status !== undefined && Number(status) >= 500;
  if (where === 'metadata.user == "root"') return e.metadata.user === 'root';
  return status === undefined;
}

function modelMatches(q: HistoryQuery, where: string | undefined, e: AppendEntry): boolean {
  if (q.from !== undefined && e.time < q.from) return false;
  if (q.to !== undefined && e.time >= q.to) return false;
  if (q.level !== undefined && LEVEL_RANK[e.level] < LEVEL_RANK[q.level]) return false;
  if (q.source !== undefined && !sourceMatches(q.source, e.source)) return false;
  if (q.q !== undefined && !e.message.toLowerCase().includes(q.q.toLowerCase()) && !e.raw.toLowerCase().includes(q.q.toLowerCase())) return false;
  if (where !== undefined && !whereMatches(where, e)) return false;
  if (q.pattern !== undefined && e.pattern !== q.pattern) return false;
  return true;
}

describe('history search and histogram (model test)', () => {
  it('equal a brute-force scan for random entries, batches, seals, restarts and queries', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 12 }), fc.array(queryArb, { minLength: 1, maxLength: 6 }), async (ops, queries) => {
        const h = await openHistory({ segmentBytes: 3000, blockBytes: 700, segmentAgeMs: 2000 });
        const model: AppendEntry[] = [];
        let store = h.store;
        for (const op of ops) {
          if (op.kind === 'append') {
            const entries = op.entries.map((e, i) => toEntry(e, model.length + i + 1, op.base));
            store.append(entries);
            model.push(...entries);
          } else if (op.kind === 'sync') {
            h.clock.now += op.advance;
            await store.sync();
          } else {
            await store.close();
            store = await h.reopen();
          }
        }
        for (const spec of queries) {
          const query: HistoryQuery = {
            from: spec.from === undefined ? undefined : T0 + spec.from,
            to: spec.from === undefined || spec.span === undefined ? undefined : T0 + spec.from + spec.span,
            level: spec.level as Level | undefined,
            source: spec.source,
            q: spec.q,
            // The rules' `where` syntax, compiled as the web layer does it.
            conditions: spec.where === undefined ? undefined : [compileWhere(spec.where)],
            pattern: spec.pattern,
          };
          const expected = model.map((e, seq) => ({ e, seq })).filter(({ e }) => modelMatches(query, spec.where, e)).reverse();
          const got = await allPages(store, query, spec.limit);
          expect(got.map((e) => e.seq)).toEqual(expected.map((x) => x.seq));
          expect(got.map((e) => e.message)).toEqual(expected.map((x) => x.e.message));

          const from = query.from ?? T0 - 1000;
          const to = query.to ?? T0 + 7_300_000;
          const buckets = await store.histogram({ ...query, from, to, step: spec.step });
          const start = Math.floor(from / spec.step) * spec.step;
          const counts = new Map<number, number>();
          for (const { e } of expected) {
            if (e.time < from || e.time >= to) continue;
            const bucket = start + Math.floor((e.time - start) / spec.step) * spec.step;
            counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
          }
          expect(buckets.filter((b) => b.total > 0).map((b) => [b.time, b.total])).toEqual([...counts].sort((a, b) => a[0] - b[0]));
        }
        await store.close();
      }),
      { numRuns: 40 },
    );
  });
});
