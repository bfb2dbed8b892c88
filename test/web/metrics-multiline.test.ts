// /metrics shows how many lines were joined to the entry above them, per source, so that a wrong
// join (a record hidden inside another entry) is visible (issue 11).
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type WebApp } from '../../src/app.ts';
import { fakeContext } from './fake-context.ts';

let web: WebApp | undefined;
afterEach(() => web?.close());

describe('GET /metrics', () => {
  it('counts joined continuation lines and split entries per source (logwatch_multiline_joined_total, _split_total)', async () => {
    const ctx = fakeContext();
    web = createApp(ctx);
    const receivedAt = Date.now();
    ctx.pipeline.write({
      source: 'app.py.log',
      lines: ['2026-11-30 10:15:02,123 - app - ERROR - failed', 'Traceback (most recent call last):', '  File "a.py", line 1, in <module>', 'KeyError: x'],
      receivedAt,
    });
    ctx.pipeline.write({
      source: 'health.log',
      lines: ['20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579', '20171223-22:16:0:119|Step_LSC|30002312|onStandStepChanged 3580'],
      receivedAt,
    });
    // The writer stalled past the hold: the entry went out, then the rest of its trace came.
    ctx.pipeline.flush('app.py.log');
    ctx.pipeline.write({ source: 'app.py.log', lines: ['  File "b.py", line 2, in <module>'], receivedAt });
    const text = await (await web.app.request('/metrics')).text();
    expect(text).toContain('# TYPE logwatch_multiline_joined_total counter');
    expect(text).toMatch(/^logwatch_multiline_joined_total\{source="app\.py\.log"\} 3$/m);
    expect(text).toMatch(/^logwatch_multiline_joined_total\{source="health\.log"\} 0$/m);
    expect(text).toContain('# TYPE logwatch_multiline_split_total counter');
    expect(text).toMatch(/^logwatch_multiline_split_total\{source="app\.py\.log"\} 1$/m);
    expect(text).toMatch(/^logwatch_multiline_split_total\{source="health\.log"\} 0$/m);
    ctx.pipeline.close();
  });

  it('counts entries cut at the multi-line cap (logwatch_multiline_cut_total), and says the cap', async () => {
    const ctx = fakeContext();
    web = createApp(ctx);
    const receivedAt = Date.now();
    // One record and 1500 indented lines: the entry is finished at 1000 lines, the rest starts the next.
    const trace = ['2026-11-30 10:15:02,123 - app - ERROR - failed', 'Traceback (most recent call last):', ...Array.from({ length: 1500 }, (_, i) => `  File "f${i}.py", line 1, in <module>`)];
    ctx.pipeline.write({ source: 'flood.log', lines: trace, receivedAt });
    ctx.pipeline.write({ source: 'calm.log', lines: ['2026-11-30 10:15:02,123 - app - INFO - fine'], receivedAt });
    ctx.pipeline.flush('flood.log');
    const text = await (await web.app.request('/metrics')).text();
    expect(text).toContain('# TYPE logwatch_multiline_cut_total counter');
    expect(text).toMatch(/^# HELP logwatch_multiline_cut_total .*1000 lines or 1 MiB/m);
    expect(text).toMatch(/^logwatch_multiline_cut_total\{source="flood\.log"\} 1$/m);
    expect(text).toMatch(/^logwatch_multiline_cut_total\{source="calm\.log"\} 0$/m);
    ctx.pipeline.close();
  });
});
