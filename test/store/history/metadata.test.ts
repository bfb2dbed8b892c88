// Entries of formats that build metadata lazily are stored without it and rebuilt on read: what a
// reader gets back must equal what the parser would have built, from memory and from segments alike.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import { dirname, join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createParserFactory } from '../../../src/parse/index.ts';
import { createMetadataRebuilder, REBUILDABLE_FORMATS } from '../../../src/parse/rebuild.ts';
import { encodeRow } from '../../../src/store/history/codec.ts';
import type { AppendEntry } from '../../../src/store/history/types.ts';
import { LEVEL_RANK } from '../../../src/types.ts';
import { TrigramBuilder } from '../../../src/store/history/trigrams.ts';
import { allPages, filesUnder, openHistory, tempDir } from './helpers.ts';

const LINES: Record<string, string[]> = {
  'web.log': [
    '10.0.0.1 - - [01/Dec/2026:11:00:00 +0000] "GET /a?b=1 HTTP/1.1" 200 512 "-" "curl/8"',
    '10.0.0.2 - alice [01/Dec/2026:11:00:01 +0000] "POST /login HTTP/2.0" 503 - "https://x/" "Mozilla/5.0" 0.042',
    'vhost.example 10.0.0.3 - - [01/Dec/2026:11:00:02 +0000] "GET / HTTP/1.0" 404 0',
  ],
  'app.log': [
    '{"time":"2026-12-01T11:00:00Z","level":"error","msg":"db down","status":503,"ctx":{"a":[1,"b"]}}',
    '{"ts":"2026-12-01T11:00:01Z","severity":"info","message":"ok \\"quoted\\" é","user":"bob"}',
    '{"time":"2026-12-01T11:00:02Z","level":"warn","msg":"no extra fields"}',
  ],
  'sys.log': ['Dec  1 11:00:03 host sshd[42]: Accepted publickey for root from 10.0.0.9'],
};

function parse(): AppendEntry[] {
  const factory = createParserFactory({ formats: {}, parse: { multilineTimeoutMs: 250, detectLines: 20 } });
  const out: AppendEntry[] = [];
  for (const [source, lines] of Object.entries(LINES)) {
    const parser = factory.create({ source });
    const entries: AppendEntry[] = [];
    parser.push({ lines, receivedAt: Date.UTC(2026, 11, 1, 11, 30) }, entries);
    parser.flush(entries);
    out.push(...entries);
  }
  out.forEach((entry, i) => (entry.id = i + 1));
  return out;
}

/** The metadata the parser builds, read from a second parse (reading it on the stored entries would un-defer them). */
function expectedMetadata(): Record<string, unknown>[] {
  return parse().map((entry) => entry.metadata);
}

