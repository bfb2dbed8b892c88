// State files replaced atomically: a reader (or the next start after a crash) sees the old version or
// the new one, never a mix.
import { open, readFile, rename } from 'node:fs/promises';

/**
 * Writes `path.tmp`, flushes it to disk, then renames it over `path`. The flush makes the rename safe
 * on a power loss too (without it some file systems can leave an empty file after the rename).
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(text);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}

/** The file's text, or null when it does not exist. */
export async function readTextIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
