// The file sources' checkpoint: per file (device + inode) the offset processed up to, and the globs
// already started once (their files are new when they appear, not history).
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../logger.ts';
import { readTextIfExists, writeFileAtomic } from './atomic-file.ts';

export const CHECKPOINT_FILE = 'file-checkpoints.json';

const fileCheckpointSchema = z.object({
  source: z.string(),
  /** Path the file was found at (absolute). */
  path: z.string(),
  /** Where the file really is (through symlinks): where to look for it after a restart. */
  realPath: z.string(),
  dev: z.number(),
  ino: z.number(),
  /** Every byte before this offset has been processed. */
  offset: z.number().int().min(0),
  fpLength: z.number().int().min(0),
  fpHash: z.string(),
  /** Renamed or deleted away from its glob; followed until it goes quiet. */
  rotated: z.boolean(),
  format: z.string().optional(),
  timezone: z.string().optional(),
});
export type FileCheckpoint = z.infer<typeof fileCheckpointSchema>;

const checkpointSchema = z.object({
  version: z.literal(1),
  /** When the state in it was taken (ms): files born after it are not the ones it lists. */
  savedAt: z.number().optional(),
  /** Absolute forms of the globs already started with. */
  globs: z.array(z.string()),
  files: z.array(fileCheckpointSchema),
});
export type Checkpoint = z.infer<typeof checkpointSchema>;

export function checkpointPath(stateDir: string): string {
  return join(stateDir, CHECKPOINT_FILE);
}

/**
 * The saved checkpoint, or null on a first start. A corrupt file is moved aside (and said so): the
 * files are then treated as on a first start rather than read again from their beginning.
 */
export async function loadCheckpoint(stateDir: string, logger: Logger): Promise<Checkpoint | null> {
  const path = checkpointPath(stateDir);
  const text = await readTextIfExists(path);
  if (text === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const result = checkpointSchema.safeParse(parsed);
  if (result.success) return result.data;
  const aside = `${path}.corrupt-${Date.now()}`;
  logger.warn(`file checkpoint ${path} is unreadable; moved to ${aside}. Files are tailed from their end as on a first start.`);
  await rename(path, aside).catch(() => {});
  return null;
}

export function serializeCheckpoint(checkpoint: Checkpoint): string {
  return JSON.stringify(checkpoint);
}

export async function saveCheckpoint(stateDir: string, text: string): Promise<void> {
  await writeFileAtomic(checkpointPath(stateDir), text);
}
