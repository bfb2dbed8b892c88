// Python `logging` output: the default `LEVEL:logger:msg`, `%(asctime)s - %(name)s - %(levelname)s -
// %(message)s`, `%(asctime)s %(levelname)s %(message)s`, Home Assistant's `%(asctime)s.%(msecs)03d
// %(levelname)s (%(threadName)s) [%(name)s] %(message)s` and oVirt vdsm's `thread::LEVEL::asctime::
// module::lineno::logger::(func) msg`. Tracebacks and multi-line messages follow unindented or
// indented, so any line that does not start like an entry continues the previous one.
import type { LogEntry } from '../../types.ts';
import { makeEntry, timeOrReceived, type FormatSpec, type ParseContext } from '../format.ts';
import { levelFromWord } from '../level.ts';
import { DialectParser, isoText, type Dialect } from '../variants.ts';

const LEVEL = '(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL|NOTSET)';
const ASCTIME = '(\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d:\\d\\d(?:[.,]\\d{1,6})?)';

function entry(ctx: ParseContext, line: string, ts: string | undefined, levelWord: string, message: string, metadata: Record<string, unknown>): LogEntry {
  const time = ts === undefined ? ctx.receivedAt : timeOrReceived(ctx, isoText(ts, ctx.time), ts, metadata);
  return makeEntry(ctx, time, levelFromWord(levelWord) ?? 'UNKNOWN', message, 'python', metadata, line);
}

const DIALECTS: readonly Dialect[] = [
  {
    // 2026-06-12 15:40:37.799 WARNING (SyncWorker_0) [homeassistant.loader] msg
    re: new RegExp(`^${ASCTIME} ${LEVEL} \\(([^)]*)\\) \\[([^\\]]*)\\] ?`),
    read: (m, line, ctx) => entry(ctx, line, m[1], m[2]!, line.slice(m[0].length), { logger: m[4], thread: m[3] }),
  },
  {
    // 2026-11-30 10:15:02,123 - db - ERROR - connection refused
    re: new RegExp(`^${ASCTIME} - (.+?) - ${LEVEL} - ?`),
    read: (m, line, ctx) => entry(ctx, line, m[1], m[3]!, line.slice(m[0].length), { logger: m[2] }),
  },
  {
    // WARNING:root:msg
    re: new RegExp(`^${LEVEL}:([^:\\s]*):`),
    read: (m, line, ctx) => entry(ctx, line, undefined, m[1]!, line.slice(m[0].length), { logger: m[2] }),
  },
  {
    // MainThread::INFO::2011-12-05 07:04:56,101::vdsm::71::vds::(run) msg
    re: new RegExp(`^([^:\\s]+)::${LEVEL}::${ASCTIME}::([^:]*)::(\\d+)::([^:]*)::\\(([^)]*)\\) ?`),
    read: (m, line, ctx) => entry(ctx, line, m[3], m[2]!, line.slice(m[0].length), {
      logger: m[6], thread: m[1], module: m[4], line: Number(m[5]), func: m[7],
    }),
  },
  {
    // 2025-09-26 21:12:39,384 DEBUG msg   (also `[DEBUG]`)
    re: new RegExp(`^${ASCTIME} \\[?${LEVEL}\\]?(?: |$)`),
    read: (m, line, ctx) => entry(ctx, line, m[1], m[2]!, line.slice(m[0].length), {}),
  },
];

export const pythonFormat: FormatSpec = {
  name: 'python',
  aliases: [],
  create: (ctx) => new DialectParser('python', 'any', DIALECTS, ctx),
};
