// Baseline: Node's `readline` over a file stream, counting lines (what "reading lines" costs with the
// standard library). Prints {"lines":N,"ms":T}; T excludes runtime start-up.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

const start = performance.now();
const rl = createInterface({ input: createReadStream(process.argv[2]), crlfDelay: Infinity });
let lines = 0;
for await (const line of rl) if (line.length >= 0) lines++;
console.log(JSON.stringify({ lines, ms: performance.now() - start }));
