// Baseline: read 64 KiB chunks, find each `\n` byte and decode the line before it to a string (the
// floor of splitting lines in JavaScript: what LogWatch's tailer must do at least). With `--json`,
// also JSON.parse every line (the floor of JSON lines). Prints {"lines":N,"ms":T}; T excludes start-up.
import { closeSync, openSync, readSync } from 'node:fs';

const path = process.argv[2];
const json = process.argv.includes('--json');
const start = performance.now();
const fd = openSync(path, 'r');
const chunk = Buffer.allocUnsafe(64 * 1024);
let carry = null;
let lines = 0;
let sink = 0;
let position = 0;
for (;;) {
  const n = readSync(fd, chunk, 0, chunk.length, position);
  if (n === 0) break;
  position += n;
  let buf = chunk.subarray(0, n);
  if (carry !== null) {
    buf = Buffer.concat([carry, buf]);
    carry = null;
  }
  let p = 0;
  for (;;) {
    const nl = buf.indexOf(10, p);
    if (nl < 0) break;
    const line = buf.toString('utf8', p, nl);
    if (json) sink += JSON.parse(line) === null ? 1 : 0;
    else sink += line.length;
    lines++;
    p = nl + 1;
  }
  if (p < buf.length) carry = Buffer.from(buf.subarray(p));
}
closeSync(fd);
const ms = performance.now() - start;
if (sink < 0) console.error(sink);
console.log(JSON.stringify({ lines, ms }));
