// The ingest spool's checkpoint: how many spooled lines the pipeline has processed (`committed.json`).
import { join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../logger.ts';
import { readTextIfExists, writeFileAtomic } from './atomic-file.ts';

const COMMITTED_FILE = 'committed.json';

const committedSchema = z.object({ version: z.literal(1), committed: z.number().int().min(0) });

/** The committed position saved in `dir`, or null when there is none (or it is unreadable: said so). */
export async function loadCommitted(dir: string, logger: Logger): Promise<number | null> {
  const path = join(dir, COMMITTED_FILE);
  const text = await readTextIfExists(path);
  if (text === null) return null;
  try {
    return committedSchema.parse(JSON.parse(text)).committed;
  } catch {
    logger.warn(`ingest spool checkpoint ${path} is unreadable; every spooled line still there is processed again`);
    return null;
  }
}

/** Replaces the saved position atomically. */
export function saveCommitted(dir: string, committed: number): Promise<void> {
  return writeFileAtomic(join(dir, COMMITTED_FILE), JSON.stringify({ version: 1, committed }));
}
