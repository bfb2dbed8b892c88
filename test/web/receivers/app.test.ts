// The receivers as mounted in the app: behind the ingest token, feeding the pipeline, counted in
// /metrics next to the process_* metrics, and absent when turned off.
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type WebApp } from '../../../src/app.ts';
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
  it('take the ingest token like /api/ingest, and feed the pipeline', async () => {
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
    const byHost = await (await web!.app.request('/api/logs?host=web-1')).json();
    expect(byHost.map((e: { message: string }) => e.message)).toEqual(['upstream timeout']);
    const page = await (await web!.app.request('/?host=web-1')).text();
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
