// The dashboard's live stream: coalescing, filters, resumption, framing, and bounded clients.
import fc from 'fast-check';
import { afterEach, describe, expect, test } from 'vitest';
import type { Level } from '../../src/types.ts';
import { createUi, type Ui, type UiLiveOptions } from '../../src/web/ui.ts';
import { memoryContext, storeEntries, type MemoryContext } from '../e2e/memory-context.ts';

let open: Ui[] = [];
afterEach(() => {
  for (const ui of open) ui.close();
  open = [];
});

function setup(options: Partial<UiLiveOptions> = {}): { ctx: MemoryContext; ui: Ui } {
  const ctx = memoryContext();
  // The timer never fires on its own: each test calls tick() when it means a coalescing window to end.
  const ui = createUi(ctx, { tickMs: 3_600_000, ...options });
  open.push(ui);
  return { ctx, ui };
}

/** Reads a stream body without ever blocking the test: `take` returns what arrived so far. */
class StreamText {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  ended = false;
  bytes = 0;

  constructor(body: ReadableStream<Uint8Array> | null) {
    if (body === null) throw new Error('no body');
    this.reader = body.getReader();
  }

  /** Everything that arrives within `ms` of quiet. */
  async take(ms = 20): Promise<string> {
    let text = '';
    for (;;) {
      this.pending ??= this.reader.read();
      const result = await Promise.race([this.pending, new Promise<'quiet'>((r) => setTimeout(() => r('quiet'), ms))]);
      if (result === 'quiet') return text;
      this.pending = undefined;
      if (result.done) {
        this.ended = true;
        return text;
      }
      this.bytes += result.value.byteLength;
      text += this.decoder.decode(result.value, { stream: true });
    }
  }

  async cancel(): Promise<void> {
    await this.reader.cancel().catch(() => {});
  }
}

interface Message {
  id: number | undefined;
  html: string;
}

/** Splits SSE text into messages with data (comments and `retry:` blocks are dropped). */
function messages(text: string): Message[] {
  const out: Message[] = [];
  for (const block of text.split('\n\n')) {
    const data: string[] = [];
    let id: number | undefined;
    for (const line of block.split('\n')) {
      if (line.startsWith('data: ')) data.push(line.slice(6));
      else if (line.startsWith('id: ')) id = Number(line.slice(4));
    }
    if (data.length > 0) out.push({ id, html: data.join('\n') });
  }
  return out;
}

