// Opening a followed file under the descriptor budget, checking it is still the file identified by
// device + inode (a path can change hands between a stat and an open).
import type { DescriptorBudget } from '../descriptor-budget.ts';
import type { ErrorReporter } from '../error-reporter.ts';
import { closeQuietly, openForRead, statFd } from '../fd-io.ts';
import { statKey } from '../file-identity.ts';

export type OpenResult =
  | { fd: number; size: number }
  /** Another file is at the path now, or it is gone: not an error of this file. */
  | { fd: null; err: null }
  /** `doing` names the step for the message; `quiet` errors are shown in status only (logged once elsewhere). */
  | { fd: null; err: NodeJS.ErrnoException; quiet: boolean };

export async function openIdentified(
  path: string,
  key: string,
  descriptors: DescriptorBudget,
  errors: ErrorReporter,
  goneIsFine: boolean,
): Promise<OpenResult> {
  await descriptors.reserve();
  let fd: number;
  try {
    fd = await openForRead(path);
  } catch (err) {
    descriptors.release();
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EMFILE' || e.code === 'ENFILE') {
      // A process-wide condition: one message, a smaller budget, and the open is retried later.
      // Leave a quarter of what was open for the rest of the process (client connections, state files).
      const limit = descriptors.shrink();
      errors.report('emfile', 'emfile', `too many open files: keeping at most ${limit} files open from now on (raise the limit with ulimit -n)`);
      return { fd: null, err: e, quiet: true };
    }
    if (e.code === 'ENOENT' && goneIsFine) return { fd: null, err: null };
    return { fd: null, err: e, quiet: false };
  }
  try {
    const stats = await statFd(fd);
    if (statKey(stats) !== key) {
      await closeQuietly(fd);
      descriptors.release();
      return { fd: null, err: null };
    }
    return { fd, size: stats.size };
  } catch (err) {
    await closeQuietly(fd);
    descriptors.release();
    return { fd: null, err: err as NodeJS.ErrnoException, quiet: false };
  }
}
