// Rule evaluation cost of the linear-time engine (re2js) against V8's RegExp, on ordinary lines.
// The literal prefilter (src/alerts/matcher.ts) skips the regex for most lines, so the engine mostly
// matters for patterns without a required literal. Run: node bench/rule-regex.ts [--lines N]
import { EntryMatcher, MatchContext } from '../src/alerts/matcher.ts';
import type { LogEntry } from '../src/types.ts';

const N = Number(process.argv[process.argv.indexOf('--lines') + 1]) || 200_000;
const entries: LogEntry[] = [];
for (let i = 0; i < N; i++) {
  const message = i % 97 === 0 ? `connection refused by host-${i % 7}` : `request ${i} served in ${i % 100} ms from host-${i % 7} user=${i}`;
  entries.push({ id: i, timestamp: 0, receivedAt: 0, level: i % 13 === 0 ? 'ERROR' : 'INFO', source: 'app', message, raw: message, metadata: {} } as unknown as LogEntry);
}

const PATTERNS = ['connection failed|connection refused', 'timeout', 'error \\d+', 'OutOfMemory|panic', '(a+)+$'];
for (const pattern of PATTERNS) {
  const matcher = new EntryMatcher({ pattern });
  const ctx = new MatchContext();
  let t = performance.now();
  let hits = 0;
  for (const e of entries) {
    ctx.reset(e);
    if (matcher.matches(e, ctx)) hits++;
  }
  const safe = performance.now() - t;
  const native = new RegExp(pattern, 'i');
  t = performance.now();
  let nativeHits = 0;
  for (const e of entries) if (native.test(e.message)) nativeHits++;
  const v8 = performance.now() - t;
  const rate = (ms: number) => `${((N / ms) * 1000 / 1e6).toFixed(2)} M lines/s`;
  console.log(`${pattern.padEnd(38)} matcher (re2js + prefilter) ${rate(safe).padStart(16)}   V8 RegExp alone ${rate(v8).padStart(16)}   hits ${hits}/${nativeHits}`);
}
