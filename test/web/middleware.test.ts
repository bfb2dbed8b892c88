// The web edge: what applies to many routes is enforced once, for all of them.
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type WebApp } from '../../src/app.ts';
import { fakeContext } from './fake-context.ts';

let web: WebApp | undefined;
afterEach(() => web?.close());

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

describe('same-origin check', () => {
  it('refuses a cross-site request on every state-changing route of the app with a 403 JSON error, and changes nothing', async () => {
    const ctx = fakeContext();
    web = createApp(ctx);
    // Every route the app registers, so a route added later is covered without touching this test.
    // (Hono lists a route once per handler, middleware included: hence the Set.)
    const keys = new Set(web.app.routes.filter((r) => STATE_CHANGING.has(r.method)).map((r) => `${r.method} ${r.path.replace(/:id/, 'x')}`));
    const routes = [...keys].map((key) => ({ method: key.split(' ')[0], path: key.split(' ')[1] }));
    expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(
      ['DELETE /api/silences/x', 'DELETE /ui/silences/x', 'POST /api/ingest', 'POST /api/rules/test', 'POST /api/silences', 'POST /login', 'POST /logout', 'POST /loki/api/v1/push', 'POST /ui/rules/test', 'POST /ui/silences', 'POST /v1/logs'].sort(),
    );
    const attempts: Array<Record<string, string>> = [{ Origin: 'https://evil.example' }, { 'Sec-Fetch-Site': 'cross-site' }, { Origin: 'null' }];
    for (const { method, path } of routes) {
      for (const headers of attempts) {
        const res = await web.app.request(`http://127.0.0.1:3000${path}`, {
          method,
          body: method === 'DELETE' ? undefined : 'rule=*&duration=60&comment=evil',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
        });
        expect(res.status, `${method} ${path} with ${JSON.stringify(headers)}`).toBe(403);
        expect((await res.json()).error).toMatch(/^cross-site request refused/);
      }
    }
    expect(ctx.pipeline.alerts.silences()).toEqual([]);
    expect(ctx.spool.accepted).toEqual([]);
  });

  it('lets same-origin pages and clients that send no Origin (curl, scripts) through, and never blocks reads', async () => {
    const ctx = fakeContext();
    web = createApp(ctx);
    const body = JSON.stringify({ rule: '*', duration: 60, comment: 'deploy' });
    const json = { 'Content-Type': 'application/json' };
    expect((await web.app.request('http://127.0.0.1:3000/api/silences', { method: 'POST', body, headers: json })).status).toBe(201);
    const sameSite = { ...json, Origin: 'http://127.0.0.1:3000', 'Sec-Fetch-Site': 'same-origin' };
    expect((await web.app.request('http://127.0.0.1:3000/api/silences', { method: 'POST', body, headers: sameSite })).status).toBe(201);
    // A same-origin *form* post under Referrer-Policy no-referrer carries Origin: null; Sec-Fetch-Site decides.
    const formPost = { ...json, Origin: 'null', 'Sec-Fetch-Site': 'same-origin' };
    expect((await web.app.request('http://127.0.0.1:3000/api/silences', { method: 'POST', body, headers: formPost })).status).toBe(201);
    // A browser's word wins over a matching Origin: same-site (another port) is not same-origin.
    const otherPort = { ...json, Origin: 'http://127.0.0.1:3000', 'Sec-Fetch-Site': 'same-site' };
    expect((await web.app.request('http://127.0.0.1:3000/api/silences', { method: 'POST', body, headers: otherPort })).status).toBe(403);
    expect(ctx.pipeline.alerts.silences()).toHaveLength(3);
    const read = await web.app.request('http://127.0.0.1:3000/api/silences', { headers: { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' } });
    expect(read.status).toBe(200);
  });
});

describe('bearer token', () => {
  it('answers 401 with WWW-Authenticate: Bearer and a JSON error when the token is missing or wrong', async () => {
    const ctx = fakeContext({ token: 's3cret' });
    web = createApp(ctx);
    for (const authorization of [undefined, 'Bearer nope', 'Basic czNjcmV0', 'Bearer s3cret2', 'Bearers3cret']) {
      const headers: Record<string, string> = { 'Content-Type': 'text/plain' };
      if (authorization !== undefined) headers.Authorization = authorization;
      const res = await web.app.request('/api/ingest', { method: 'POST', body: 'a', headers });
      expect(res.status, String(authorization)).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
      expect((await res.json()).error).toMatch(/Authorization: Bearer <token>/);
    }
    expect(ctx.spool.accepted).toEqual([]);
    const ok = await web.app.request('/api/ingest', { method: 'POST', body: 'a', headers: { 'Content-Type': 'text/plain', Authorization: 'Bearer s3cret' } });
    expect(ok.status).toBe(202);
  });
});

describe('body limits', () => {
  it('a silence body over 16 KiB gets 413 with a JSON error, on the API and the dashboard form alike', async () => {
    const ctx = fakeContext();
    web = createApp(ctx);
    const big = `rule=*&duration=60&comment=${'x'.repeat(17 * 1024)}`;
    for (const path of ['/api/silences', '/ui/silences']) {
      const res = await web.app.request(path, { method: 'POST', body: big, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
      expect(res.status, path).toBe(413);
      expect((await res.json()).error).toMatch(/larger than 16384 bytes/);
    }
    expect(ctx.pipeline.alerts.silences()).toEqual([]);
  });
});
