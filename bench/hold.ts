// What the multi-line grace costs in split stack traces: Python tracebacks written to a watched file
// in several writes a few ms apart (as a logger that flushes line by line might), counted as joined or
// split (`logwatch_multiline_joined_total`, `logwatch_multiline_split_total`), for several `parse.multilineGraceMs`. Pairs with
// bench/latency.ts, which measures what the grace costs in latency.
//
//   bun bench/hold.ts [--traces 100] [--graces 1,3,5] [--gaps 0,2] [--runtime bun] [--no-write]
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { arg, flag, machineLine, sleep } from './lib/env.ts';
import { startLogWatch, workspace, type Runtime } from './lib/logwatch.ts';
import { table, writeSection } from './lib/results.ts';

const TRACE = ['Traceback (most recent call last):', '  File "app.py", line 12, in handle', '    1 / 0', 'ZeroDivisionError: division by zero'];

/** Busy-waits `ms` (setTimeout rounds to whole ms and more under load; the writer's gap must be exact). */
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {}
}

async function run(runtime: Runtime, graceMs: number, gapMs: number, traces: number): Promise<{ split: number; joined: number }> {
  const ws = workspace(`hold-${graceMs}-${gapMs}`);
  const file = join(ws.logs, 'app.log');
  writeFileSync(file, '');
  const lw = await startLogWatch(runtime, ws, { watch: [join(ws.logs, '*.log')], parse: { multilineGraceMs: graceMs } });
  try {
    await sleep(300);
    for (let i = 0; i < traces; i++) {
      const head = `2026-11-30 10:15:02,123 - app - ERROR - request ${i} failed`;
      // Three writes: the entry and the first trace line, two more lines, the last line.
      const parts = [[head, TRACE[0]!], [TRACE[1]!, TRACE[2]!], [TRACE[3]!]];
      for (let k = 0; k < parts.length; k++) {
        if (k > 0) spin(gapMs);
        appendFileSync(file, `${parts[k]!.join('\n')}\n`);
      }
      await sleep(30 + Math.random() * 20);
    }
    await sleep(500);
    const res = await fetch(`${lw.url}/metrics`);
    const text = await res.text();
    const value = (name: string) => Number(new RegExp(`^${name}\\{source="[^"]*app\\.log"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
    return { split: value('logwatch_multiline_split_total'), joined: value('logwatch_multiline_joined_total') };
  } finally {
    await lw.stop();
    ws.remove();
  }
}

if (process.argv[1]?.endsWith('hold.ts')) {
  const traces = Number(arg('traces', '100'));
  const graces = arg('graces', '1,3,5').split(',').map(Number);
  const gaps = arg('gaps', '0,2').split(',').map(Number);
  const runtime = arg('runtime', 'bun') as Runtime;
  const header = machineLine();
  const rows: string[][] = [];
  for (const grace of graces) {
    for (const gap of gaps) {
      const r = await run(runtime, grace, gap, traces);
      console.log(`  grace ${grace} ms, gap ${gap} ms: ${r.split} splits in ${traces} traces, ${r.joined} of ${traces * TRACE.length} lines joined`);
      rows.push([String(grace), String(gap), String(r.split), `${r.joined} / ${traces * TRACE.length}`]);
    }
  }
  const section = [
    '## Holding for stack traces: splits',
    '',
    `\`bun bench/hold.ts\`. ${header}. ${traces} Python tracebacks (an ERROR line and 4 trace lines), each written to a watched`,
    'file in 3 writes with the given gap between them, 30–50 ms between tracebacks. A split is a held entry that went out',
    'before the rest of its trace came (`logwatch_multiline_split_total`; a trace in 3 writes can be split twice). `parse.multilineGraceMs`',
    'is the quiet after the reader reached the end of the file before the held entry goes out; at its end the reader checks',
    'that the file did not grow (a write whose watch event is late). The latency this costs is in the section above.',
    '',
    table(['grace ms', 'gap between writes ms', 'splits', 'trace lines joined'], rows),
    '',
  ].join('\n');
  console.log(`\n${section}`);
  if (!flag('no-write')) writeSection('hold', section);
}
