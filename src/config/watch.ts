import { realpathSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

/**
 * Calls `onChange` (debounced) when the config file is written, replaced or renamed into place.
 * The folder is watched, not the file: editors and config managers replace files by rename.
 * A config reached through a symlink (a ConfigMap mount, /etc/logwatch.json -> /srv/conf/…) is
 * watched where the link is and where its target is: a change to the target alone would otherwise
 * go unseen until SIGHUP.
 */
export function watchConfigFile(file: string, onChange: () => void, debounceMs = 300): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const watchers: FSWatcher[] = [];
  const changed = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
    timer.unref?.();
  };
  const places = new Map<string, string>([[resolve(file), basename(file)]]);
  try {
    const target = realpathSync(file);
    places.set(target, basename(target));
  } catch {
    // Not there (yet): the link's folder is still watched.
  }
  const dirs = new Map<string, Set<string>>();
  for (const [path, name] of places) {
    const dir = dirname(path);
    if (!dirs.has(dir)) dirs.set(dir, new Set());
    dirs.get(dir)!.add(name);
  }
  for (const [dir, names] of dirs) {
    try {
      const watcher = watch(dir, (_event, name) => {
        if (name !== null && !names.has(name.toString())) return;
        changed();
      });
      watcher.on('error', () => watcher.close());
      watcher.unref?.();
      watchers.push(watcher);
    } catch {
      // Watching is a convenience; SIGHUP still reloads.
    }
  }
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
  };
}
