import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.ts';
import { createMemoryLogger } from '../src/logger.ts';
import { Pipeline } from '../src/pipeline.ts';
import type { LineBatch } from '../src/types.ts';

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

  it('emits a held entry after parse.multilineTimeoutMs of quiet', async () => {
    const p = pipeline({ parse: { multilineTimeoutMs: 50 } });
    const calls: string[] = [];
    p.write(batch('A', [start(1)], calls));
    expect(p.store.size).toBe(0);
    await new Promise((r) => setTimeout(r, 150));
    expect(p.store.size).toBe(1);
    expect(calls).toEqual(['A:1', 'A:0']);
  });
});
