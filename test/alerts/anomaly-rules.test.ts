// Rule types fed by the analyzer's anomalies: one alert per pattern, filtered by the pattern's
// template, source and level; cooldowns, resolves and persistence as for every rule.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleSchema } from '../../src/alerts/config.ts';
import type { AnomalyEvent } from '../../src/analyze/types.ts';
import { entry, summary, T0, testEngine } from './helpers.ts';

function anomaly(fields: Partial<AnomalyEvent> & Pick<AnomalyEvent, 'kind'>): AnomalyEvent {
  return {
    state: 'firing', source: 'app.log', pattern: 'p1', template: 'Connection refused to <*>', level: 'ERROR',
    time: T0, value: 40, baseline: 2, message: 'Pattern spike in app.log: 40 lines this minute, usually 2.0: Connection refused to <*>',
    ...fields,
  };
}

describe('anomaly rule types', () => {
  it('fire once per pattern and resolve when the analyzer resolves, with the line that made it as sample', () => {
    const t = testEngine([{ name: 'Spikes', type: 'pattern_spike', cooldown: 0 }]);
    const sample = entry({ message: 'Connection refused to db:5432', level: 'ERROR' }, t.clock);
    const fired = t.engine.anomalies([anomaly({ kind: 'pattern_spike', entry: sample })]);
    expect(summary(fired)).toEqual([[0, 'firing', 'p1', 40]]);
    expect(fired[0]!.message).toContain('Pattern spike in app.log');
    expect(fired[0]!.logs.map((l) => l.message)).toEqual(['Connection refused to db:5432']);
    expect(t.engine.anomalies([anomaly({ kind: 'pattern_spike' })])).toEqual([]); // already firing
    t.clock.advance(30);
    const resolved = t.engine.anomalies([anomaly({ kind: 'pattern_spike', state: 'resolved', value: 3 })]);
    expect(summary(resolved)).toEqual([[30, 'resolved', 'p1', 3]]);
    expect(t.tickUntil(400)).toEqual([]);
  });

  it('only take their own kind, and the patterns their filters match', () => {
    const t = testEngine([
      { name: 'New errors', type: 'new_pattern', level: 'ERROR', source: '*.log', pattern: 'refused' },
      { name: 'Stopped', type: 'pattern_stopped' },
    ]);
    const out = t.engine.anomalies([
      anomaly({ kind: 'new_pattern', pattern: 'a' }),
      anomaly({ kind: 'new_pattern', pattern: 'b', level: 'INFO' }),
      anomaly({ kind: 'new_pattern', pattern: 'c', source: 'app.txt' }),
      anomaly({ kind: 'new_pattern', pattern: 'd', template: 'user <*> logged in' }),
      anomaly({ kind: 'pattern_spike', pattern: 'e' }),
      anomaly({ kind: 'pattern_stopped', pattern: 'f', message: 'Pattern stopped in app.log: heartbeat' }),
    ]);
    expect(out.map((a) => [a.rule, a.key, a.message])).toEqual([
      ['New errors', 'a', 'Pattern spike in app.log: 40 lines this minute, usually 2.0: Connection refused to <*>'],
      ['Stopped', 'f', 'Pattern stopped in app.log: heartbeat'],
    ]);
  });

  it('ignore entries, fill {placeholders}, and keep cooldowns across a restart', () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'lw-anomaly-rules-'));
    const rule = { name: 'New', type: 'new_pattern' as const, cooldown: 600, message: 'new in {key}: {anomaly}' };
    const t = testEngine([rule], { stateDir });
    expect(t.push({ level: 'ERROR', message: 'anything' })).toEqual([]);
    const fired = t.engine.anomalies([anomaly({ kind: 'new_pattern', message: 'New pattern in app.log: x <*>' })]);
    expect(fired[0]!.message).toBe('new in p1: New pattern in app.log: x <*>');
    t.engine.anomalies([anomaly({ kind: 'new_pattern', state: 'resolved' })]);
    t.engine.close();

    const again = testEngine([rule], { stateDir, start: 60 });
    expect(again.engine.anomalies([anomaly({ kind: 'new_pattern', time: T0 + 60_000 })])).toEqual([]); // within the cooldown
    again.clock.at(700);
    expect(again.engine.anomalies([anomaly({ kind: 'new_pattern' })])).toHaveLength(1);
  });

  it('reject options that only rules on entries have', () => {
    for (const [extra, word] of [[{ groupBy: 'source' }, 'groupBy'], [{ where: ['status >= 500'] }, 'where'], [{ field: 'metadata.ip' }, 'field']] as const) {
      const result = ruleSchema.safeParse({ name: 'x', type: 'pattern_spike', ...extra });
      expect(result.success).toBe(false);
      expect(result.error!.issues.map((i) => i.path.join('.'))).toContain(word);
    }
    expect(ruleSchema.safeParse({ name: 'x', type: 'pattern_stopped', source: 'logs/*.log', level: 'WARNING', pattern: 'heartbeat' }).success).toBe(true);
  });
});
