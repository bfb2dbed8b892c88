/** @jsxImportSource hono/jsx */
// GET/POST /login and POST /logout: the dashboard asks for a token (or user and password) once and keeps a
// session cookie (HttpOnly, SameSite=Strict, Secure over TLS). Cross-site posts never get here (same-origin).
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { LoginPage } from '../../../views/login.tsx';
import { ClientRateLimiter, clientAddress } from '../middleware/rate-limit.ts';
import { assetUrl } from '../ui/assets.ts';
import { renderHtml } from '../ui/fragments.tsx';
import { UI_CSP } from '../ui/routes.tsx';
import { SESSION_COOKIE, type Authenticator } from './authenticator.ts';
import type { Principal } from './principal.ts';

/** Only a local path: `//evil.example` or `https://...` would make the login an open redirect. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') && next.length < 2048 ? next : '/';
}

/** Login attempts per address: a burst of 10, then one every 5 s (guessing passwords gets slow). */
const LOGIN_LIMITS = { requestsPerSecond: 0.2, requestBurst: 10, linesPerSecond: 1, lineBurst: 1, maxClients: 10_000 };

export function loginRoutes(auth: Authenticator, sessionTtlSeconds: number, clock: () => number = Date.now): Hono {
  const app = new Hono();
  const attempts = new ClientRateLimiter(LOGIN_LIMITS, clock);

  const page = (c: Context, next: string, status: 200 | 401, error?: string) => {
    c.header('Content-Security-Policy', UI_CSP);
    c.header('Cache-Control', 'no-store');
    if (status === 401) c.header('WWW-Authenticate', 'Bearer realm="logwatch"');
    const html = renderHtml(<LoginPage next={next} users={auth.hasUsers} error={error} css={assetUrl('dashboard.css')} icon={assetUrl('favicon.svg')} />);
    return c.html(`<!doctype html>${html}`, status);
  };

  app.get('/login', (c) => {
    if (!auth.enabled) return c.redirect('/', 303);
    return page(c, safeNext(c.req.query('next')), 200);
  });

  app.post('/login', async (c) => {
    if (!auth.enabled) return c.redirect('/', 303);
    const wait = attempts.request(clientAddress(c));
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      return c.text(`too many login attempts from this address; retry in ${wait} s`, 429);
    }
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const field = (name: string) => {
      const v = (form as Record<string, unknown>)[name];
      return typeof v === 'string' && v.length <= 4096 ? v : '';
    };
    const next = safeNext(field('next'));
    let principal: Principal | undefined;
    if (field('token') !== '') principal = auth.byToken(field('token'));
    else if (field('user') !== '') principal = await auth.byPassword(field('user'), field('password'));
    if (principal === undefined) return page(c, next, 401, 'Wrong token, user or password.');
    const secure = new URL(c.req.url).protocol === 'https:';
    setCookie(c, SESSION_COOKIE, auth.sessions.create(principal), { path: '/', httpOnly: true, sameSite: 'Strict', secure, maxAge: sessionTtlSeconds });
    return c.redirect(next, 303);
  });

  app.post('/logout', (c) => {
    const id = getCookie(c, SESSION_COOKIE);
    if (id !== undefined) auth.sessions.delete(id);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect(auth.enabled ? '/login' : '/', 303);
  });

  return app;
}
