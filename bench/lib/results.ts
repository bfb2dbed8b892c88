// Each benchmark owns one section of bench/RESULTS.md, between `<!-- name:begin -->` and
// `<!-- name:end -->`, and saves its figures as JSON in bench/out/results/ (the summary reads them).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_OUT, RESULTS } from './env.ts';

export const RESULTS_DIR = join(BENCH_OUT, 'results');

/** Order of the sections in RESULTS.md; a section not yet there goes before the next one that is. */
export const SECTION_ORDER = ['summary', 'bounds', 'ingest-file', 'hotpath', 'ingest-http', 'receivers', 'latency', 'hold', 'fanout', 'memory', 'memory-mixed', 'alerts', 'parse', 'chaos', 'history'];

export function writeSection(name: string, body: string, path = RESULTS): void {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${begin}\n${body.trim()}\n${end}`;
  let text = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmark results\n';
  const at = text.indexOf(begin);
  if (at >= 0) {
    const stop = text.indexOf(end, at);
    text = text.slice(0, at) + block + text.slice(stop + end.length);
  } else {
    const order = SECTION_ORDER.indexOf(name);
    const next = SECTION_ORDER.slice(order + 1)
      .map((later) => text.indexOf(`<!-- ${later}:begin -->`))
      .filter((i) => i >= 0)
      .sort((a, b) => a - b)[0];
    text = next === undefined ? `${text.trimEnd()}\n\n${block}\n` : `${text.slice(0, next)}${block}\n\n${text.slice(next)}`;
  }
  writeFileSync(path, text);
}

export function saveJson(name: string, data: unknown): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${name}.json`), JSON.stringify(data, null, 2));
}

export function loadJson<T>(name: string): T | undefined {
  const path = join(RESULTS_DIR, `${name}.json`);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}

/** A markdown table. */
export function table(header: string[], rows: string[][], align?: string[]): string {
  const sep = align ?? header.map((_, i) => (i === 0 ? '---' : '---:'));
  return [`| ${header.join(' | ')} |`, `| ${sep.join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
