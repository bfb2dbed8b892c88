// Apache httpd error log: 2.2 `[Sun Dec 04 04:47:44 2005] [error] [client 1.2.3.4] msg` and 2.4
// `[Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 35708:tid 4328636416] [client 1.2.3.4:5] AH00124: msg`.
import type { LogEntry } from '../../types.ts';
import { makeEntry, timeOrReceived, type FormatSpec, type LineParser, type ParseContext } from '../format.ts';
import { levelFromWord } from '../level.ts';
import { monthFromName } from '../time/calendar.ts';

const LINE = /^\[(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))? (\d{4})\] \[(?:([\w-]+):)?(\w+)\] (?:\[pid (\d+)(?::tid (\d+))?\] )?(?:\[client ([^\]]+)\] )?/;

class ApacheErrorParser implements LineParser {
  readonly name = 'apache-error';
  readonly multiline = 'any' as const;

  constructor(private readonly ctx: ParseContext) {}

  parse(line: string): LogEntry | null {
    const m = LINE.exec(line);
    if (m === null) return null;
    const metadata: Record<string, unknown> = {};
    if (m[8] !== undefined) metadata.module = m[8];
    if (m[10] !== undefined) metadata.pid = Number(m[10]);
    if (m[11] !== undefined) metadata.tid = Number(m[11]);
    if (m[12] !== undefined) metadata.client = m[12];
    const ms = m[6] === undefined ? 0 : Math.floor(Number(`0.${m[6]}`) * 1000);
    const written = this.ctx.time.fields(Number(m[7]), monthFromName(m[1]!), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), ms, NaN);
    const time = timeOrReceived(this.ctx, written, line.slice(1, line.indexOf(']')), metadata);
    const level = levelFromWord(m[9]!) ?? 'UNKNOWN';
    return makeEntry(this.ctx, time, level, line.slice(m[0].length), 'apache-error', metadata, line);
  }
}

export const apacheErrorFormat: FormatSpec = {
  name: 'apache-error',
  aliases: [],
  create: (ctx) => new ApacheErrorParser(ctx),
};
