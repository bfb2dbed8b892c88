// Every corpus file with ground truth, parsed as a source would parse it, must have its entries where
// the truth has them and ≥ 99 % of levels and timestamps right (shared/corpus/README.md, "How
// LogWatch is scored").
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { percent, scoreFile, scoreTable, type FileScore, type ManifestFile } from './corpus-score.ts';

// CI clones the repository beside shared/: resolve from this file, not the working directory.
const CORPUS = new URL('../../../shared/corpus/', import.meta.url);
// Year-less lines are compared on month, day and time only; any clock works. A fixed one keeps runs equal.
const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);

function manifest(): ManifestFile[] {
  const path = fileURLToPath(new URL('manifest.json', CORPUS));
  if (!existsSync(path)) {
    throw new Error(`the real-log corpus is missing: expected ${path} (clone the shared/ folder beside the repository)`);
  }
  return (JSON.parse(readFileSync(path, 'utf8')) as ManifestFile[]).filter((file) => file.truth !== null);
}

describe('the real-log corpus', () => {
  const files = manifest();
  const scores: FileScore[] = [];

  it('holds files with ground truth', () => {
    expect(files.length).toBeGreaterThan(30);
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
