// Fuzz targets shared by the short CI runs (test/fuzz/*.test.ts) and the long ones (bench/fuzz.ts):
// hostile HTTP requests on every state-changing route, random config files, random bytes through the
// line splitter and every parser. Each returns what it saw; a failure throws with the counterexample.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { createApp } from '../../src/app.ts';
import { ConfigError } from '../../src/config/errors.ts';
import { loadConfig, parseConfig } from '../../src/config/load.ts';
import { BUILTIN_FORMATS } from '../../src/parse/index.ts';
import { LineSplitter } from '../../src/sources/line-splitter.ts';
import { LEVELS, type LogEntry } from '../../src/types.ts';
import { newParser, NOW } from '../parse/helpers.ts';
import { fakeContext } from '../web/fake-context.ts';

export interface FuzzReport {
  runs: number;
  ms: number;
  statuses: Record<string, number>;
}

const TOKEN = 'fuzz-token-0123456789';
const CONTENT_TYPES = [
  'text/plain', 'application/json', 'application/x-ndjson', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x',
  'multipart/form-data', 'text/plain; charset=utf-16', 'application/octet-stream', 'application/json; charset=latin1', '', ';;;', 'a/b/c',
];
/** Header values a client can really send (visible Latin-1 and spaces; no CR/LF, which fetch refuses). */
const headerValue = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 60 });
const body = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? ''),
  fc.record({ rule: fc.string(), duration: fc.oneof(fc.integer(), fc.string(), fc.double()), comment: fc.string(), key: fc.string() }).map((v) => JSON.stringify(v)),
  fc.dictionary(fc.constantFrom('rule', 'duration', 'comment', 'key', 'createdBy', 'token', 'user', 'password', 'next', 'x'), fc.string({ maxLength: 40 }))
    .map((d) => new URLSearchParams(d).toString()),
  fc.uint8Array({ maxLength: 300 }),
);
const request = fc.record({
  method: fc.constantFrom('POST', 'POST', 'POST', 'DELETE', 'PUT', 'PATCH', 'GET'),
  path: fc.oneof(
    fc.constantFrom('/api/ingest', '/api/silences', '/ui/silences', '/login', '/logout', '/api/silences/abc', '/ui/silences/abc'),
    fc.tuple(fc.constantFrom('/api/ingest?source=', '/api/silences/', '/api/logs?regex=1&q='), fc.string({ maxLength: 40 })).map(([p, s]) => p + encodeURIComponent(s)),
  ),
  contentType: fc.option(fc.oneof(fc.constantFrom(...CONTENT_TYPES), headerValue), { nil: undefined }),
  source: fc.option(headerValue, { nil: undefined }),
  authorization: fc.option(fc.oneof(fc.constant(`Bearer ${TOKEN}`), headerValue.map((v) => `Bearer ${v}`), headerValue.map((v) => `Basic ${v}`), headerValue), { nil: undefined }),
  origin: fc.option(fc.oneof(fc.constantFrom('http://127.0.0.1:3000', 'null', 'https://evil.example'), headerValue), { nil: undefined }),
  site: fc.option(fc.constantFrom('same-origin', 'same-site', 'cross-site', 'none', 'bogus'), { nil: undefined }),
  body,
});

const CLEAN = new Set([200, 201, 202, 204, 303, 400, 401, 403, 404, 405, 413, 415, 422, 429]);

/** Random requests against the app with and without auth: always a clean status, never a 500 or a throw. */
export async function fuzzHttp(runs: number, seed?: number): Promise<FuzzReport> {
  const statuses: Record<string, number> = {};
  const started = performance.now();
  for (const auth of [false, true]) {
    const ctx = fakeContext(auth ? { token: TOKEN, ingest: { rateLimit: false } } : { ingest: { rateLimit: false } });
    const web = createApp(ctx);
    try {
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          const headers = new Headers();
          if (r.contentType !== undefined) headers.set('Content-Type', r.contentType);
          if (r.source !== undefined) headers.set('X-Log-Source', r.source);
          if (r.authorization !== undefined) headers.set('Authorization', r.authorization);
          if (r.origin !== undefined) headers.set('Origin', r.origin);
          if (r.site !== undefined) headers.set('Sec-Fetch-Site', r.site);
          const res = await web.app.request(`http://127.0.0.1:3000${r.path}`, {
            method: r.method,
            headers,
            body: r.method === 'GET' ? undefined : (r.body as BodyInit),
          });
          await res.arrayBuffer();
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          if (!CLEAN.has(res.status)) throw new Error(`status ${res.status} for ${JSON.stringify({ ...r, body: String(r.body).slice(0, 80) })}`);
          const failed = ctx.logger.lines.find((l) => l.startsWith('error'));
          if (failed !== undefined) throw new Error(`the app logged an error: ${failed}`);
        }),
        { numRuns: runs, seed },
      );
    } finally {
      web.close();
    }
  }
  return { runs: runs * 2, ms: performance.now() - started, statuses };
}

