// The receivers as mounted in the app: behind the auth gate (role `ingest`, a token's sourcePrefix),
// the per-client rate limits and the source-name rule, feeding the pipeline, counted in /metrics next
// to the process_* metrics, and absent when turned off.
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type WebApp } from '../../../src/app.ts';
import { sourceNameProblem } from '../../../src/sources/source-name.ts';
import { fakeContext } from '../fake-context.ts';

let web: WebApp | undefined;
afterEach(() => web?.close());

const LOKI = JSON.stringify({ streams: [{ stream: { host: 'web-1', job: 'api' }, values: [['1796033702000000000', 'level=error msg="upstream timeout"']] }] });
const OTLP = JSON.stringify({ resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'billing' } }] }, scopeLogs: [{ logRecords: [{ severityNumber: 13, body: { stringValue: 'retrying' } }] }] }] });

function setup(config: Parameters<typeof fakeContext>[0] = {}) {
  const ctx = fakeContext(config);
  web = createApp(ctx);
  const post = (path: string, body: string, headers: Record<string, string> = {}) => web!.app.request(path, { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...headers } });
  return { ctx, post };
}

describe('receivers in the app', () => {
  it('take --token like /api/ingest, and feed the pipeline', async () => {
    const { ctx, post } = setup({ token: 's3cret' });
    for (const [path, body] of [['/loki/api/v1/push', LOKI], ['/v1/logs', OTLP]] as const) {
      const denied = await post(path, body);
      expect(denied.status).toBe(401);
      expect(denied.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await post(path, body, { Authorization: 'Bearer nope!' })).status).toBe(401);
    }
    expect(ctx.spool.accepted).toEqual([]);
    expect((await post('/loki/api/v1/push', LOKI, { Authorization: 'Bearer s3cret' })).status).toBe(204);
    expect((await post('/v1/logs', OTLP, { Authorization: 'Bearer s3cret' })).status).toBe(200);
    const stored = ctx.entries.all();
    expect(stored.map((e) => [e.source, e.level, e.message])).toEqual([
      ['web-1:api', 'ERROR', 'upstream timeout'],
      ['otlp:billing', 'WARNING', 'retrying'],
    ]);
    // The host filter of the API, the stream and the dashboard picks one sending host.
    // Reading needs the token too (issue 12).
    const read = { headers: { Authorization: 'Bearer s3cret' } };
    const byHost = await (await web!.app.request('/api/logs?host=web-1', read)).json();
    expect(byHost.map((e: { message: string }) => e.message)).toEqual(['upstream timeout']);
    const page = await (await web!.app.request('/?host=web-1', read)).text();
    expect(page).toContain('name="host" id="filter-host" value="web-1"');
  });

  it('count received and refused records per receiver in /metrics, with the process_* metrics', async () => {
    const { post } = setup();
    await post('/loki/api/v1/push', LOKI);
    await post('/loki/api/v1/push', '{"streams":5}');
    await post('/v1/logs', OTLP, { 'Content-Type': 'text/plain' });
    const text = await (await web!.app.request('/metrics')).text();
    expect(text).toContain('logwatch_receiver_records_total{receiver="loki"} 1\n');
    expect(text).toContain('logwatch_receiver_records_total{receiver="otlp"} 0\n');
    expect(text).toContain('logwatch_receiver_refused_total{receiver="loki",reason="malformed"} 1\n');
    expect(text).toContain('logwatch_receiver_refused_total{receiver="otlp",reason="unsupported"} 1\n');
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'process_start_time_seconds', 'process_open_fds', 'process_max_fds']) {
      expect(text).toMatch(new RegExp(`^# TYPE ${name} (counter|gauge)\\n${name} \\d+(\\.\\d+)?$`, 'm'));
    }
  });

  it('are not mounted when turned off', async () => {
    const { post } = setup({ receivers: { loki: false, otlp: false } });
    expect((await post('/loki/api/v1/push', LOKI)).status).toBe(404);
    expect((await post('/v1/logs', OTLP)).status).toBe(404);
  });
});

const INGEST = 'ingest-token-web-1-0001';
const READER = 'read-token-000000000001';
const ADMIN = 'admin-token-00000000001';
const AUTH = {
  tokens: [
    { name: 'web-1', token: INGEST, roles: ['ingest' as const], sourcePrefix: 'web-1:' },
    { name: 'reader', token: READER, roles: ['read' as const] },
    { name: 'admin', token: ADMIN, roles: ['admin' as const] },
  ],
};
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const lokiStreams = (...streams: Array<[Record<string, string>, string]>) =>
  JSON.stringify({ streams: streams.map(([stream, line], i) => ({ stream, values: [[String(1796033702000000000n + BigInt(i)), line]] })) });
