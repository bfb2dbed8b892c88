// The corpus suite: every file of a corpus with ground truth, parsed as a source would parse it, must
// have its entries where the truth has them and ≥ 99 % of levels and timestamps right
// (shared/corpus/README.md, "How LogWatch is scored"). Run on the in-repository sample
// (test/parse/corpus.test.ts, part of `npm test`) and on the full shared corpus (test/corpus/, `npm run
// test:corpus`).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { percent, scoreFile, scoreTable, type FileScore, type ManifestFile } from './corpus-score.ts';

// Year-less lines are compared on month, day and time only; any clock works. A fixed one keeps runs equal.
const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);

function manifest(corpus: URL, missing: string): ManifestFile[] {
  const path = fileURLToPath(new URL('manifest.json', corpus));
  if (!existsSync(path)) throw new Error(`the real-log corpus is missing: expected ${path} (${missing})`);
  return (JSON.parse(readFileSync(path, 'utf8')) as ManifestFile[]).filter((file) => file.truth !== null);
}

export interface CorpusSuite {
  /** Folder holding manifest.json (a URL ending in `/`). */
  corpus: URL;
  /** What the suite is called in the report. */
  title: string;
  /** Fewer files with truth than this means the corpus was not found whole. */
  minFiles: number;
  /** What to do when the manifest is missing (shown in the error). */
  missing: string;
}

/** Defines one test per corpus file, and a last one that prints the per-file table. */
export function describeCorpus({ corpus: CORPUS, title, minFiles, missing }: CorpusSuite): void {
  describe(title, () => {
    const files = manifest(CORPUS, missing);
    const scores: FileScore[] = [];

    it(`holds at least ${minFiles} files with ground truth`, () => {
      expect(files.length).toBeGreaterThanOrEqual(minFiles);
    });

    for (const file of files) {
      it(`parses ${file.path} (${file.format}) with ≥ 99 % levels and timestamps right`, () => {
        const score = scoreFile(CORPUS, file, NOW);
        scores.push(score);
        const detail = `${file.path}: ${score.misses.join('; ')}`;
        if (file.multiline) {
          expect(score.entries, detail).toBe(score.expectedEntries);
          expect(score.boundaries, detail).toBe(score.expectedEntries);
        } else {
          expect(score.entries, detail).toBe(file.lines);
        }
        expect(percent(score.levelRight, score.levelScored), detail).toBeGreaterThanOrEqual(99);
        expect(percent(score.timeRight, score.timeScored), detail).toBeGreaterThanOrEqual(99);
      });
    }

    it('prints the per-file table', () => {
      expect(scores.length).toBe(files.length);
      console.log(`\n${scoreTable(scores)}\n`);
    });
  });
}
