import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HubEvent } from '../src/hub.ts';
import { parseConfig } from '../src/config/load.ts';
import { createMemoryLogger } from '../src/logger.ts';
import { Pipeline } from '../src/pipeline.ts';
import type { LineBatch, LogEntry } from '../src/types.ts';

const pipelines: Pipeline[] = [];
afterEach(() => {
  for (const p of pipelines.splice(0)) p.close();
});

function pipeline(config: Record<string, unknown> = {}): Pipeline {
  const p = new Pipeline({ config: parseConfig({ notifiers: {}, stateDir: mkdtempSync(join(tmpdir(), 'lw-pipeline-')), ...config }), logger: createMemoryLogger(), clock: Date.now });
  pipelines.push(p);
  return p;
}

/** A batch whose commit calls are recorded as `name:held`. */
function batch(name: string, lines: string[], calls: string[], extra: Partial<LineBatch> = {}): LineBatch {
  return { source: 'app.log', lines, receivedAt: Date.now(), onCommit: (held) => calls.push(`${name}:${held}`), ...extra };
}

const start = (n: number) => `2026-11-30 10:15:0${n},123 - app - ERROR - failure ${n}`;

describe('Pipeline: durability hooks around held multi-line entries', () => {
  it('commits everything before the held entry, and the batches it spans once it is emitted', () => {
    const p = pipeline();
    const calls: string[] = [];
    p.write(batch('A', [start(1), start(2)], calls));
    // The second entry may still get continuation lines: one line of A is held.
    expect(calls).toEqual(['A:1']);
    p.write(batch('B', ['Traceback (most recent call last):', '  File "x.py", line 1, in <module>'], calls));
    // B continues the held entry entirely: B commits nothing, A stays where it was.
    expect(calls).toEqual(['A:1', 'B:2']);
    p.write(batch('C', ['ValueError: boom', start(3)], calls));
    // The entry that spanned A and B ended inside C: A and B commit fully, C up to its held last line.
    expect(calls).toEqual(['A:1', 'B:2', 'A:0', 'B:0', 'C:1']);
    expect(p.store.all().map((e) => e.message.split('\n')[0])).toEqual(['failure 1', 'failure 2']);
    expect(p.store.all()[1].raw.split('\n')).toHaveLength(4);
    p.flush('app.log');
    expect(calls).toEqual(['A:1', 'B:2', 'A:0', 'B:0', 'C:1', 'C:0']);
    expect(p.store.size).toBe(3);
  });

  it('a held history entry stays history when the idle flush emits it: it fires no alert', () => {
    const p = pipeline({ rules: [{ name: 'any error', level: 'ERROR' }] });
    p.write(batch('H', [start(1)], [], { backfill: true }));
    p.flush('app.log');
    expect(p.store.size).toBe(1);
    expect(p.alerts.recent(10)).toEqual([]);
    p.write(batch('L', [start(2)], []));
    p.flush('app.log');
    expect(p.alerts.recent(10).map((a) => a.rule)).toEqual(['any error']);
  });

  it('a held history entry stays history when a live batch ends it: no alert, announced as backfill', () => {
    const p = pipeline({ rules: [{ name: 'any error', level: 'ERROR' }] });
    const events: HubEvent[] = [];
    p.hub.subscribe((event) => events.push(event));
    p.write(batch('H', [start(1)], [], { backfill: true }));
    // A live line arrives before the idle flush: it ends the held history entry and starts its own.
    p.write(batch('L', [start(2)], []));
    p.flush('app.log');
    expect(p.store.all().map((e) => e.message)).toEqual(['failure 1', 'failure 2']);
    expect(p.alerts.recent(10).map((a) => a.logs.map((e) => e.message))).toEqual([['failure 2']]);
    const logs = events.filter((e) => e.type === 'logs');
    expect(logs.map((e) => [e.entries.map((x) => x.message), e.backfill === true])).toEqual([
      [['failure 1'], true],
      [['failure 2'], false],
    ]);
  });

  it('emits a held entry after parse.multilineTimeoutMs of quiet, not before', () => {
    vi.useFakeTimers();
    try {
      const p = pipeline({ parse: { multilineTimeoutMs: 50 } });
      const calls: string[] = [];
      p.write(batch('A', [start(1)], calls));
      vi.advanceTimersByTime(49);
      expect(p.store.size).toBe(0);
      vi.advanceTimersByTime(1);
      expect(p.store.size).toBe(1);
      expect(calls).toEqual(['A:1', 'A:0']);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('Pipeline.emit: the one fan-out', () => {
  const entry = (message: string, level: LogEntry['level'] = 'ERROR'): LogEntry => ({
    id: 0, time: Date.now(), level, message, source: 'app.log', format: 'test', metadata: {}, raw: message, receivedAt: Date.now(),
  });

  it('stores, counts, mines and announces the entries, then evaluates the rules and returns the alerts', () => {
    const p = pipeline({ rules: [{ name: 'any error', level: 'ERROR' }] });
    const events: HubEvent[] = [];
    p.hub.subscribe((e) => events.push(e));
    const alerts = p.emit([entry('disk full on /var'), entry('ok', 'INFO')], { backfill: false });
    expect(p.store.all().map((e) => [e.id, e.message])).toEqual([[1, 'disk full on /var'], [2, 'ok']]);
    expect(p.stats.totalLogs).toBe(2);
    expect(p.store.all().every((e) => typeof e.pattern === 'string')).toBe(true);
    expect(p.analyzer.patterns().map((x) => x.template).sort()).toEqual(['disk full on <*>', 'ok']);
    expect(alerts.map((a) => a.rule)).toEqual(['any error']);
    expect(events.map((e) => e.type)).toEqual(['logs', 'alert']);
    expect(p.alerts.recent(10)).toHaveLength(1);
  });

  it('with backfill stores and counts but fires nothing (a restart must not page anyone again)', () => {
    const p = pipeline({ rules: [{ name: 'any error', level: 'ERROR' }] });
    const events: HubEvent[] = [];
    p.hub.subscribe((e) => events.push(e));
    expect(p.emit([entry('old failure')], { backfill: true })).toEqual([]);
    expect(p.store.size).toBe(1);
    expect(p.stats.totalLogs).toBe(1);
    expect(events.map((e) => e.type)).toEqual(['logs']);
    expect(p.alerts.recent(10)).toEqual([]);
  });

  it('writes live entries to history, not backfill; a held backfill entry emitted by the next live batch stays backfill', () => {
    const appended: string[] = [];
    const p = new Pipeline({
      config: parseConfig({ notifiers: {}, stateDir: mkdtempSync(join(tmpdir(), 'lw-pipeline-')), rules: [{ name: 'any error', level: 'ERROR' }] }),
      logger: createMemoryLogger(),
      clock: Date.now,
      history: { append: (entries) => appended.push(...entries.map((e) => e.message)) },
    });
    pipelines.push(p);
    // Backfill after a restart: the last line is held (a traceback may follow).
    p.write(batch('H', [start(1), start(2)], [], { backfill: true }));
    expect(appended).toEqual([]);
    p.write(batch('L', [start(3)], []));
    // failure 2 (backfill, held until now) is not re-alerted nor re-stored; failure 3 waits in the parser.
    expect(p.alerts.recent(10)).toEqual([]);
    expect(appended).toEqual([]);
    p.flush('app.log');
    expect(appended).toEqual(['failure 3']);
    expect(p.alerts.recent(10).map((a) => a.logs.map((e) => e.message))).toEqual([['failure 3']]);
  });

  it('announces anomalies and hands them to the anomaly rules; history makes none, and patterns persist at shutdown', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'lw-pipeline-'));
    const config = { stateDir, analyze: { warmupMinutes: 0 }, rules: [{ name: 'new patterns', type: 'new_pattern' }] };
    const p = pipeline(config);
    const events: HubEvent[] = [];
    p.hub.subscribe((e) => events.push(e));
    p.emit([entry('cache warmed in 10 ms', 'INFO')], { backfill: true });
    expect(events.map((e) => e.type)).toEqual(['logs']);
    const alerts = p.emit([entry('cache warmed in 12 ms', 'INFO'), entry('replica lag 30 s', 'WARNING')], { backfill: false });
    expect(events.map((e) => e.type)).toEqual(['logs', 'logs', 'anomaly', 'alert']);
    const anomaly = events[2] as Extract<HubEvent, { type: 'anomaly' }>;
    expect(anomaly.anomaly).toMatchObject({ kind: 'new_pattern', state: 'firing', template: 'replica lag <*>' });
    expect(alerts.map((a) => [a.rule, a.key])).toEqual([['new patterns', anomaly.anomaly.pattern]]);
    p.close();
    await p.shutdown();

    const again = pipeline(config);
    const later = again.emit([entry('replica lag 45 s', 'WARNING')], { backfill: false });
    expect(later).toEqual([]);
    expect(again.store.all()[0]!.pattern).toBe(anomaly.anomaly.pattern);
  });
});