function rowIds(html: string): number[] {
  return [...html.matchAll(/<details class="row [^"]*" data-id="(\d+)"/g)].map((m) => Number(m[1]));
}

function batchCount(html: string): number | undefined {
  const m = /<div class="batch" data-count="(\d+)">/.exec(html);
  return m === null ? undefined : Number(m[1]);
}

function partialTargets(html: string): string[] {
  return [...html.matchAll(/<hx-partial hx-target="#([\w-]+)"/g)].map((m) => m[1]);
}

async function connect(ui: Ui, query: string, headers: Record<string, string> = {}): Promise<StreamText> {
  const res = await ui.routes.request(`/ui/stream${query}`, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  return new StreamText(res.body);
}

describe('coalescing', () => {
  test('many batches between two ticks become one message with at most rowsPerMessage rows and the full count', async () => {
    const { ctx, ui } = setup({ rowsPerMessage: 100 });
    const stream = await connect(ui, '?after=0');
    for (let b = 0; b < 50; b++) storeEntries(ctx, Array.from({ length: 100 }, (_, i) => ({ message: `line ${b * 100 + i}` })));
    ui.live.tick();
    const got = messages(await stream.take());
    expect(got).toHaveLength(1);
    const [message] = got;
    expect(message.id).toBe(5000);
    expect(batchCount(message.html)).toBe(5000);
    const ids = rowIds(message.html);
    expect(ids).toEqual(Array.from({ length: 100 }, (_, i) => 4901 + i)); // the newest, oldest first
    expect(message.html).toContain('4,900 lines not shown here');
    expect(ui.live.counts().skippedRows).toBe(4900);
    await stream.cancel();
  });

  test('a tick with nothing new sends no rows; the next lines come in the next message', async () => {
    const { ctx, ui } = setup({ idleStatsMs: 3_600_000, alertsMs: 3_600_000 });
    const stream = await connect(ui, '?after=0');
    ui.live.tick(); // first tick: panels only
    expect(messages(await stream.take()).flatMap((m) => rowIds(m.html))).toEqual([]);
    ui.live.tick();
    expect(messages(await stream.take())).toEqual([]);
    storeEntries(ctx, [{ message: 'a' }, { message: 'b' }, { message: 'c' }]);
    ui.live.tick();
    const got = messages(await stream.take());
    expect(got).toHaveLength(1);
    expect(rowIds(got[0].html)).toEqual([1, 2, 3]);
    expect(batchCount(got[0].html)).toBe(3);
    await stream.cancel();
  });

  test('property: every matching line is either shown once or counted as skipped, in order, per message', async () => {
    const level = fc.constantFrom<Level>('DEBUG', 'INFO', 'WARNING', 'ERROR');
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), levels: fc.array(level, { minLength: 1, maxLength: 30 }) }),
      fc.record({ kind: fc.constant('tick' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), fc.constantFrom<Level | undefined>(undefined, 'WARNING'), async (ops, min) => {
        const { ctx, ui } = setup({ rowsPerMessage: 7 });
        const stream = await connect(ui, min === undefined ? '?after=0' : `?after=0&level=${min}`);
        const rank = { DEBUG: 1, INFO: 2, WARNING: 3, ERROR: 4 } as Record<Level, number>;
        let pending: number[] = [];
        const expected: Array<{ shown: number[]; count: number }> = [];
        let nextId = 1;
        for (const o of [...ops, { kind: 'tick' as const }]) {
          if (o.kind === 'add') {
            storeEntries(ctx, o.levels.map((l) => ({ message: l, level: l })));
            o.levels.forEach((l) => {
              if (min === undefined || rank[l] >= rank[min]) pending.push(nextId);
              nextId++;
            });
          } else {
            ui.live.tick();
            if (pending.length > 0) expected.push({ shown: pending.slice(-7), count: pending.length });
            pending = [];
          }
        }
        const got = messages(await stream.take())
          .filter((m) => batchCount(m.html) !== undefined)
          .map((m) => ({ shown: rowIds(m.html), count: batchCount(m.html) as number }));
        expect(got).toEqual(expected);
        await stream.cancel();
        ui.close();
      }),
      { numRuns: 40 },
    );
  });
});