describe('history metadata rebuilt from the raw line', () => {
  it('leaves it out of the rows of deferred access and JSON entries only', () => {
    const entries = parse();
    const formats = entries.map((e) => e.format);
    expect(formats).toEqual(expect.arrayContaining(['combined', 'common', 'json']));
    for (const entry of entries) {
      const deferred = (entry as { metadataDeferred?: boolean }).metadataDeferred === true;
      expect(deferred).toBe(REBUILDABLE_FORMATS.has(entry.format));
      const row = JSON.parse(encodeRow(entry, deferred)) as unknown[];
      expect(row[7] === 1).toBe(deferred);
    }
  });

  it('reads back the metadata the parser builds, from memory and from segments', async () => {
    const h = await openHistory({ segmentBytes: 400, blockBytes: 200, metadata: { formats: REBUILDABLE_FORMATS, rebuild: createMetadataRebuilder() } });
    const entries = parse();
    const expected = expectedMetadata();
    h.store.append(entries);
    const inMemory = await allPages(h.store);
    await h.store.flush();
    h.clock.now += 120_000;
    await h.store.sync();
    await h.store.close();
    const store = await h.reopen();
    const sealed = await allPages(store);
    expect(store.stats().segments).toBeGreaterThan(0);
    for (const list of [inMemory, sealed]) {
      const byId = new Map(list.map((e) => [e.id, e]));
      entries.forEach((entry, i) => {
        const got = byId.get(entry.id)!;
        expect(got.metadata).toEqual(expected[i]);
        expect({ raw: got.raw, message: got.message, level: got.level, format: got.format }).toEqual({ raw: entry.raw, message: entry.message, level: entry.level, format: entry.format });
      });
    }
    // Access metadata really came back (the test would pass on empty objects otherwise).
    expect(sealed.find((e) => e.format === 'combined')?.metadata).toMatchObject({ status: 503, user: 'alice', request_time: 0.042 });
    expect(sealed.find((e) => e.message === 'db down')?.metadata).toMatchObject({ status: 503, ctx: { a: [1, 'b'] } });
    // Conditions on a metadata field see rebuilt metadata.
    const hits = await allPages(store, { conditions: [(e) => e.metadata.status === 503] });
    expect(hits.map((e) => e.id).sort()).toEqual(entries.filter((_, i) => expected[i].status === 503).map((e) => e.id).sort());
    await store.close();
  });

  it('rebuilds only the metadata that is read, once per entry, and JSON sees it', async () => {
    const real = createMetadataRebuilder();
    let calls = 0;
    const rebuild = (format: string, raw: string) => {
      calls++;
      return real(format, raw);
    };
    const h = await openHistory({ segmentBytes: 400, blockBytes: 200, metadata: { formats: REBUILDABLE_FORMATS, rebuild } });
    const entries = parse();
    const expected = expectedMetadata();
    h.store.append(entries);
    await h.store.flush();
    h.clock.now += 120_000;
    await h.store.sync();
    const page = await h.store.search({ q: 'login' });
    expect(page.entries).toHaveLength(1);
    expect(calls).toBe(0);
    const [entry] = page.entries;
    const want = expected[entries.findIndex((e) => e.id === entry.id)];
    expect(JSON.parse(JSON.stringify(entry)).metadata).toEqual(want);
    expect(entry.metadata).toBe(entry.metadata);
    expect(calls).toBe(1);
    entry.metadata = { set: 1 };
    expect(entry.metadata).toEqual({ set: 1 });
    await h.store.close();
  });

  it('stores metadata someone already built (it may have been changed since)', async () => {
    const h = await openHistory({ segmentBytes: 100, blockBytes: 100, metadata: { formats: REBUILDABLE_FORMATS, rebuild: createMetadataRebuilder() } });
    const entries = parse();
    const json = entries.find((e) => e.format === 'json')!;
    json.metadata = { replaced: true };
    h.store.append(entries);
    await h.store.flush();
    h.clock.now += 120_000;
    await h.store.sync();
    await h.store.close();
    const store = await h.reopen();
    expect((await allPages(store)).find((e) => e.id === json.id)?.metadata).toEqual({ replaced: true });
    await store.close();
  });
});

/** Rewrites the version in a segment's index (the footer holds the index length, then the magic). */
function setVersion(path: string, version: number): void {
  const bytes = readFileSync(path);
  const length = bytes.readUInt32LE(bytes.length - 8);
  const indexStart = bytes.length - 8 - length;
  const index = JSON.parse(bytes.subarray(indexStart, bytes.length - 8).toString('utf8')) as { version: number };
  index.version = version;
  const indexBytes = Buffer.from(JSON.stringify(index));
  const footer = Buffer.from(bytes.subarray(bytes.length - 8));
  footer.writeUInt32LE(indexBytes.length, 0);
  writeFileSync(path, Buffer.concat([bytes.subarray(0, indexStart), indexBytes, footer]));
}

