// The import rules ARCHITECTURE.md states, checked on the source itself: no import cycles anywhere in
// src/ and views/, and no stage (sources, parse, store, analyze, alerts, notify, config) importing the
// pipeline, the app wiring or the web layer. A cycle makes load order matter and a change ripple both
// ways; a stage that imports upwards cannot be tested or reused without the whole server.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const STAGES = ['sources', 'parse', 'store', 'analyze', 'alerts', 'notify', 'config'];

/** Whether `to` (repo-relative, '/'-separated) is off limits for a stage. */
function forbiddenForStage(from: string, to: string): boolean {
  // The config stage assembles every section's schema, the web's `stream` section included; a section
  // schema (`<layer>/config.ts`) is a leaf zod object, so reading it pulls in nothing of that layer.
  if (from.startsWith('src/config/') && /^src\/[^/]+(?:\/[^/]+)?\/config\.ts$/.test(to)) return false;
  return to === 'src/pipeline.ts' || to === 'src/app.ts' || to === 'src/logwatch.ts' || to.startsWith('src/web/') || to.startsWith('views/');
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(entry.name)) out.push(path);
  }
  return out;
}

// `import … from '…'`, `export … from '…'`, `import '…'` and `import('…')`, type-only ones included:
// a type-only cycle still ties two modules together for every reader and every change.
const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Repo-relative targets of the relative imports of `text` (package imports are not edges). */
export function importsOf(file: string, text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  for (const m of code.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3]!;
    if (!spec.startsWith('.')) continue;
    out.push(relative(ROOT, resolve(ROOT, dirname(file), spec)).split('\\').join('/'));
  }
  return out;
}

/** Every cycle's strongly connected component with more than one module (or a self-import), Tarjan. */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

function loadGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of [...sourceFiles('src'), ...sourceFiles('views')]) {
    graph.set(file, importsOf(file, readFileSync(join(ROOT, file), 'utf8')));
  }
  return graph;
}

describe('the checker itself', () => {
  it('reads every import form, type-only and re-exports included, and ignores packages and comments', () => {
    const text = [
      "import { a } from './a.ts';",
      "import type { B } from '../b.ts';",
      "export { c } from './c/index.ts';",
      "export type { D } from './d.ts';",
      "import './side-effect.ts';",
      "const e = await import('./lazy.ts');",
      "import { Hono } from 'hono';",
      "// import { x } from './commented.ts';",
      "/* import { y } from './blocked.ts'; */",
      'import {',
      '  f,',
      "} from './multi-line.ts';",
    ].join('\n');
    expect(importsOf('src/stage/file.ts', text)).toEqual([
      'src/stage/a.ts', 'src/b.ts', 'src/stage/c/index.ts', 'src/stage/d.ts', 'src/stage/side-effect.ts',
      'src/stage/lazy.ts', 'src/stage/multi-line.ts',
    ]);
  });

  it('finds a two-module cycle, a longer one and a self-import, and nothing in a DAG', () => {
    const graph = new Map<string, string[]>([
      ['a', ['b']], ['b', ['a', 'c']], ['c', ['d']], ['d', ['e']], ['e', ['c']], ['f', ['f']], ['g', ['a']],
    ]);
    expect(cycles(graph).map((c) => c.join(' ')).sort()).toEqual(['a b', 'c d e', 'f']);
    expect(cycles(new Map([['a', ['b', 'c']], ['b', ['c']], ['c', []]]))).toEqual([]);
  });
});

describe('the source tree', () => {
  const graph = loadGraph();

  it('is read (the checker sees the stages and their imports)', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('src/parse/index.ts')).toContain('src/parse/source-parser.ts');
  });

  it('has no import cycles', () => {
    const found = cycles(graph).map((component) => component.join(' <-> '));
    expect(found, `import cycles:\n${found.join('\n')}`).toEqual([]);
  });

  it('has no stage importing the pipeline, the app or the web layer', () => {
    const bad: string[] = [];
    for (const [from, targets] of graph) {
      const stage = from.split('/')[1];
      if (!from.startsWith('src/') || !STAGES.includes(stage!)) continue;
      for (const to of targets) if (forbiddenForStage(from, to)) bad.push(`${from} -> ${to}`);
    }
    expect(bad, `stage imports up into the pipeline or web layer:\n${bad.join('\n')}`).toEqual([]);
  });

  it('has the pipeline below the web layer (the web reads the pipeline, never the other way round)', () => {
    const bad = (graph.get('src/pipeline.ts') ?? []).filter((to) => to.startsWith('src/web/') || to.startsWith('views/'));
    expect(bad, 'src/pipeline.ts imports the web layer').toEqual([]);
  });

  it('keeps section schemas leaves (what lets config/ read them)', () => {
    const schemas = [...graph.keys()].filter((file) => /^src\/[^/]+(?:\/[^/]+)?\/config\.ts$/.test(file) && !file.startsWith('src/config/'));
    expect(schemas.length).toBeGreaterThan(3);
    const heavy = schemas.filter((file) => graph.get(file)!.some((to) => forbiddenForStage('src/alerts/x.ts', to)));
    expect(heavy).toEqual([]);
  });

  it('resolves every relative import to a file that exists', () => {
    const missing: string[] = [];
    for (const [from, targets] of graph) {
      for (const to of targets) if (!graph.has(to) && !/\.(css|js|json)$/.test(to)) missing.push(`${from} -> ${to}`);
    }
    expect(missing).toEqual([]);
  });
});
