// Authorization at the web edge: one app-wide gate that asks each route's role (roleFor), and
// requireRole for routers mounted on their own (receivers). Handlers read the principal with principalOf.
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { jsonError } from '../errors.ts';
import { SESSION_COOKIE, type Authenticator } from './authenticator.ts';
import type { Role } from './config.ts';
import { hasRole, OPEN, type Principal } from './principal.ts';

/** Open to anyone: health checks, the login page, and the static files the login page needs. */
const OPEN_PATHS = new Set(['/healthz', '/login', '/logout']);
/**
 * Routes that write lines need `ingest` (not `admin`): ours and the receivers' (Loki push, OTLP logs).
 * A receiver with another path adds it here or guards its router with requireRole(auth, 'ingest').
 */
export const INGEST_PATHS = new Set(['/api/ingest', '/loki/api/v1/push', '/v1/logs']);

/** The role a request needs, or null when it is open. Reads need `read`; every other method `admin`. */
export function roleFor(method: string, path: string): Role | null {
  if (OPEN_PATHS.has(path) || path.startsWith('/assets/')) return null;
  if (INGEST_PATHS.has(path)) return 'ingest';
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' ? 'read' : 'admin';
}

declare module 'hono' {
  interface ContextVariableMap {
    principal: Principal;
  }
}

/** The principal a request was authenticated as (OPEN when no auth is configured or on open routes). */
export function principalOf(c: Context): Principal {
  return c.get('principal') ?? OPEN;
}

type Outcome = { principal: Principal } | { refused: 'missing' | 'invalid' };

async function authenticate(auth: Authenticator, c: Context): Promise<Outcome> {
  if (!auth.enabled) return { principal: OPEN };
  const header = c.req.header('authorization');
  if (header !== undefined && header.trim() !== '') {
    const principal = await auth.byAuthorization(header.trim());
    return principal === undefined ? { refused: 'invalid' } : { principal };
  }
  const session = getCookie(c, SESSION_COOKIE);
  if (session !== undefined) {
    const principal = auth.sessions.get(session);
    if (principal !== undefined) return { principal };
  }
  return { refused: 'missing' };
}

/** A browser opening a page (not a script, not htmx): sent to the login form instead of a bare 401. */
function wantsPage(c: Context): boolean {
  if (c.req.method !== 'GET' || c.req.header('hx-request') !== undefined) return false;
  const mode = c.req.header('sec-fetch-mode');
  return mode === 'navigate' || (mode === undefined && (c.req.header('accept') ?? '').includes('text/html'));
}

function refuse(auth: Authenticator, c: Context, why: 'missing' | 'invalid'): Response {
  const url = new URL(c.req.url);
  if (why === 'missing' && wantsPage(c)) return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
  // Every 401 names the schemes (RFC 9110 §11.6.1). Basic is offered to scripts only: a browser would
  // answer it with its own password dialog instead of the login page.
  const challenges = [why === 'invalid' ? 'Bearer realm="logwatch", error="invalid_token"' : 'Bearer realm="logwatch"'];
  const script = c.req.header('sec-fetch-site') === undefined && c.req.header('hx-request') === undefined;
  if (auth.hasUsers && script) challenges.push('Basic realm="logwatch", charset="UTF-8"');
  const headers: Record<string, string> = { 'WWW-Authenticate': challenges.join(', ') };
  if (c.req.header('hx-request') !== undefined) headers['HX-Redirect'] = '/login';
  const what = why === 'invalid' ? 'wrong or unknown credentials' : 'authentication required';
  const how = `send "Authorization: Bearer <token>"${auth.hasUsers ? ' or HTTP Basic credentials' : ''}, or log in at /login`;
  return jsonError(c, 401, `${what}: ${how}`, headers);
}

function forbid(c: Context, principal: Principal, role: Role): Response {
  return jsonError(c, 403, `"${principal.name}" lacks the "${role}" role needed for ${c.req.method} ${new URL(c.req.url).pathname}`);
}

/** Lets a request through only when it is authenticated with `role` (401 without credentials, 403 without the role). */
export function requireRole(auth: Authenticator, role: Role): MiddlewareHandler {
  return async (c, next) => {
    const outcome = await authenticate(auth, c);
    if ('refused' in outcome) return refuse(auth, c, outcome.refused);
    if (!hasRole(outcome.principal, role)) return forbid(c, outcome.principal, role);
    c.set('principal', outcome.principal);
    await next();
  };
}

/** The app-wide gate: every route gets the role roleFor names; open routes pass untouched. */
export function authGate(auth: Authenticator): MiddlewareHandler {
  const byRole = { read: requireRole(auth, 'read'), admin: requireRole(auth, 'admin'), ingest: requireRole(auth, 'ingest') };
  return async (c, next) => {
    const role = roleFor(c.req.method, c.req.path);
    if (role === null) return next();
    return byRole[role](c, next);
  };
}
