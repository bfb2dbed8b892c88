import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

/**
 * Calls `onChange` (debounced) when the config file is written, replaced or renamed into place.
 * The folder is watched, not the file: editors and config managers replace files by rename.
 */
export function watchConfigFile(file: string, onChange: () => void, debounceMs = 300): () => void {
  const name = basename(file);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(file), (_event, changed) => {
      if (changed !== null && changed.toString() !== name) return;
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(onChange, debounceMs);
      timer.unref?.();
    });
    watcher.on('error', () => watcher?.close());
    watcher.unref?.();
  } catch {
    // Watching is a convenience; SIGHUP still reloads.
  }
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    watcher?.close();
  };
}
