// Short fuzz runs for CI; `node_modules/.bin/bun bench/fuzz.ts --count N` runs the same targets longer.
import { describe, expect, it } from 'vitest';
import { fuzzConfig, fuzzHttp, fuzzParsers } from './targets.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

describe('fuzzing', () => {
  it('random bodies, content types and headers on ingest, silences and login: a clean status every time', async () => {
    const report = await fuzzHttp(RUNS);
    expect(report.statuses['500']).toBeUndefined();
    // The generators reach both acceptance and refusal, so the property is not vacuous.
    expect(Object.keys(report.statuses).some((s) => s.startsWith('2'))).toBe(true);
    expect(Object.keys(report.statuses).some((s) => s.startsWith('4'))).toBe(true);
  }, 120_000);

  it('random config objects and files: valid, or a ConfigError with a message (exit 2), never another exception', () => {
    const report = fuzzConfig(RUNS * 2);
    expect(report.statuses.refused).toBeGreaterThan(0);
    expect(report.statuses.valid).toBeGreaterThan(0);
  }, 120_000);

  it('random bytes through the line splitter and every parser: well-formed entries, never a throw', () => {
    const report = fuzzParsers(RUNS * 2);
    expect(report.statuses.entries).toBeGreaterThan(0);
  }, 120_000);
});

describe('found by fuzzing', () => {
  it('a multipart silence form without its final boundary is a 400, not a 500', async () => {
    const { createApp } = await import('../../src/app.ts');
    const { fakeContext } = await import('../web/fake-context.ts');
    const ctx = fakeContext();
    const web = createApp(ctx);
    try {
      for (const path of ['/ui/silences', '/api/silences']) {
        const res = await web.app.request(path, { method: 'POST', body: '--x\r\nContent-Disposition: form-data; name="rule"\r\n\r\n*', headers: { 'Content-Type': 'multipart/form-data; boundary=x' } });
        expect(res.status, path).toBe(400);
      }
      expect(ctx.logger.lines.filter((l) => l.startsWith('error'))).toEqual([]);
    } finally {
      web.close();
    }
  });
});
