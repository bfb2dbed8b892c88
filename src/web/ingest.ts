// POST /api/ingest: lines over HTTP (DESIGN.md §3 "Ingestion").
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { IngestPart } from '../sources/index.ts';
import { sourceNameProblem } from '../sources/source-name.ts';
import type { IngestSink } from './context.ts';
import { jsonError } from './errors.ts';
import { principalOf } from './auth/middleware.ts';
import { maySource, OPEN } from './auth/principal.ts';
import { clientAddress, type ClientRateLimiter } from './middleware/rate-limit.ts';
import { jsonBodyLimit } from './middleware/body-limit.ts';

export interface IngestOptions {
  spool: IngestSink;
  maxBodyBytes: number;
  /** Bytes accepted but not yet durable beyond which new requests get 429. */
  maxPendingBytes?: number;
  onSpoolError?: (err: Error) => void;
  /** Per-client request and line rates (none: unlimited). */
  limiter?: ClientRateLimiter;
  /** Called for each request refused because the spool is backed up. */
  onBackedUp?: () => void;
}

/** Whom a rate limit counts against: the token or user, or the address when there is no auth. */
export function clientKey(c: Context): string {
  const principal = principalOf(c);
  return principal === OPEN ? `addr:${clientAddress(c)}` : `principal:${principal.name}`;
}

function tooFast(c: Context, what: string, seconds: number): Response {
  return jsonError(c, 429, `${what} rate limit exceeded for this client; retry in ${seconds} s`, { 'Retry-After': String(seconds) });
}

type BodyKind = 'text' | 'ndjson' | 'json';

const MEDIA_TYPES: Record<string, BodyKind> = {
  'text/plain': 'text',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
  'application/x-jsonlines': 'ndjson',
  'application/json': 'json',
};


/** A request the client must fix: the status and message of its JSON error. */
class IngestError extends Error {
  constructor(
    readonly status: 400 | 403 | 415,
    message: string,
  ) {
    super(message);
  }
}

export function ingestRoutes(options: IngestOptions): Hono {
  const app = new Hono();
  const maxPending = options.maxPendingBytes ?? Math.max(64 * 1024 * 1024, options.maxBodyBytes * 8);
  let pendingBytes = 0;
  // Refused before the body is read: a client without the token, or while the spool is backed up,
  // costs no more than its headers.
  const backPressure: MiddlewareHandler = async (c, next) => {
    if (pendingBytes > maxPending) options.onBackedUp?.();
    if (pendingBytes > maxPending) return jsonError(c, 429, 'ingestion is backed up; retry shortly', { 'Retry-After': '1' });
    const wait = options.limiter?.request(clientKey(c)) ?? 0;
    if (wait > 0) return tooFast(c, 'request', wait);
    await next();
  };

  // Who may post is the app's auth gate ('ingest' role); which sources they may write is checked here.
  app.post('/api/ingest', backPressure, jsonBodyLimit(options.maxBodyBytes, 'split it into several requests'), async (c) => {
    try {
      const source = sourceOf(c);
      const principal = principalOf(c);
      if (!maySource(principal, source)) {
        throw new IngestError(403, `"${principal.name}" may only write sources starting with "${principal.sourcePrefix}", not "${source}"`);
      }
      const kind = bodyKind(c.req.header('content-type'));
      const body = new Uint8Array(await c.req.arrayBuffer());
      const parts = partsOf(kind, new TextDecoder().decode(body), source);
      const accepted = parts.reduce((n, part) => n + part.lines.length, 0);
      const wait = options.limiter?.lines(clientKey(c), accepted) ?? 0;
      if (wait > 0) return tooFast(c, 'line', wait);
      pendingBytes += body.byteLength;
      try {
        await options.spool.accept(parts);
      } catch (err) {
        // Not durable, so not accepted: the client may retry the whole request.
        options.onSpoolError?.(err as Error);
        return jsonError(c, 503, `could not store the lines durably (${(err as Error).message}); nothing was accepted, retry later`, { 'Retry-After': '5' });
      } finally {
        pendingBytes -= body.byteLength;
      }
      return c.json({ accepted }, 202);
    } catch (err) {
      if (err instanceof IngestError) return jsonError(c, err.status, err.message);
      throw err;
    }
  });
  return app;
}

function sourceOf(c: Context): string {
  const raw = c.req.query('source') ?? c.req.header('x-log-source') ?? 'http';
  const problem = sourceNameProblem(raw);
  if (problem !== null) throw new IngestError(400, problem);
  return raw;
}

function bodyKind(contentType: string | undefined): BodyKind {
  if (contentType === undefined || contentType.trim() === '') return 'text';
  const media = contentType.split(';')[0].trim().toLowerCase();
  const kind = MEDIA_TYPES[media];
  if (kind === undefined) {
    throw new IngestError(
      415,
      `unsupported content type "${media}": send text/plain (one line per line), application/x-ndjson or application/json`,
    );
  }
  return kind;
}

/** Lines of a body, without terminators; a final newline does not make an extra empty line. */
function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.charCodeAt(line.length - 1) === 13) lines[i] = line.slice(0, -1);
  }
  return lines;
}

/** Turns a body into runs of lines; any malformed part rejects the whole request. */
function partsOf(kind: BodyKind, text: string, source: string): IngestPart[] {
  if (text.length === 0) throw new IngestError(400, 'the body is empty: send at least one log line');
  const runs = new RunBuilder(source);
  if (kind === 'text') {
    runs.add(splitLines(text), undefined);
  } else if (kind === 'ndjson') {
    splitLines(text).forEach((line, i) => {
      if (line.trim() === '') return;
      const value = parseJson(line, `line ${i + 1}`);
      if (typeof value === 'string') runs.add([value], undefined);
      else if (isPlainObject(value)) runs.add([line], 'json');
      else throw new IngestError(400, `line ${i + 1}: expected a JSON object (or string), got ${describe(value)}`);
    });
  } else {
    const value = parseJson(text, 'body');
    const items = Array.isArray(value) ? value : [value];
    if (!Array.isArray(value) && !isPlainObject(value)) {
      throw new IngestError(400, `body: expected a JSON object or an array of objects or strings, got ${describe(value)}`);
    }
    items.forEach((item, i) => {
      if (typeof item === 'string') runs.add([item], undefined);
      else if (isPlainObject(item)) runs.add([JSON.stringify(item)], 'json');
      else throw new IngestError(400, `element [${i}]: expected a JSON object or string, got ${describe(item)}`);
    });
  }
  const parts = runs.parts();
  if (parts.length === 0) throw new IngestError(400, 'the body holds no log line');
  return parts;
}

/** Groups consecutive lines that take the same parser into one part. */
class RunBuilder {
  private readonly out: IngestPart[] = [];
  constructor(private readonly source: string) {}

  add(lines: string[], format: string | undefined): void {
    const last = this.out[this.out.length - 1];
    if (last !== undefined && last.format === format) {
      for (const line of lines) last.lines.push(line);
    } else {
      this.out.push(format === undefined ? { source: this.source, lines: [...lines] } : { source: this.source, lines: [...lines], format });
    }
  }

  parts(): IngestPart[] {
    return this.out.filter((part) => part.lines.length > 0);
  }
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new IngestError(400, `${where}: invalid JSON: ${(err as Error).message}`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
