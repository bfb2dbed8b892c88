import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type WebApp } from '../../../src/app.ts';
import { parseConfig } from '../../../src/config/load.ts';
import { hashPassword } from '../../../src/web/auth/password.ts';
import { safeNext } from '../../../src/web/auth/routes.tsx';
import { fakeContext } from '../fake-context.ts';

let web: WebApp | undefined;
afterEach(() => web?.close());

const BASE = 'http://127.0.0.1:3000';
const READER = 'reader-token-0123456789';
const ADMIN = 'admin-token-0123456789a';
const INGEST = 'ingest-token-0123456789';
const WEB1 = 'web1-ingest-token-012345';

function app(config: Parameters<typeof fakeContext>[0]) {
  const ctx = fakeContext(config);
  web = createApp(ctx);
  const req = (path: string, init: RequestInit = {}) => web!.app.request(`${BASE}${path}`, init);
  return { ctx, req };
}
const bearer = (token: string, extra: Record<string, string> = {}) => ({ Authorization: `Bearer ${token}`, ...extra });
const silence = JSON.stringify({ rule: '*', duration: 60, comment: 'deploy' });

describe('no auth configured (loopback default)', () => {
  it('everything stays open, as before', async () => {
    const { req } = app({});
    expect((await req('/api/logs')).status).toBe(200);
    expect((await req('/metrics')).status).toBe(200);
    expect((await req('/api/silences', { method: 'POST', body: silence, headers: { 'Content-Type': 'application/json' } })).status).toBe(201);
    expect((await req('/api/ingest', { method: 'POST', body: 'x' })).status).toBe(202);
    expect((await req('/login')).status).toBe(303);
  });
});