const otlpFrom = (host: string, service: string, body: string) =>
  JSON.stringify({ resourceLogs: [{ resource: { attributes: [{ key: 'host.name', value: { stringValue: host } }, { key: 'service.name', value: { stringValue: service } }] }, scopeLogs: [{ logRecords: [{ body: { stringValue: body } }] }] }] });

describe('receivers under issue 12 auth', () => {
  it('need the ingest role: read and admin tokens get 403, nothing is spooled', async () => {
    const { ctx, post } = setup({ auth: AUTH });
    for (const [path, body] of [['/loki/api/v1/push', LOKI], ['/v1/logs', OTLP]] as const) {
      expect((await post(path, body)).status).toBe(401);
      for (const token of [READER, ADMIN]) {
        const res = await post(path, body, bearer(token));
        expect(res.status, `${path} ${token}`).toBe(403);
        expect((await res.json()).error).toMatch(/"ingest" role/);
      }
    }
    expect(ctx.spool.accepted).toEqual([]);
    expect((await post('/loki/api/v1/push', LOKI, bearer(INGEST))).status).toBe(204);
    expect((await post('/v1/logs', otlpFrom('web-1', 'billing', 'retrying'), bearer(INGEST))).status).toBe(200);
    expect(ctx.entries.all().map((e) => e.source)).toEqual(['web-1:api', 'web-1:billing']);
  });

  it("put a token's sourcePrefix in front of any name outside it: one host cannot write as another, and its lines are kept", async () => {
    const { ctx, post } = setup({ auth: AUTH });
    const loki = lokiStreams([{ host: 'web-1', job: 'api' }, 'mine'], [{ host: 'web-2', job: 'api' }, 'posing as web-2'], [{ job: 'nohost' }, 'no host label']);
    expect((await post('/loki/api/v1/push', loki, bearer(INGEST))).status).toBe(204);
    expect((await post('/v1/logs', otlpFrom('db-1', 'pg', 'posing as db-1'), bearer(INGEST))).status).toBe(200);
    expect(ctx.entries.all().map((e) => [e.source, e.message])).toEqual([
      ['web-1:api', 'mine'],
      ['web-1:web-2:api', 'posing as web-2'],
      ['web-1:loki:nohost', 'no host label'],
      ['web-1:db-1:pg', 'posing as db-1'],
    ]);
    // --token has no prefix: names stay as sent.
    const open = setup({ token: 's3cret' });
    expect((await open.post('/loki/api/v1/push', loki, bearer('s3cret'))).status).toBe(204);
    expect(open.ctx.entries.all().map((e) => e.source)).toEqual(['web-1:api', 'web-2:api', 'loki:nohost']);
  });

  it('sanitise names derived from hostile labels instead of refusing the batch', async () => {
    const { ctx, post } = setup();
    const loki = lokiStreams([{ host: '../../etc', job: 'x\u202eevil' }, 'dots and bidi'], [{ host: 'h'.repeat(200), job: '日本'.repeat(60) }, 'long'], [{ host: 'ok', job: 'api' }, 'good']);
    expect((await post('/loki/api/v1/push', loki)).status).toBe(204);
    const sources = ctx.entries.all().map((e) => e.source);
    expect(sources).toHaveLength(3);
    for (const source of sources) expect(sourceNameProblem(source), source).toBeNull();
    expect(sources[0]).toBe('__/__/etc:x_evil');
    expect(sources[2]).toBe('ok:api');
  });

  it('share the per-client rate limits of /api/ingest: 429 with Retry-After, counted in /metrics', async () => {
    const { ctx, post } = setup({ ingest: { rateLimit: { requestsPerSecond: 1, requestBurst: 2, linesPerSecond: 1, lineBurst: 3 } } });
    const five = lokiStreams(...Array.from({ length: 5 }, (_, i) => [{ host: 'h', job: 'j' }, `line ${i}`] as [Record<string, string>, string]));
    // Any line credit left lets one batch through (then it is owed); the next waits.
    expect((await post('/loki/api/v1/push', five)).status).toBe(204);
    const lines = await post('/v1/logs', OTLP);
    expect(lines.status).toBe(429);
    expect(Number(lines.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // The request bucket (burst 2) is now empty too: refused before the body is read.
    const requests = await post('/loki/api/v1/push', five);
    expect(requests.status).toBe(429);
    expect((await requests.json()).error).toMatch(/request rate limit/);
    expect(ctx.entries.all()).toHaveLength(5);
    const text = await (await web!.app.request('/metrics')).text();
    expect(text).toContain('logwatch_receiver_refused_total{receiver="loki",reason="rate_limited"} 1\n');
    expect(text).toContain('logwatch_receiver_refused_total{receiver="otlp",reason="rate_limited"} 1\n');
    expect(text).toContain('logwatch_ingest_rate_limited_total{unit="requests"} 1\n');
    expect(text).toContain('logwatch_ingest_rate_limited_total{unit="lines"} 1\n');
  });
});
