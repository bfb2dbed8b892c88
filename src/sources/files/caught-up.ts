// Telling the sink that a file's reader has caught up: every line written so far is handed over (the
// end of the file, no unfinished line), so a held multi-line entry need not wait its whole hold
// (src/held-release.ts). With it goes a check the sink makes at the end of its short grace: did the
// file grow meanwhile? On a loaded machine the watch event of a write made a millisecond later can
// come after the grace; then the entry waits for that write instead of splitting a stack trace.
import { stat } from 'node:fs/promises';
import type { Logger } from '../../logger.ts';
import type { LineSink } from '../../types.ts';
import type { FollowedFile } from './followed-file.ts';

export function caughtUp(sink: LineSink, file: FollowedFile, logger: Logger): void {
  if (sink.caughtUp === undefined || file.hasPartialLine) return;
  // By path: the descriptor may be closed for the budget. A path now naming a rotated-in file makes a
  // wrong "more" at worst, and parse.multilineTimeoutMs still bounds the wait.
  const more = async (): Promise<boolean> => {
    try {
      return (await stat(file.path)).size > file.readOffset;
    } catch {
      return false;
    }
  };
  try {
    sink.caughtUp(file.source, more);
  } catch (err) {
    logger.error(`releasing the held entry of ${file.source} failed: ${(err as Error).message}`);
  }
}