describe('filters and resumption', () => {
  test('only rows matching the stream filter are sent', async () => {
    const { ctx, ui } = setup();
    const stream = await connect(ui, '?after=0&level=ERROR&q=db');
    storeEntries(ctx, [
      { message: 'db down', level: 'ERROR' },
      { message: 'db slow', level: 'WARNING' },
      { message: 'cache down', level: 'ERROR' },
      { message: 'DB gone', level: 'CRITICAL' },
    ]);
    ui.live.tick();
    expect(messages(await stream.take()).flatMap((m) => rowIds(m.html))).toEqual([1, 4]);
    await stream.cancel();
  });

  test('rows=0 (an invalid filter on the page) gets panels but no rows', async () => {
    const { ctx, ui } = setup();
    const stream = await connect(ui, '?rows=0');
    storeEntries(ctx, [{ message: 'x' }]);
    ui.live.tick();
    const got = messages(await stream.take());
    expect(got.flatMap((m) => rowIds(m.html))).toEqual([]);
    expect(got.flatMap((m) => partialTargets(m.html))).toContain('cards');
    await stream.cancel();
  });

  test('starts after the id the page rendered, so lines between render and connect are not lost', async () => {
    const { ctx, ui } = setup();
    storeEntries(ctx, [{ message: 'rendered 1' }, { message: 'rendered 2' }]);
    const html = await (await ui.routes.request('/')).text();
    expect(html).toContain('/ui/stream?after=2');
    storeEntries(ctx, [{ message: 'between render and connect' }]);
    const stream = await connect(ui, '?after=2');
    ui.live.tick();
    expect(messages(await stream.take()).flatMap((m) => rowIds(m.html))).toEqual([3]);
    await stream.cancel();
  });

  test('Last-Event-ID (a reconnect) wins over the after parameter', async () => {
    const { ctx, ui } = setup();
    storeEntries(ctx, Array.from({ length: 5 }, (_, i) => ({ message: `m${i}` })));
    const stream = await connect(ui, '?after=0', { 'Last-Event-ID': '3' });
    ui.live.tick();
    expect(messages(await stream.take()).flatMap((m) => rowIds(m.html))).toEqual([4, 5]);
    await stream.cancel();
  });

  test('an id from before a restart (beyond the newest) replays what the buffer holds', async () => {
    const { ctx, ui } = setup();
    storeEntries(ctx, [{ message: 'a' }, { message: 'b' }]);
    const stream = await connect(ui, '', { 'Last-Event-ID': '90000' });
    ui.live.tick();
    expect(messages(await stream.take()).flatMap((m) => rowIds(m.html))).toEqual([1, 2]);
    await stream.cancel();
  });

  test('a bad query is refused', async () => {
    const { ui } = setup();
    expect((await ui.routes.request('/ui/stream?level=LOUD')).status).toBe(400);
    expect((await ui.routes.request('/ui/stream?q=(&regex=1')).status).toBe(400);
    expect((await ui.routes.request('/ui/stream?after=-1')).status).toBe(400);
  });
});

describe('panels', () => {
  test('the first message refreshes every panel; later ones only what is due', async () => {
    const { ctx, ui } = setup({ statsMs: 1000, idleStatsMs: 10_000, alertsMs: 5000 });
    const stream = await connect(ui, '?after=0');
    ui.live.tick();
    const first = messages(await stream.take()).flatMap((m) => partialTargets(m.html));
    expect(first).toEqual(['cards', 'chart-minutes', 'chart-status', 'top-sources', 'top-errors', 'patterns', 'sources', 'alerts', 'rules', 'silence-list']);

    ctx.advance(500);
    storeEntries(ctx, [{ message: 'x' }]);
    ui.live.tick(); // rows, but stats are not due yet
    expect(messages(await stream.take()).flatMap((m) => partialTargets(m.html))).toEqual(['incoming']);

    ctx.advance(600);
    ui.live.tick(); // new lines since the last stats: due after statsMs
    expect(messages(await stream.take()).flatMap((m) => partialTargets(m.html))).toContain('cards');

    ctx.advance(1500);
    ui.live.tick(); // nothing new: stats wait for idleStatsMs
    expect(messages(await stream.take())).toEqual([]);
    await stream.cancel();
  });

  test('an alert refreshes the alert panels at the next tick', async () => {
    const { ctx, ui } = setup({ alertsMs: 3_600_000, idleStatsMs: 3_600_000 });
    const stream = await connect(ui, '?after=0&level=CRITICAL');
    ui.live.tick();
    await stream.take();
    ctx.advance(100);
    expect(storeEntries(ctx, [{ message: 'connection refused by <db>', level: 'ERROR' }])).toHaveLength(1);
    ui.live.tick();
    const html = messages(await stream.take()).map((m) => m.html).join('');
    expect(partialTargets(html)).toContain('alerts');
    expect(html).toContain('<hx-partial hx-target="#alerts" hx-swap="innerMorph">');
    expect(html).toContain('connection refused by &lt;db&gt;');
    await stream.cancel();
  });
});

