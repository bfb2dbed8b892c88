// Auto-detection: every format reads the first lines of a source; the most specific format that
// reads nearly as many of them as the best one wins.
import type { LineParser } from './format.ts';

/** A format wins if it reads at least this share of what the best-scoring format reads. */
const NEAR_BEST = 0.8;
/** Consecutive entries started by another format before a source is re-detected as that format. */
export const SWITCH_AFTER = 3;

/** Scores of the formats (in priority order) over a source's first lines. */
export class DetectionScores {
  private readonly hits: number[];
  lines = 0;

  constructor(private readonly parsers: readonly LineParser[]) {
    this.hits = parsers.map(() => 0);
  }

  record(index: number): void {
    this.hits[index]!++;
  }

  /** The winner so far, or null when no format has read any line. */
  winner(): LineParser | null {
    let best = 0;
    for (const hits of this.hits) if (hits > best) best = hits;
    if (best === 0) return null;
    for (let i = 0; i < this.parsers.length; i++) {
      if (this.hits[i]! >= best * NEAR_BEST) return this.parsers[i]!;
    }
    return null;
  }
}
