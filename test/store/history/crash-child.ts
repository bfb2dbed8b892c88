// Run by crash.test.ts as a separate process that gets SIGKILLed while writing: appends batches of
// entries numbered from argv[3] to the history in argv[2] and prints "ack <last id>" after each flush()
// resolved (what history acknowledged). Seals small segments often, so a kill lands in every phase.
import { HistoryStore } from '../../../src/store/history/store.ts';

const [dir, startArg] = process.argv.slice(2);
const store = await HistoryStore.open({
  dir,
  clock: () => Date.now(),
  maxAgeMs: 86_400_000,
  maxBytes: 1 << 30,
  segmentBytes: 16_000,
  blockBytes: 3000,
  segmentAgeMs: 30,
  flushIntervalMs: 5,
});
let id = Number(startArg);
let seed = id;
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
process.stdout.write('ready\n');
for (;;) {
  const n = 1 + Math.floor(rand() * 60);
  const batch = [];
  for (let i = 0; i < n; i++, id++) {
    batch.push({ id, time: Date.now(), receivedAt: Date.now(), level: 'INFO' as const, source: 'crash', format: 'generic', message: `entry ${id}`, raw: `entry ${id} ${'x'.repeat(Math.floor(rand() * 200))}`, metadata: {} });
  }
  store.append(batch);
  await store.flush();
  process.stdout.write(`ack ${id - 1}\n`);
}
