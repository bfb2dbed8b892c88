// The analyzer's state on disk (<stateDir>/patterns.json): clusters with their ids and counts, merge
// aliases, per-pattern statistics and the anomaly detector's baselines and findings. Read once at
// start (sync, validated with zod: the file is input from outside); written atomically (temp file +
// fsync + rename) so a crash leaves the old file or the new one, never half of one.
import { readFileSync } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { LEVELS } from '../types.ts';
import type { DetectorState } from './anomalies.ts';
import type { SavedCluster } from './types.ts';

export const PATTERN_STATE_FILE = 'patterns.json';

const level = z.enum(LEVELS);
const buckets = z.array(z.tuple([z.number(), z.number().int().min(0)]));
const rate = {
  minute: z.number(),
  count: z.number().min(0),
  baseline: z.number().min(0),
  minutes: z.number().min(0),
  peak: z.number().min(0),
  spikeAt: z.number().min(0),
  spiking: z.boolean(),
};

const stateSchema = z.object({
  version: z.literal(1),
  savedAt: z.number(),
  clusters: z.array(
    z.object({
      id: z.string(),
      source: z.string(),
      tokens: z.array(z.string()),
      count: z.number().int().min(0),
      firstSeen: z.number(),
      lastSeen: z.number(),
    }),
  ),
  aliases: z.array(z.tuple([z.string(), z.string()])),
  stats: z.record(
    z.string(),
    z.object({ level, minutes: buckets, hours: buckets, sample: z.object({ time: z.number(), level, message: z.string(), raw: z.string() }).nullable() }),
  ),
  detector: z.object({
    patterns: z.record(
      z.string(),
      z.object({ ...rate, source: z.string(), template: z.string(), level, lastSeen: z.number(), gapMean: z.number(), gapVar: z.number(), gaps: z.number(), gapPeak: z.number(), firstSeen: z.number(), stopped: z.boolean() }),
    ),
    sources: z.record(z.string(), z.object({ ...rate, firstSeen: z.number(), lines: z.number() })),
    fresh: z.array(z.object({ pattern: z.string(), source: z.string(), template: z.string(), level, time: z.number() })),
  }),
});

export type SavedStats = z.infer<typeof stateSchema>['stats'][string];

export interface PatternState {
  version: 1;
  savedAt: number;
  clusters: SavedCluster[];
  aliases: Array<[string, string]>;
  stats: Record<string, SavedStats>;
  detector: DetectorState;
}

export function patternStatePath(stateDir: string): string {
  return join(stateDir, PATTERN_STATE_FILE);
}

/** The saved state; null when there is none. Throws a message naming the file when it cannot be used. */
export function readPatternState(path: string): PatternState | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`pattern state ${path} is unreadable (${(err as Error).message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`pattern state ${path} is not JSON (${(err as Error).message})`);
  }
  const result = stateSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`pattern state ${path} is not in the expected shape (${issue.path.join('.')}: ${issue.message})`);
  }
  return result.data as PatternState;
}

/**
 * Writes `path.tmp`, flushes it to disk, then renames it over `path` (as sources/atomic-file.ts does
 * for checkpoints; analyze imports no other stage). Without the flush some file systems can leave an
 * empty file after the rename on a power loss.
 */
export async function writePatternState(path: string, dir: string, state: PatternState): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tmp = `${path}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(JSON.stringify(state));
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}
