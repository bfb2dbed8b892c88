// What the HTTP receivers ask of their sender beyond the role (the app's auth gate gives `ingest`):
// the per-client rate limits of POST /api/ingest, and the token's source prefix, so a Loki or OTLP
// shipper is held to the same bounds as any other client (README "Security").
import type { Context } from 'hono';
import type { Sender } from '../../sources/receivers/intake.ts';
import { principalOf } from '../auth/middleware.ts';
import { clientKey } from '../ingest.ts';
import type { ClientRateLimiter } from '../middleware/rate-limit.ts';

export interface ReceiverGuard {
  /** Before the body is read: whole seconds to wait when the client is over its request rate, else 0. */
  request(c: Context): number;
  /** After decoding: the same for `n` records against the client's line rate. */
  lines(c: Context, n: number): number;
  /** What the intake must know of the sender (its token's sourcePrefix). */
  sender(c: Context): Sender;
}

export function receiverGuard(limiter: ClientRateLimiter | undefined): ReceiverGuard {
  return {
    request: (c) => limiter?.request(clientKey(c)) ?? 0,
    lines: (c, n) => (n === 0 ? 0 : (limiter?.lines(clientKey(c), n) ?? 0)),
    sender: (c) => {
      const prefix = principalOf(c).sourcePrefix;
      return prefix === undefined ? {} : { sourcePrefix: prefix };
    },
  };
}

/** No limits, no prefix: for tests that mount a receiver on its own. */
export const UNGUARDED: ReceiverGuard = { request: () => 0, lines: () => 0, sender: () => ({}) };

export function tooFastMessage(what: 'request' | 'line', seconds: number): string {
  return `${what} rate limit exceeded for this client; retry in ${seconds} s`;
}
