// Same-origin check for every state-changing request (CSRF), applied once for the whole app.
import type { Context, MiddlewareHandler } from 'hono';
import { jsonError } from '../errors.ts';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Whether another site's page made the browser send this request: browsers mark those with
 * Sec-Fetch-Site or an Origin that is not this host. curl and scripts send neither and are let through,
 * so `curl -X POST` keeps working while a hostile page cannot silence alerts or inject lines.
 */
export function isCrossSite(c: Context): boolean {
  // Sec-Fetch-Site is set by the browser alone (a page cannot forge it), so where it is sent it decides.
  // Origin is only the fallback: with Referrer-Policy no-referrer (ours), a same-origin *form* post
  // carries `Origin: null`, which would otherwise refuse LogWatch's own login form.
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  const origin = c.req.header('origin');
  if (origin === undefined || origin === 'null') return origin === 'null';
  try {
    return new URL(origin).host !== new URL(c.req.url).host;
  } catch {
    return true;
  }
}

/** Refuses cross-site POST, PUT, PATCH and DELETE with a 403 JSON error; reads pass untouched. */
export function sameOrigin(): MiddlewareHandler {
  return async (c, next) => {
    if (STATE_CHANGING.has(c.req.method) && isCrossSite(c)) {
      return jsonError(c, 403, `cross-site request refused: ${c.req.method} ${new URL(c.req.url).pathname} only accepts requests from LogWatch's own pages or from clients that send no Origin`);
    }
    await next();
  };
}
