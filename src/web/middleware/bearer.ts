// Bearer-token check for the routes a token guards (ingest today).
import { Buffer } from 'node:buffer';
import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { jsonError } from '../errors.ts';

/**
 * With a token, requests without exactly `Authorization: Bearer <token>` get 401 with
 * `WWW-Authenticate: Bearer` (RFC 6750) and a JSON error saying what to send; without one, all pass.
 * The comparison is constant-time so the token cannot be guessed byte by byte from response times.
 * (hono/bearer-auth answers a malformed header with 400 and plain text; clients here expect 401 JSON.)
 */
export function bearerToken(token: string | undefined): MiddlewareHandler {
  const expected = token === undefined ? undefined : Buffer.from(`Bearer ${token}`);
  return async (c, next) => {
    if (expected !== undefined) {
      const given = Buffer.from(c.req.header('authorization') ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return jsonError(c, 401, 'missing or wrong token: send "Authorization: Bearer <token>"', { 'WWW-Authenticate': 'Bearer realm="logwatch"' });
      }
    }
    await next();
  };
}