/** A segment as versions 1 and 2 wrote it: one brotli block of JSON rows, its trigram bitmap, the index, the footer. */
function writeRowSegment(path: string, version: number, entries: AppendEntry[], firstSeq: number, elide: boolean): void {
  const block = brotliCompressSync(Buffer.from(entries.map((e) => encodeRow(e, elide && REBUILDABLE_FORMATS.has(e.format))).join('\n')));
  const bloom = new TrigramBuilder();
  for (const e of entries) bloom.add(e.raw);
  const bitmap = bloom.finish();
  const counts = new Map<string, number[]>();
  const sources = [...new Set(entries.map((e) => e.source))];
  for (const e of entries) {
    const sid = sources.indexOf(e.source);
    const c = counts.get(e.source) ?? [sid, 0, 0, 0, 0, 0, 0];
    c[1 + LEVEL_RANK[e.level]]++;
    counts.set(e.source, c);
  }
  const times = entries.map((e) => e.time);
  const index = {
    version, codec: 'br5', firstSeq, lastSeq: firstSeq + entries.length - 1, count: entries.length,
    minTime: Math.min(...times), maxTime: Math.max(...times), maxReceivedAt: Math.max(...entries.map((e) => e.receivedAt)),
    rawBytes: entries.reduce((n, e) => n + Buffer.byteLength(e.raw) + 1, 0), sources,
    blocks: [{ offset: 0, length: block.length, bloomOffset: block.length, bloomLength: bitmap.length, count: entries.length, firstSeq, minTime: Math.min(...times), maxTime: Math.max(...times), counts: [...counts.values()] }],
  };
  const indexBytes = Buffer.from(JSON.stringify(index));
  const footer = Buffer.alloc(8);
  footer.writeUInt32LE(indexBytes.length, 0);
  footer.writeUInt32LE(0x3148574c, 4);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, Buffer.concat([block, bitmap, indexBytes, footer]));
}

describe('segment versions', () => {
  it('reads segments of JSON rows (versions 1 and 2) beside column blocks, and skips with a warning a version it does not know', async () => {
    const warnings: string[] = [];
    const dir = tempDir();
    const parsed = parse();
    const metadata = { formats: REBUILDABLE_FORMATS, rebuild: createMetadataRebuilder() };
    const expected = expectedMetadata();
    const v1 = parsed.slice(0, 3);
    const v2 = parsed.slice(3, 7);
    writeRowSegment(join(dir, '2026-12-01', '0000000000000000.seg'), 1, v1, 0, false);
    writeRowSegment(join(dir, '2026-12-01', '0000000000000003.seg'), 2, v2, 3, true);
    const h = await openHistory({ segmentBytes: 300, blockBytes: 200, warn: (m) => warnings.push(m), metadata }, dir);
    expect(h.store.stats().segments).toBe(2);
    const v3 = parse().slice(0, 4).map((e, i) => Object.assign(e, { id: 100 + i }));
    h.store.append(v3);
    await h.store.flush();
    h.clock.now += 120_000;
    await h.store.sync();
    await h.store.close();
    let store = await h.reopen();
    const all = await allPages(store);
    expect(all.map((e) => e.seq)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    const bySeq = new Map(all.map((e) => [e.seq, e]));
    [...v1, ...v2].forEach((entry, i) => {
      expect(bySeq.get(i)).toMatchObject({ id: entry.id, raw: entry.raw, message: entry.message, source: entry.source, format: entry.format, metadata: expected[i] });
    });
    v3.forEach((entry, i) => expect(bySeq.get(7 + i)).toMatchObject({ id: 100 + i, raw: entry.raw, metadata: expected[i] }));
    expect((await store.search({ q: 'sshd' })).entries.map((e) => e.seq)).toEqual([6]);
    await store.close();

    const segments = filesUnder(dir).filter((f) => f.endsWith('.seg')).map((f) => join(dir, f));
    setVersion(segments[0], 99);
    store = await h.reopen();
    expect(store.stats().segments).toBe(segments.length - 1);
    expect(warnings.join('\n')).toMatch(/unsupported segment version 99/);
    await store.close();
  });
});
