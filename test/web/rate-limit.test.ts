import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type WebApp } from '../../src/app.ts';
import { ClientRateLimiter, TokenBucket } from '../../src/web/middleware/rate-limit.ts';
import { fakeContext } from './fake-context.ts';

let web: WebApp | undefined;
afterEach(() => web?.close());

describe('TokenBucket', () => {
  it('matches a naive per-millisecond simulation (no debt)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 500 }), n: fc.integer({ min: 1, max: 25 }) }), { maxLength: 40 }),
        (rate, burst, steps) => {
          const bucket = new TokenBucket(rate, burst, 0);
          let tokens = burst;
          let now = 0;
          for (const { dt, n } of steps) {
            for (let i = 0; i < dt; i++) tokens = Math.min(burst, tokens + rate / 1000);
            now += dt;
            const wait = bucket.take(n, now, false);
            const ok = tokens >= n - 1e-9;
            expect(wait === 0, `t=${now} n=${n} tokens=${tokens}`).toBe(ok);
            if (ok) tokens -= n;
            else if (n > burst) expect(wait).toBe(Infinity);
            else expect(wait).toBeCloseTo((n - tokens) / rate, 6);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('with debt, a batch larger than the burst passes once and then waits its cost off', () => {
    const bucket = new TokenBucket(100, 1000, 0);
    expect(bucket.take(5000, 0, true)).toBe(0); // 1000 - 5000 = -4000
    expect(bucket.take(1, 1000, true)).toBeCloseTo((1 - -3900) / 100, 6); // 39 s until one line fits
    expect(bucket.take(1, 40_001, true)).toBe(0);
  });
});

describe('ClientRateLimiter', () => {
  it('limits each client on its own, answers whole seconds, counts refusals and forgets the least recent client', () => {
    let now = 0;
    const limiter = new ClientRateLimiter({ requestsPerSecond: 2, requestBurst: 2, linesPerSecond: 10, lineBurst: 10, maxClients: 2 }, () => now);
    expect([limiter.request('a'), limiter.request('a'), limiter.request('a')]).toEqual([0, 0, 1]);
    expect(limiter.request('b')).toBe(0);
    now = 500;
    expect(limiter.request('a')).toBe(0);
    expect(limiter.lines('a', 30)).toBe(0);
    expect(limiter.lines('a', 1)).toBe(3); // 20 lines in debt + 1 at 10/s: 2.1 s, rounded up
    limiter.request('c'); // evicts b (least recently seen)
    expect(limiter.counters()).toEqual({ refusedRequests: 1, refusedLines: 1, refusedLineRequests: 1, clients: 2 });
  });
});

describe('POST /api/ingest rate limits', () => {
  it('answer 429 with Retry-After per client (token), and /metrics counts them', async () => {
    const ctx = fakeContext({
      auth: { tokens: [{ name: 'h1', token: 'h1-token-0123456789', roles: ['ingest', 'read'] }, { name: 'h2', token: 'h2-token-0123456789', roles: ['ingest'] }] },
      ingest: { rateLimit: { requestsPerSecond: 0.001, requestBurst: 2, linesPerSecond: 0.001, lineBurst: 3 } },
    });
    web = createApp(ctx);
    const post = (token: string, body: string) =>
      web!.app.request('/api/ingest', { method: 'POST', body, headers: { Authorization: `Bearer ${token}` } });
    expect((await post('h1-token-0123456789', 'a\nb\nc\nd')).status).toBe(202); // 4 lines: passes on credit
    const lines = await post('h1-token-0123456789', 'e');
    expect(lines.status).toBe(429);
    expect(Number(lines.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await lines.json()).error).toMatch(/line rate limit/);
    const requests = await post('h1-token-0123456789', 'f');
    expect(requests.status).toBe(429);
    expect((await requests.json()).error).toMatch(/request rate limit/);
    expect((await post('h2-token-0123456789', 'other host')).status).toBe(202);
    expect(ctx.spool.accepted.flat().flatMap((p) => p.lines)).toEqual(['a', 'b', 'c', 'd', 'other host']);
    const metrics = await (await web.app.request('/metrics', { headers: { Authorization: 'Bearer h1-token-0123456789' } })).text();
    expect(metrics).toContain('logwatch_ingest_rate_limited_total{unit="requests"} 1');
    expect(metrics).toContain('logwatch_ingest_rate_limited_total{unit="lines"} 1');
  });

  it('can be turned off', async () => {
    const ctx = fakeContext({ ingest: { rateLimit: false } });
    web = createApp(ctx);
    for (let i = 0; i < 500; i++) expect((await web.app.request('/api/ingest', { method: 'POST', body: 'x' })).status).toBe(202);
  });
});

describe('shed counters', () => {
  it('what was refused under load shows in /metrics and on the dashboard', async () => {
    const ctx = fakeContext({ ingest: { rateLimit: { requestsPerSecond: 0.001, requestBurst: 1 } } });
    web = createApp(ctx);
    const before = await (await web.app.request('/')).text();
    expect(before).toContain('id="stat-shed"');
    expect(before).toContain('nothing dropped under load');
    expect((await web.app.request('/api/ingest', { method: 'POST', body: 'a' })).status).toBe(202);
    expect((await web.app.request('/api/ingest', { method: 'POST', body: 'b' })).status).toBe(429);
    expect(await (await web.app.request('/metrics')).text()).toContain('logwatch_shed_total{what="ingest_refused"} 1');
    expect(await (await web.app.request('/')).text()).toContain('1 ingest requests (429)');
  });
});
