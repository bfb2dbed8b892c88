// Plain lines POSTed to /api/ingest (JSON array strings, text/plain) take their level from a level
// word near their start when no format reads them (issue 11).
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type WebApp } from '../../src/app.ts';
import { fakeContext } from './fake-context.ts';

let web: WebApp | undefined;
afterEach(() => web?.close());

describe('POST /api/ingest, plain lines', () => {
  it('gives JSON array strings and text/plain lines the level of a leading keyword, UNKNOWN without one', async () => {
    const ctx = fakeContext();
    web = createApp(ctx);
    const post = (source: string, body: string, type: string) =>
      web!.app.request(`/api/ingest?source=${source}`, { method: 'POST', body, headers: { 'Content-Type': type } });
    expect((await post('api', JSON.stringify(['job-42 ERROR payment gateway timeout', { level: 'info', message: 'ok' }, 'no errors found']), 'application/json')).status).toBe(202);
    expect((await post('text', '[WARN] disk 91% full\nerrorHandler registered\n', 'text/plain')).status).toBe(202);
    ctx.pipeline.close();
    const got = ctx.pipeline.store.all().map((e) => [e.source, e.level, e.metadata.level_source ?? null, e.message]);
    expect(got).toEqual([
      ['api', 'ERROR', 'keyword', 'job-42 ERROR payment gateway timeout'],
      ['api', 'INFO', null, 'ok'],
      ['api', 'UNKNOWN', null, 'no errors found'],
      ['text', 'WARNING', null, 'disk 91% full'],
      ['text', 'UNKNOWN', null, 'errorHandler registered'],
    ]);
  });
});