describe('--token: one token with every role', () => {
  it('reading needs it too; every 401 carries WWW-Authenticate; /healthz and assets stay open', async () => {
    const { req } = app({ token: 's3cret' });
    for (const path of ['/api/logs', '/api/stats', '/api/alerts', '/api/rules', '/api/sources', '/api/silences', '/metrics', '/api/stream', '/ui/tail']) {
      const res = await req(path);
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate'), path).toMatch(/^Bearer realm="logwatch"/);
    }
    const wrong = await req('/api/logs', { headers: bearer('nope') });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect((await req('/api/logs', { headers: bearer('s3cret') })).status).toBe(200);
    expect((await req('/metrics', { headers: bearer('s3cret') })).status).toBe(200);
    expect((await req('/healthz')).status).toBe(200);
    expect((await req('/assets/dashboard.css')).status).toBe(200);
    const login = await req('/login');
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('name="token"');
  });

  it('a browser opening the dashboard is sent to /login, logs in once and keeps a session cookie', async () => {
    const { req } = app({ token: 's3cret' });
    const first = await req('/?level=ERROR', { headers: { Accept: 'text/html', 'Sec-Fetch-Mode': 'navigate' } });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/login?next=%2F%3Flevel%3DERROR');

    const form = (fields: Record<string, string>) => ({
      method: 'POST',
      body: new URLSearchParams(fields).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    const bad = await req('/login', form({ token: 'guess', next: '/' }));
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(bad.headers.get('set-cookie')).toBeNull();

    const ok = await req('/login', form({ token: 's3cret', next: '/?level=ERROR' }));
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/?level=ERROR');
    const cookie = ok.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^logwatch_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).not.toContain('Secure');
    const session = cookie.split(';')[0];
    expect((await req('/', { headers: { Cookie: session } })).status).toBe(200);
    expect((await req('/api/logs', { headers: { Cookie: session } })).status).toBe(200);
    expect((await req('/api/logs', { headers: { Cookie: 'logwatch_session=forged' } })).status).toBe(401);

    const out = await req('/logout', { method: 'POST', headers: { Cookie: session } });
    expect(out.status).toBe(303);
    expect((await req('/api/logs', { headers: { Cookie: session } })).status).toBe(401);
  });

  it('over TLS the session cookie is Secure', async () => {
    const ctx = fakeContext({ token: 's3cret' });
    web = createApp(ctx);
    const res = await web.app.request('https://logwatch.example/login', {
      method: 'POST',
      body: 'token=s3cret',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(res.headers.get('set-cookie')).toContain('Secure');
  });
});

describe('roles', () => {
  const tokens = [
    { name: 'grafana', token: READER, roles: ['read'] },
    { name: 'oncall', token: ADMIN, roles: ['admin'] },
    { name: 'shipper', token: INGEST, roles: ['ingest'] },
    { name: 'web-1', token: WEB1, roles: ['ingest'], sourcePrefix: 'web-1/' },
  ] satisfies Array<{ name: string; token: string; roles: Array<'read' | 'admin' | 'ingest'>; sourcePrefix?: string }>;

  it('read reads, admin changes state (and reads), ingest only writes lines', async () => {
    const { ctx, req } = app({ auth: { tokens } });
    const json = { 'Content-Type': 'application/json' };
    expect((await req('/api/logs', { headers: bearer(READER) })).status).toBe(200);
    expect((await req('/api/logs', { headers: bearer(ADMIN) })).status).toBe(200);
    const ingestReads = await req('/api/logs', { headers: bearer(INGEST) });
    expect(ingestReads.status).toBe(403);
    expect((await ingestReads.json()).error).toMatch(/"shipper" lacks the "read" role/);

    expect((await req('/api/silences', { method: 'POST', body: silence, headers: bearer(READER, json) })).status).toBe(403);
    expect((await req('/api/silences', { method: 'POST', body: silence, headers: bearer(INGEST, json) })).status).toBe(403);
    expect(ctx.pipeline.alerts.silences()).toEqual([]);
    const created = await req('/api/silences', { method: 'POST', body: silence, headers: bearer(ADMIN, json) });
    expect(created.status).toBe(201);
    const { id } = await created.json();
    expect((await req(`/api/silences/${id}`, { method: 'DELETE', headers: bearer(READER) })).status).toBe(403);
    expect((await req(`/api/silences/${id}`, { method: 'DELETE', headers: bearer(ADMIN) })).status).toBe(200);

    expect((await req('/api/ingest', { method: 'POST', body: 'x', headers: bearer(READER) })).status).toBe(403);
    expect((await req('/api/ingest', { method: 'POST', body: 'x', headers: bearer(ADMIN) })).status).toBe(403);
    expect((await req('/api/ingest?source=any', { method: 'POST', body: 'x', headers: bearer(INGEST) })).status).toBe(202);

    // Issue 13's routes: history reads are reads; trying a rule on history runs work on the server, so admin.
    const rule = JSON.stringify({ rule: { name: 'r', type: 'match', pattern: 'x' }, from: '-1h' });
    expect((await req('/api/rules/test', { method: 'POST', body: rule, headers: bearer(READER, json) })).status).toBe(403);
    expect((await req('/api/rules/test', { method: 'POST', body: rule, headers: bearer(INGEST, json) })).status).toBe(403);
    expect([401, 403]).not.toContain((await req('/api/rules/test', { method: 'POST', body: rule, headers: bearer(ADMIN, json) })).status);
    expect([401, 403]).not.toContain((await req('/api/histogram', { headers: bearer(READER) })).status);
    expect((await req('/api/histogram', { headers: bearer(INGEST) })).status).toBe(403);
  });

  it('an ingest token bound to a source prefix cannot write as another host', async () => {
    const { ctx, req } = app({ auth: { tokens } });
    const other = await req('/api/ingest?source=web-2/app', { method: 'POST', body: 'forged', headers: bearer(WEB1) });
    expect(other.status).toBe(403);
    expect((await other.json()).error).toMatch(/only write sources starting with "web-1\/"/);
    expect((await req('/api/ingest', { method: 'POST', body: 'default source', headers: bearer(WEB1) })).status).toBe(403);
    expect((await req('/api/ingest?source=web-1/app', { method: 'POST', body: 'mine', headers: bearer(WEB1) })).status).toBe(202);
    expect(ctx.pipeline.store.all().map((e) => [e.source, e.raw])).toEqual([['web-1/app', 'mine']]);
  });

  it('users log in with HTTP Basic or the form; scripts are offered Basic, browsers the login page', async () => {
    const passwordHash = await hashPassword('correct horse');
    const { req } = app({ auth: { users: [{ name: 'ana', passwordHash, roles: ['read'] }] } });
    const basic = (user: string, pass: string) => ({ Authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` });
    expect((await req('/api/logs', { headers: basic('ana', 'correct horse') })).status).toBe(200);
    expect((await req('/api/logs', { headers: basic('ana', 'correct horse') })).status).toBe(200); // cached verification
    for (const [u, p] of [['ana', 'wrong'], ['bob', 'correct horse']]) {
      const res = await req('/api/logs', { headers: basic(u, p) });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('Basic realm="logwatch"');
    }
    const fromPage = await req('/api/logs', { headers: { 'Sec-Fetch-Site': 'same-origin' } });
    expect(fromPage.headers.get('www-authenticate')).not.toContain('Basic');
    const login = await req('/login', {
      method: 'POST',
      body: 'user=ana&password=correct+horse',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(login.status).toBe(303);
    const session = login.headers.get('set-cookie')!.split(';')[0];
    expect((await req('/api/rules', { headers: { Cookie: session } })).status).toBe(200);
    expect((await req('/api/silences', { method: 'POST', body: silence, headers: { Cookie: session, 'Content-Type': 'application/json' } })).status).toBe(403);
  });
});

describe('auth config', () => {
  it('errors name the field: a plain password, a short token, an unknown role', () => {
    expect(() => parseConfig({ auth: { users: [{ name: 'ana', passwordHash: 'hunter2', roles: ['read'] }] } })).toThrow(
      /field auth\.users\[0\]\.passwordHash: not a password hash made by `logwatch hash-password`/,
    );
    expect(() => parseConfig({ auth: { tokens: [{ name: 't', token: 'short', roles: ['read'] }] } })).toThrow(/auth\.tokens\[0\]\.token: a token must be at least 16/);
    expect(() => parseConfig({ auth: { tokens: [{ name: 't', token: READER, roles: ['root'] }] } })).toThrow(/auth\.tokens\[0\]\.roles\[0\]: a role is one of read, admin, ingest/);
  });

  it('the login redirect only goes to local paths', () => {
    expect(safeNext('/?level=ERROR')).toBe('/?level=ERROR');
    for (const hostile of ['//evil.example', 'https://evil.example', '/\\evil.example', 'javascript:alert(1)', undefined, 42]) expect(safeNext(hostile)).toBe('/');
  });
});

describe('login attempts', () => {
  it('are limited per address: a burst of 10, then 429 with Retry-After', async () => {
    const { req } = app({ token: 's3cret' });
    const attempt = () => req('/login', { method: 'POST', body: 'token=guess', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    for (let i = 0; i < 10; i++) expect((await attempt()).status).toBe(401);
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});