const CONFIG_KEYS = ['host', 'port', 'stateDir', 'token', 'auth', 'tls', 'watch', 'files', 'ingest', 'buffer', 'parse', 'formats', 'rules', 'notifiers', 'stream'];
const configValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom('(a+)+$', '(?<=x)y', '(', 'scrypt$1$1$1$x$y', '0.0.0.0', '../../x', -1, 1e309 as number, '\u0000'),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('name', 'pattern', 'type', 'threshold', 'window', 'users', 'tokens', 'roles', 'token', 'url', 'cert', 'key', 'rateLimit', 'level', 'groupBy', 'where', 'x'), tie('value'), { maxKeys: 4 }),
  ),
})).value;
const configObject = fc.dictionary(fc.constantFrom(...CONFIG_KEYS, 'bogus'), configValue, { maxKeys: 6 });

/**
 * Random config objects and files: a valid config or a ConfigError (what main.ts turns into exit 2 and
 * one message), never any other exception (a stack trace for the user).
 */
export function fuzzConfig(runs: number, seed?: number): FuzzReport {
  const started = performance.now();
  const statuses: Record<string, number> = { valid: 0, refused: 0 };
  const dir = mkdtempSync(join(tmpdir(), 'lw-fuzz-config-'));
  const file = join(dir, 'logwatch.config.json');
  const check = (run: () => unknown) => {
    try {
      run();
      statuses.valid++;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      if (err.message.length === 0 || /\n\s+at /.test(err.message)) throw new Error(`unhelpful config error: ${err.message}`);
      statuses.refused++;
    }
  };
  fc.assert(
    fc.property(configObject, fc.oneof(fc.constant(null), fc.string({ unit: 'binary', maxLength: 200 }), fc.uint8Array({ maxLength: 200 })), (object, raw) => {
      check(() => parseConfig({ stateDir: dir, ...object }));
      writeFileSync(file, raw === null ? JSON.stringify(object) : raw);
      check(() => loadConfig({ argv: ['--config', file], env: {}, cwd: dir }));
    }),
    { numRuns: runs, seed },
  );
  return { runs: runs * 2, ms: performance.now() - started, statuses };
}

/** Random bytes in random chunks through the line splitter, then each parser (forced and detected). */
export function fuzzParsers(runs: number, seed?: number): FuzzReport {
  const started = performance.now();
  const statuses: Record<string, number> = { lines: 0, entries: 0 };
  const formats = [undefined, ...BUILTIN_FORMATS];
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 400 }), { maxLength: 8 }), fc.constantFrom(...formats), fc.integer({ min: 256, max: 4096 }), (chunks, format, max) => {
      const splitter = new LineSplitter(max);
      const lines: string[] = [];
      const ends: number[] = [];
      let base = 0;
      for (const chunk of chunks) {
        const buf = Buffer.from(chunk);
        splitter.push(buf, buf.length, base, lines, ends);
        base += buf.length;
      }
      splitter.flushPartial(base, lines, ends);
      const parser = newParser({ custom: { pattern: '^(?<level>[A-Z]+) (?<message>.*)$' } });
      const out: LogEntry[] = [];
      parser.push({ lines, receivedAt: NOW, format }, out);
      parser.flush(out);
      for (const entry of out) {
        if (!LEVELS.includes(entry.level) || typeof entry.message !== 'string' || !Number.isFinite(entry.time)) {
          throw new Error(`malformed entry from ${JSON.stringify(lines).slice(0, 200)}`);
        }
        JSON.stringify(entry.metadata);
      }
      statuses.lines += lines.length;
      statuses.entries += out.length;
    }),
    { numRuns: runs, seed },
  );
  return { runs, ms: performance.now() - started, statuses };
}
