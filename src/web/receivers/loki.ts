// POST /loki/api/v1/push: the Loki push API, so Promtail, Grafana Alloy, Vector's loki sink,
// winston-loki and LogWatch's own agent and Loki sink can ship here unchanged. Answers as Loki does:
// 204 once the records are spooled; 400 with the reason (those clients do not retry it); 413; 429
// and 503 with Retry-After (they retry those). Who may push is the app's auth gate (role `ingest`); the
// guard applies the client's rate limits and its token's source prefix.
import { Hono, type Context } from 'hono';
import { DecodeError } from '../../sources/receivers/decode.ts';
import type { ReceiverInbox } from '../../sources/receivers/intake.ts';
import { decodeLokiJson, decodeLokiProtobuf } from '../../sources/receivers/loki-decode.ts';
import type { ReceivedRecord } from '../../sources/receivers/types.ts';
import { jsonError } from '../errors.ts';
import { decodedBody, mediaType, parseJson } from './body.ts';
import { tooFastMessage, UNGUARDED, type ReceiverGuard } from './guard.ts';

export interface LokiRoutesOptions {
  intake: ReceiverInbox;
  /** Largest body as sent. */
  maxBodyBytes: number;
  /** Largest body after gzip or snappy. */
  maxDecodedBytes: number;
  onSpoolError?: (err: Error) => void;
  /** Rate limits and source prefix of the sender (default: none). */
  guard?: ReceiverGuard;
}

export const LOKI_PUSH_PATH = '/loki/api/v1/push';

export function lokiRoutes(options: LokiRoutesOptions): Hono {
  const app = new Hono();
  const { intake } = options;
  const guard = options.guard ?? UNGUARDED;
  intake.register('loki');
  app.post(LOKI_PUSH_PATH, async (c) => {
    const media = mediaType(c.req.header('content-type'));
    if (media !== 'application/json' && media !== 'application/x-protobuf' && media !== '') {
      return refuse(c, 415, 'unsupported', `unsupported content type "${media}": send application/json or application/x-protobuf (snappy compressed)`);
    }
    if (intake.backedUp()) return refuse(c, 429, 'backed_up', 'ingestion is backed up; retry shortly', { 'Retry-After': '1' });
    const wait = guard.request(c);
    if (wait > 0) return refuse(c, 429, 'rate_limited', tooFastMessage('request', wait), { 'Retry-After': String(wait) });
    let records: ReceivedRecord[];
    let bytes: number;
    try {
      const body = await decodedBody(c.req.raw, options.maxBodyBytes, options.maxDecodedBytes);
      bytes = body.byteLength;
      if (media === 'application/x-protobuf') records = decodeLokiProtobuf(body, options.maxDecodedBytes);
      else records = decodeLokiJson(parseJson(body));
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      const status = err.reason === 'too_large' ? 413 : err.reason === 'unsupported' ? 415 : 400;
      return refuse(c, status, err.reason, err.message);
    }
    const linesWait = guard.lines(c, records.length);
    if (linesWait > 0) return refuse(c, 429, 'rate_limited', tooFastMessage('line', linesWait), { 'Retry-After': String(linesWait) });
    try {
      await intake.accept('loki', records, bytes, guard.sender(c));
    } catch (err) {
      options.onSpoolError?.(err as Error);
      return jsonError(c, 503, `could not store the lines durably (${(err as Error).message}); nothing was accepted, retry later`, { 'Retry-After': '5' });
    }
    return c.body(null, 204);
  });

  function refuse(c: Context, status: 400 | 413 | 415 | 429, reason: 'malformed' | 'too_large' | 'unsupported' | 'backed_up' | 'rate_limited', message: string, headers?: Record<string, string>): Response {
    intake.refuse('loki', reason);
    return jsonError(c, status, message, headers);
  }
  return app;
}
