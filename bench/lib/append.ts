// Writers that feed a watched file the way a logging process does.
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { Buffer } from 'node:buffer';

/** Appends the whole of `source` to `target` in `chunkBytes` writes, as fast as the disk cache takes them. */
export function appendFile(source: string, target: string, chunkBytes = 1 << 20): void {
  const input = openSync(source, 'r');
  const output = openSync(target, 'a');
  const buffer = Buffer.allocUnsafe(chunkBytes);
  try {
    for (let position = 0; ; ) {
      const n = readSync(input, buffer, 0, chunkBytes, position);
      if (n === 0) break;
      position += n;
      for (let done = 0; done < n; ) done += writeSync(output, buffer, done, n - done);
    }
  } finally {
    closeSync(input);
    closeSync(output);
  }
}
