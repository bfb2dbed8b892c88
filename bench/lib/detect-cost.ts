// Detection cost (issue 16): every lnav sample format is a source of its own, its sample lines repeated;
// the sources' lines are pushed in turn, a batch per source, as a host tailing many files does. Measured:
// how many format parsers a line costs while its source's format is being detected (the first
// `detectLines` lines) and once it is known (the target: 1), and the CPU time per line of each phase.
import { readdirSync, readFileSync } from 'node:fs';
import { AutoSourceParser } from '../../src/parse/source-parser.ts';
import { TimeResolver } from '../../src/parse/time/resolver.ts';
import type { LogEntry } from '../../src/types.ts';
import { countingSpecs } from '../../test/parse/counting-specs.ts';

const SAMPLES = new URL('../../test/fixtures/lnav-samples/', import.meta.url);
const DETECT_LINES = 20;
const LINES_PER_SOURCE = 2_000;
const BATCH = 100;

export interface DetectionCost {
  sources: number;
  lines: number;
  /** Parser calls per line while detecting, and once the format is known. */
  parsersPerLineDetecting: number;
  parsersPerLineKnown: number;
  /** CPU µs per line in each phase. */
  usPerLineDetecting: number;
  usPerLineKnown: number;
  /** Sources whose known-format lines cost exactly one parser each (one layout per source). */
  sourcesAtOneParser: number;
  /** The sources that cost more once known: lnav's samples of one format mix layouts read by different parsers. */
  costlier: string[];
}

const names: string[] = [];

function sampleSources(): string[][] {
  const sources: string[][] = [];
  names.length = 0;
  for (const name of readdirSync(SAMPLES).filter((n) => n.endsWith('.json')).sort()) {
    const fixture = JSON.parse(readFileSync(new URL(name, SAMPLES), 'utf8')) as { samples: { line: string }[] };
    const lines = fixture.samples.flatMap((s) => s.line.split('\n'));
    if (lines.length === 0) continue;
    const repeated: string[] = [];
    while (repeated.length < LINES_PER_SOURCE) repeated.push(...lines);
    sources.push(repeated.slice(0, LINES_PER_SOURCE));
    names.push(name.replace(/\.json$/, ''));
  }
  return sources;
}

function cpuMicros(work: () => void): number {
  const before = process.cpuUsage();
  work();
  const used = process.cpuUsage(before);
  return used.user + used.system;
}

export function detectionCost(): DetectionCost {
  let calls = 0;
  const counted = countingSpecs(() => calls++);
  const sources = sampleSources();
  const parsers = sources.map((_, i) => new AutoSourceParser(
    { detectable: counted, byName: new Map() },
    { source: `s${i}`, receivedAt: 0, time: new TimeResolver(() => Date.now()) },
    DETECT_LINES,
  ));
  const out: LogEntry[] = [];
  const perSource = new Float64Array(sources.length);
  const phase = (from: number, to: number): { calls: number; micros: number; lines: number } => {
    calls = 0;
    perSource.fill(0);
    let lines = 0;
    const micros = cpuMicros(() => {
      for (let start = from; start < to; start += BATCH) {
        for (let s = 0; s < sources.length; s++) {
          const batch = sources[s]!.slice(start, Math.min(to, start + BATCH));
          lines += batch.length;
          const before = calls;
          parsers[s]!.push({ lines: batch, receivedAt: Date.now() }, out);
          perSource[s]! += calls - before;
          out.length = 0;
        }
      }
    });
    return { calls, micros, lines };
  };
  const detecting = phase(0, DETECT_LINES);
  const known = phase(DETECT_LINES, LINES_PER_SOURCE);
  const knownLines = LINES_PER_SOURCE - DETECT_LINES;
  const costlier = names.filter((_, s) => perSource[s]! > knownLines);
  return {
    sourcesAtOneParser: sources.length - costlier.length,
    costlier,
    sources: sources.length,
    lines: detecting.lines + known.lines,
    parsersPerLineDetecting: detecting.calls / detecting.lines,
    parsersPerLineKnown: known.calls / known.lines,
    usPerLineDetecting: detecting.micros / detecting.lines,
    usPerLineKnown: known.micros / known.lines,
  };
}
