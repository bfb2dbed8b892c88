// Grouping accuracy of the template miner on the loghub 2k samples of the shared corpus, with ONE
// configuration (the defaults) for every file: floors at the measured value minus a small margin,
// never below Drain's published figure (ICSE-SEIP 2019), and the mean at ≥ 0.95.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LOGHUB_DRAIN_GA, loghubEntries, minerAccuracy } from './grouping.ts';

// CI clones the repository beside shared/: resolve from this file, not the working directory.
const CORPUS = new URL('../../../shared/corpus/', import.meta.url);

/** Measured with the default options (bench/RESULTS.md), minus 0.005, floored at Drain's figure. */
const MEASURED: Readonly<Record<string, number>> = {
  HDFS: 1.0, Hadoop: 0.989, Spark: 0.999, Zookeeper: 0.99, BGL: 0.981, HPC: 0.926,
  Linux: 0.691, Android: 0.969, Apache: 1.0, OpenSSH: 1.0, Windows: 1.0,
};
const floor = (system: string) => Math.max(MEASURED[system]! - 0.005, LOGHUB_DRAIN_GA[system]!);

describe('grouping accuracy on loghub (one configuration for all files)', () => {
  if (!existsSync(fileURLToPath(new URL('loghub/', CORPUS)))) {
    throw new Error(`the loghub corpus is missing: expected ${fileURLToPath(CORPUS)}loghub (clone the shared/ folder beside the repository)`);
  }
  const results: Array<{ system: string; ga: number }> = [];

  for (const system of Object.keys(LOGHUB_DRAIN_GA)) {
    it(`${system}: GA at or over ${floor(system).toFixed(3)} (Drain: ${LOGHUB_DRAIN_GA[system]})`, () => {
      const { entries, truth } = loghubEntries(CORPUS, system);
      const ga = minerAccuracy(entries, truth);
      results.push({ system, ga });
      expect(ga).toBeGreaterThanOrEqual(floor(system));
    });
  }

  it('has a mean GA of at least 0.95 over the 11 files, over Drain\'s mean', () => {
    expect(results.length).toBe(11);
    const mean = results.reduce((sum, r) => sum + r.ga, 0) / results.length;
    const drain = Object.values(LOGHUB_DRAIN_GA).reduce((a, b) => a + b, 0) / 11;
    console.log(`\n| system | GA | Drain |\n|---|---|---|\n${results.map((r) => `| ${r.system} | ${r.ga.toFixed(3)} | ${LOGHUB_DRAIN_GA[r.system]} |`).join('\n')}\n| mean | ${mean.toFixed(4)} | ${drain.toFixed(4)} |\n`);
    expect(mean).toBeGreaterThanOrEqual(0.95);
    expect(mean).toBeGreaterThan(drain);
  });
});
