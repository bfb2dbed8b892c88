// The file source: follows every file the watch globs match, by device + inode, through rotation (rename,
// copy and truncate, delete and recreate, symlink switch) and restarts, reading each byte once. Its
// pieces are in ./files/ (see file-tailing.ts for the map).
import { FileTailing } from './files/file-tailing.ts';
import type { FileSources, FileSourcesOptions } from './types.ts';

export function createFileSources(options: FileSourcesOptions): FileSources {
  return new FileTailing(options);
}
