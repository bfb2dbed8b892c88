// The shipper: order, retries with backoff and jitter, what is dropped and what is retried forever.
import { describe, expect, it } from 'vitest';
import { Shipper } from '../../src/forward/shipper.ts';
import type { ShipBatch, ShipperOptions } from '../../src/forward/types.ts';
import { deps, ManualTimers, scriptedFetch, settle } from './helpers.ts';

const OPTIONS: ShipperOptions = { name: 'test', url: 'http://127.0.0.1:9/push', headers: { Authorization: 'Bearer t' }, timeoutMs: 5000, backoffMs: 100, maxBackoffMs: 1000, maxBacklogBytes: 1000 };

function batch(name: string, sent: string[], bytes = 100): ShipBatch {
  return { body: name, contentType: 'text/plain', bytes, records: 1, onSent: () => sent.push(name) };
}

describe('Shipper', () => {
  it('sends batches one at a time, in order, with the headers, and reports each once taken', async () => {
    const timers = new ManualTimers();
    const { fetch, calls } = scriptedFetch([]);
    const shipper = new Shipper(OPTIONS, deps(timers, fetch));
    const sent: string[] = [];
    for (const name of ['a', 'b', 'c']) expect(shipper.enqueue(batch(name, sent))).toBe(true);
    await timers.advance(0);
    expect(sent).toEqual(['a', 'b', 'c']);
    expect(calls.map((c) => [c.body, c.headers.Authorization, c.headers['Content-Type']])).toEqual([
      ['a', 'Bearer t', 'text/plain'],
      ['b', 'Bearer t', 'text/plain'],
      ['c', 'Bearer t', 'text/plain'],
    ]);
    expect(shipper.status()).toMatchObject({ sent: 3, queuedBatches: 0, queuedBytes: 0, attempts: 3, retries: 0 });
  });

  it('retries 5xx, 429, 401 and network errors with exponential backoff and equal jitter, never reordering', async () => {
    const timers = new ManualTimers();
    const { fetch, calls } = scriptedFetch([503, 429, new Error('ECONNREFUSED'), 401, 500, 500, 500]);
    let r = 0;
    const randoms = [0, 0.999, 0.5, 0, 0, 0, 0];
    const d = deps(timers, fetch, () => randoms[r++]!);
    const shipper = new Shipper(OPTIONS, d);
    const sent: string[] = [];
    shipper.enqueue(batch('a', sent));
    shipper.enqueue(batch('b', sent));
    while (sent.length < 2) await timers.advance(100);
    // delay_n = min(1000, 100 * 2^(n-1)); half of it fixed, half random.
    // Every timer but the attempt timeouts (timeoutMs, 5000) is a backoff.
    expect(d.delays.filter((ms) => ms !== OPTIONS.timeoutMs)).toEqual([50, 200, 300, 400, 500, 500, 500]);
    expect(calls.map((c) => c.body)).toEqual(['a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'b']);
    expect(sent).toEqual(['a', 'b']);
    expect(shipper.status()).toMatchObject({ sent: 2, retries: 7, lastError: null });
    // One warning for the outage, not one per attempt.
    expect(d.logger.lines.filter((l) => l.startsWith('warn'))).toHaveLength(1);
  });

  it("waits at least the server's Retry-After", async () => {
    const timers = new ManualTimers();
    const { fetch } = scriptedFetch([{ status: 429, headers: { 'Retry-After': '7' } }]);
    const d = deps(timers, fetch);
    const shipper = new Shipper({ ...OPTIONS, maxBackoffMs: 60_000 }, d);
    const sent: string[] = [];
    shipper.enqueue(batch('a', sent));
    await timers.advance(6999);
    expect(sent).toEqual([]);
    await timers.advance(1);
    expect(sent).toEqual(['a']);
    expect(d.delays.filter((ms) => ms !== OPTIONS.timeoutMs)).toEqual([7000]);
  });

  it('drops a batch the server refuses for good (400, 413), logs it, and goes on', async () => {
    const timers = new ManualTimers();
    const { fetch } = scriptedFetch([{ status: 400, body: '{"error":"bad line"}' }, 413]);
    const d = deps(timers, fetch);
    const shipper = new Shipper(OPTIONS, d);
    const sent: string[] = [];
    for (const name of ['a', 'b', 'c']) shipper.enqueue(batch(name, sent));
    await timers.advance(0);
    expect(sent).toEqual(['c']);
    expect(shipper.status()).toMatchObject({ sent: 1, rejected: 2 });
    expect(d.logger.lines.filter((l) => l.startsWith('error'))[0]).toMatch(/refused 1 records for good \(HTTP 400: \{"error":"bad line"\}\)/);
  });

  it('gives up an attempt after timeoutMs and retries it', async () => {
    const timers = new ManualTimers();
    let calls = 0;
    const hanging = (_url: string, init: RequestInit) =>
      new Promise<Response>((resolve, reject) => {
        calls++;
        if (calls > 1) return resolve(new Response(null, { status: 204 }));
        init.signal!.addEventListener('abort', () => reject(new Error('aborted')));
      });
    const shipper = new Shipper(OPTIONS, deps(timers, hanging));
    const sent: string[] = [];
    shipper.enqueue(batch('a', sent));
    await timers.advance(5000);
    expect(shipper.status().lastError).toBe('no answer within 5000 ms');
    await timers.advance(100);
    expect(sent).toEqual(['a']);
  });

  it('bounds the backlog in bytes, and gives back the batches not in flight', async () => {
    const timers = new ManualTimers();
    const { fetch } = scriptedFetch([503], 503);
    const shipper = new Shipper(OPTIONS, deps(timers, fetch));
    const sent: string[] = [];
    expect(shipper.enqueue(batch('a', sent, 400))).toBe(true);
    expect(shipper.enqueue(batch('b', sent, 400))).toBe(true);
    expect(shipper.enqueue(batch('c', sent, 400))).toBe(false);
    // One batch larger than the whole limit still goes when the backlog is empty, or it could never be sent.
    await timers.advance(0);
    expect(shipper.takeQueued().map((b) => b.body)).toEqual(['b']);
    expect(shipper.backlogBytes).toBe(400);
    await shipper.close(0);
    expect(shipper.enqueue(batch('d', sent))).toBe(false);
    await settle();
    expect(sent).toEqual([]);
  });
});
