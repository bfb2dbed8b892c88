// The file source tells the pipeline when it has handed over every line written so far (caughtUp), so
// that a held multi-line entry goes out after a short grace instead of its whole hold (issue 11); an
// unfinished last line is not "caught up" until it is finished.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../src/logger.ts';
import { filesSchema } from '../../src/sources/config.ts';
import { createFileSources } from '../../src/sources/index.ts';
import type { FileSources } from '../../src/sources/types.ts';
import type { LineBatch, LineSink } from '../../src/types.ts';
import { FAST, tempDir } from './harness.ts';

/** Records writes and caughtUp calls in order; `next()` resolves at the next caughtUp. */
class EventSink implements LineSink {
  readonly events: string[] = [];
  private waiter: (() => void) | undefined;
  write(batch: LineBatch): void {
    this.events.push(`write ${batch.lines.join(',')}`);
    batch.onCommit?.(0);
  }
  flush(): void {}
  caughtUp(source: string): void {
    this.events.push(`caughtUp ${source}`);
    this.waiter?.();
  }
  next(): Promise<void> {
    return new Promise((resolve) => (this.waiter = resolve));
  }
}

let sources: FileSources | undefined;
afterEach(async () => {
  await sources?.stop();
  sources = undefined;
});

describe('file sources, caughtUp', () => {
  it('follows the batch that reached the end of the file, and waits for an unfinished line', async () => {
    const dir = tempDir();
    const file = join(dir, 'app.log');
    writeFileSync(file, '');
    const sink = new EventSink();
    sources = createFileSources({
      watch: [join(dir, '*.log')], files: filesSchema.parse({ ...FAST, backfillLines: 0 }), stateDir: join(dir, 'state'),
      sink, logger: createMemoryLogger(), clock: Date.now, cwd: dir,
    });
    await sources.start();
    sink.events.length = 0;
    let caught = sink.next();
    appendFileSync(file, 'one\ntwo\n');
    await caught;
    expect(sink.events).toEqual(['write one,two', `caughtUp ${file}`]);
    sink.events.length = 0;
    caught = sink.next();
    // An unfinished line: nothing is handed over, so the reader is not caught up until the line is
    // emitted as it is, after files.partialLineTimeoutMs.
    appendFileSync(file, 'unfinished');
    await caught;
    expect(sink.events).toEqual(['write unfinished', `caughtUp ${file}`]);
  });
});