describe('framing and bounds', () => {
  test('line breaks of any kind inside log text cannot start an SSE field of their own', async () => {
    const { ctx, ui } = setup();
    const stream = await connect(ui, '?after=0');
    storeEntries(ctx, [{ message: 'one\revent: hx:release\rid: 999\r\nretry: 1\n\ndata: <b>x</b>', raw: 'a\r\rb' }]);
    ui.live.tick();
    const text = await stream.take();
    for (const line of text.split('\n')) expect(line).toMatch(/^(data: .*|id: 1|retry: 2000|: connected|)$/);
    const [message] = messages(text).filter((m) => rowIds(m.html).length > 0);
    expect(message.id).toBe(1);
    expect(message.html).toContain('one\nevent: hx:release\nid: 999\nretry: 1\n\ndata: &lt;b&gt;x&lt;/b&gt;');
    await stream.cancel();
  });

  test('a client that does not read holds at most its queue limit; it catches up with the newest rows', async () => {
    const { ctx, ui } = setup({ queueBytes: 64 * 1024, rowsPerMessage: 50 });
    const stream = await connect(ui, '?after=0');
    let largest = 0;
    for (let t = 0; t < 40; t++) {
      storeEntries(ctx, Array.from({ length: 200 }, (_, i) => ({ message: `tick ${t} line ${i} ${'x'.repeat(100)}` })));
      const before = ui.live.counts().messages;
      ui.live.tick();
      if (ui.live.counts().messages > before) largest = Math.max(largest, 50 * 1200);
    }
    const text = await stream.take();
    expect(stream.bytes).toBeLessThanOrEqual(64 * 1024 + largest);
    expect(ui.live.counts().messages).toBeLessThan(40); // some ticks skipped the full client
    // Drained now: the next message carries the newest rows and counts everything it missed.
    ui.live.tick();
    const next = messages(await stream.take()).filter((m) => batchCount(m.html) !== undefined);
    expect(next).toHaveLength(1);
    expect(rowIds(next[0].html).at(-1)).toBe(8000);
    const delivered = messages(text).reduce((n, m) => n + (batchCount(m.html) ?? 0), 0);
    expect(delivered + (batchCount(next[0].html) as number)).toBe(8000);
    await stream.cancel();
  });

  test('a client whose queue stays full past stalledMs is disconnected', async () => {
    const { ctx, ui } = setup({ queueBytes: 16 * 1024, stalledMs: 5000 });
    const res = await ui.routes.request('/ui/stream?after=0');
    for (let t = 0; t < 10; t++) {
      storeEntries(ctx, Array.from({ length: 100 }, (_, i) => ({ message: `${t}/${i} ${'y'.repeat(200)}` })));
      ui.live.tick();
      ctx.advance(1000);
    }
    expect(ui.live.counts().clients).toBe(0);
    expect(ui.live.counts().disconnectedSlowClients).toBe(1);
    // The response is aborted (its queue dropped), so the browser sees the stream end and reconnects.
    await expect(res.body!.getReader().read()).rejects.toThrow(/too slow/);
  });

  test('a disconnected client is forgotten', async () => {
    const { ui } = setup();
    const abort = new AbortController();
    const res = await ui.routes.request('/ui/stream', { signal: abort.signal });
    expect(ui.live.counts().clients).toBe(1);
    abort.abort();
    await res.body?.cancel().catch(() => {});
    expect(ui.live.counts().clients).toBe(0);
  });

  test('past maxClients new streams are refused with 429', async () => {
    const { ui } = setup({ maxClients: 2 });
    const a = await ui.routes.request('/ui/stream');
    const b = await ui.routes.request('/ui/stream');
    expect((await ui.routes.request('/ui/stream')).status).toBe(429);
    await a.body?.cancel();
    await b.body?.cancel();
  });

  test('an idle stream gets a ping comment so proxies keep it open', async () => {
    const { ctx, ui } = setup({ heartbeatMs: 15_000, idleStatsMs: 3_600_000, alertsMs: 3_600_000 });
    const stream = await connect(ui, '');
    ui.live.tick();
    await stream.take();
    ctx.advance(10_000);
    ui.live.tick();
    expect(await stream.take()).toBe('');
    ctx.advance(6000);
    ui.live.tick();
    expect(await stream.take()).toBe(': ping\n\n');
    await stream.cancel();
  });
});
