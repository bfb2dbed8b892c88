// POST /v1/logs: OTLP/HTTP logs, protobuf or JSON, answered in the request's encoding as the OTLP
// specification asks: 200 with an ExportLogsServiceResponse (partial success when records were
// rejected), 400/413/415 with a google.rpc.Status, 429 and 503 with Retry-After (the SDKs retry those).
// Who may send is the app's auth gate (role `ingest`); the guard adds rate limits and the source prefix.
import { Hono, type Context } from 'hono';
import { DecodeError } from '../../sources/receivers/decode.ts';
import type { ReceiverInbox } from '../../sources/receivers/intake.ts';
import { tooFastMessage, UNGUARDED, type ReceiverGuard } from './guard.ts';
import { decodeOtlpJson, decodeOtlpProtobuf, otlpResponse, otlpStatus, type OtlpResult } from '../../sources/receivers/otlp-decode.ts';
import { decodedBody, mediaType, parseJson } from './body.ts';

export interface OtlpRoutesOptions {
  intake: ReceiverInbox;
  /** Rate limits and source prefix of the sender (default: none). */
  guard?: ReceiverGuard;
  maxBodyBytes: number;
  maxDecodedBytes: number;
  maxRecordBytes: number;
  onSpoolError?: (err: Error) => void;
}

export const OTLP_LOGS_PATH = '/v1/logs';

// google.rpc.Code values.
const INVALID_ARGUMENT = 3;
const UNAVAILABLE = 14;

type Encoding = 'json' | 'protobuf';

export function otlpRoutes(options: OtlpRoutesOptions): Hono {
  const app = new Hono();
  const { intake } = options;
  const guard = options.guard ?? UNGUARDED;
  intake.register('otlp');

  const answer = (c: Context, status: 200 | 400 | 413 | 415 | 429 | 503, body: Uint8Array | string, encoding: Encoding, headers: Record<string, string> = {}) =>
    c.body(body as string, status, { 'Content-Type': encoding === 'json' ? 'application/json' : 'application/x-protobuf', ...headers });

  app.post(OTLP_LOGS_PATH, async (c) => {
    const media = mediaType(c.req.header('content-type'));
    const encoding: Encoding | undefined = media === 'application/x-protobuf' ? 'protobuf' : media === 'application/json' ? 'json' : undefined;
    if (encoding === undefined) {
      intake.refuse('otlp', 'unsupported');
      return answer(c, 415, otlpStatus(INVALID_ARGUMENT, `unsupported content type "${media}": send application/x-protobuf or application/json`, 'json'), 'json');
    }
    if (intake.backedUp()) {
      intake.refuse('otlp', 'backed_up');
      return answer(c, 429, otlpStatus(UNAVAILABLE, 'ingestion is backed up; retry shortly', encoding), encoding, { 'Retry-After': '1' });
    }
    const wait = guard.request(c);
    if (wait > 0) {
      intake.refuse('otlp', 'rate_limited');
      return answer(c, 429, otlpStatus(UNAVAILABLE, tooFastMessage('request', wait), encoding), encoding, { 'Retry-After': String(wait) });
    }
    let result: OtlpResult;
    let bytes: number;
    try {
      const body = await decodedBody(c.req.raw, options.maxBodyBytes, options.maxDecodedBytes);
      bytes = body.byteLength;
      const decodeOptions = { maxRecordBytes: options.maxRecordBytes };
      result = encoding === 'protobuf' ? decodeOtlpProtobuf(body, decodeOptions) : decodeOtlpJson(parseJson(body), decodeOptions);
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      intake.refuse('otlp', err.reason);
      const status = err.reason === 'too_large' ? 413 : err.reason === 'unsupported' ? 415 : 400;
      return answer(c, status, otlpStatus(INVALID_ARGUMENT, err.message, encoding), encoding);
    }
    if (result.rejected > 0) intake.refuse('otlp', 'rejected', result.rejected);
    const linesWait = guard.lines(c, result.records.length);
    if (linesWait > 0) {
      intake.refuse('otlp', 'rate_limited');
      return answer(c, 429, otlpStatus(UNAVAILABLE, tooFastMessage('line', linesWait), encoding), encoding, { 'Retry-After': String(linesWait) });
    }
    try {
      await intake.accept('otlp', result.records, bytes, guard.sender(c));
    } catch (err) {
      options.onSpoolError?.(err as Error);
      const message = `could not store the records durably (${(err as Error).message}); nothing was accepted, retry later`;
      return answer(c, 503, otlpStatus(UNAVAILABLE, message, encoding), encoding, { 'Retry-After': '5' });
    }
    return answer(c, 200, otlpResponse(result, encoding), encoding);
  });
  return app;
}
