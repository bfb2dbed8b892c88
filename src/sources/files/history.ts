// History at start: the last lines of files met for the first time (which are then tailed from the end
// of their last complete line) and of files resumed at a checkpoint (lines before it), so the buffer is
// not empty after a restart. The budget goes to the most recently written files.
import type { LineBatch } from '../../types.ts';
import { findLastLines, readLineRange, type LineRange } from '../file-history.ts';
import type { ReadSlots } from '../read-slots.ts';
import type { FollowedFile } from './followed-file.ts';

export interface HistoryOptions {
  backfillLines: number;
  backfillTotalLines: number;
  maxLineBytes: number;
}

export async function loadHistory(
  firstStart: FollowedFile[],
  resumed: FollowedFile[],
  mtimes: Map<FollowedFile, number>,
  options: HistoryOptions,
  slots: ReadSlots,
  clock: () => number,
  write: (batch: LineBatch) => void,
): Promise<void> {
  const all = [...firstStart, ...resumed].sort((a, b) => (mtimes.get(b) ?? 0) - (mtimes.get(a) ?? 0));
  const isFirst = new Set(firstStart);
  const buffer = await slots.acquire();
  try {
    // Newest first, so the budget goes to the most recently written files; each takes only the lines
    // it really has, leaving the rest of the budget to older files.
    let budget = options.backfillTotalLines;
    const plans: Array<{ file: FollowedFile; range: LineRange }> = [];
    for (const file of all) {
      const first = isFirst.has(file);
      const limit = first ? file.size : file.readOffset;
      const maxLines = Math.min(options.backfillLines, budget);
      const range = await file.withDescriptor('reading history of', (fd) => findLastLines(fd, limit, maxLines, buffer));
      // A first start tails from the end of the last complete line (from the end when unreadable).
      if (first) file.startAt(range === null ? file.size : range.end);
      if (range === null) continue;
      budget -= range.lines;
      if (range.lines > 0) plans.push({ file, range });
    }
    // Read oldest first, so the most recently written file's history is the newest in the buffer.
    for (const { file, range } of plans.reverse()) {
      const receivedAt = clock();
      await file.withDescriptor('reading history of', (fd) =>
        readLineRange(fd, range, options.maxLineBytes, buffer, (lines) => write(file.historyBatch(lines, receivedAt))),
      );
    }
  } finally {
    slots.release(buffer);
  }
}
