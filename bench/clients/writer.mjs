// A log writer at a steady rate: appends lines of a data file to a target in a write every `tickMs`
// (rate × tickMs / 1000 lines each), looping over the data file, until killed. Prints how many lines
// it wrote when it gets SIGTERM.
//   node bench/clients/writer.mjs DATA TARGET LINES_PER_SECOND [TICK_MS]
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';

const [data, target, rateText, tickText] = process.argv.slice(2);
const rate = Number(rateText);
const tickMs = Number(tickText ?? 10);
const text = readFileSync(data, 'utf8');
// Up to 200 000 lines of the data file, as one buffer with line offsets.
const lines = text.split('\n', 200_000).filter((l) => l.length > 0).map((l) => `${l}\n`);
const fd = openSync(target, 'a');
let written = 0;
let next = 0;
const start = performance.now();
function tick() {
  const due = Math.floor(((performance.now() - start) / 1000) * rate);
  if (due > written) {
    let chunk = '';
    for (let n = due - written; n > 0; n--) {
      chunk += lines[next];
      next = (next + 1) % lines.length;
    }
    writeSync(fd, chunk);
    written = due;
  }
}
const timer = setInterval(tick, tickMs);
process.on('SIGTERM', () => {
  clearInterval(timer);
  closeSync(fd);
  const seconds = (performance.now() - start) / 1000;
  console.log(JSON.stringify({ written, seconds, rate: written / seconds }));
  process.exit(0);
});
