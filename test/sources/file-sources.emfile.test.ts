import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './harness.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../..');

describe('FileSources under a descriptor limit', () => {
  it('on EMFILE logs once, shrinks its budget, retries, and reads every file without crashing', () => {
    const dir = tempDir('lw-emfile-');
    const bun = join(REPO_ROOT, 'node_modules', '.bin', 'bun');
    const child = join(REPO_ROOT, 'test', 'sources', 'fixtures', 'emfile-child.ts');
    const out = execFileSync('sh', ['-c', `ulimit -n 128 && exec "${bun}" "${child}" "${dir}" 300`], { encoding: 'utf8', timeout: 60_000 });
    const report = JSON.parse(out.trim().split('\n').pop() as string);
    expect(report).toMatchObject({ read: 300, count: 300, budgetLogs: 1, errorsAtEnd: 0 });
    // Each kind of operation that met EMFILE says so once: opening files (the budget line), and, depending on
    // timing, watching the folder and writing the checkpoint. Never once per file, never twice.
    const kinds = (report.emfileLines as string[]).map((line) =>
      line.includes('keeping at most') ? 'budget' : line.includes('cannot watch') ? 'watch' : line.includes('checkpoint') ? 'checkpoint' : line,
    );
    expect(new Set(kinds).size).toBe(kinds.length);
    for (const kind of kinds) expect(['budget', 'watch', 'checkpoint']).toContain(kind);
  }, 60_000);
});
