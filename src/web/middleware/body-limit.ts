// Request body limits with the API's JSON error, over hono/body-limit (which also bounds chunked uploads
// that send no Content-Length, by counting while it reads).
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { jsonError } from '../errors.ts';

/** 413 `{ error }` past `maxBytes`; `advice` tells the client what to do instead. */
export function jsonBodyLimit(maxBytes: number, advice: string): MiddlewareHandler {
  return bodyLimit({ maxSize: maxBytes, onError: (c) => jsonError(c, 413, `body larger than ${maxBytes} bytes; ${advice}`) });
}
