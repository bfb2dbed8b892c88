// Linux kernel ring buffer as dmesg prints it: `[ 1234.567890] msg`, with `-x` the facility and level
// (`kern  :err   : [ 1234.567890] msg`), raw `<3>[ 1234.567890] msg`, and with `-T` a wall-clock time
// (`[Mon Nov 30 10:15:02 2026] msg`). Seconds since boot are no wall-clock time: those entries keep
// their receive time and the uptime in metadata. (kern.log lines are syslog and parse as syslog.)
import type { Level, LogEntry } from '../../types.ts';
import { makeEntry, timeOrReceived, type FormatSpec, type LineParser, type ParseContext } from '../format.ts';
import { levelFromSyslogSeverity, levelFromWord } from '../level.ts';
import { monthFromName } from '../time/calendar.ts';

const UPTIME = /^(?:<(\d)>)?(?:([a-z0-9]+) *:([a-z]+) *: )?\[ *(\d+\.\d+)\] ?/;
const WALL = /^\[(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d) (\d{4})\] /;

class KernelParser implements LineParser {
  readonly name = 'kernel';
  readonly multiline = 'indented' as const;

  constructor(private readonly ctx: ParseContext) {}

  parse(line: string): LogEntry | null {
    const u = UPTIME.exec(line);
    if (u !== null) {
      const metadata: Record<string, unknown> = { uptime: Number(u[4]) };
      let level: Level = 'UNKNOWN';
      if (u[1] !== undefined) level = levelFromSyslogSeverity(Number(u[1]));
      if (u[2] !== undefined) {
        metadata.facility = u[2];
        level = levelFromWord(u[3]!) ?? level;
      }
      return makeEntry(this.ctx, this.ctx.receivedAt, level, line.slice(u[0].length), 'kernel', metadata, line);
    }
    const w = WALL.exec(line);
    if (w === null) return null;
    const metadata: Record<string, unknown> = {};
    const written = this.ctx.time.fields(Number(w[6]), monthFromName(w[1]!), Number(w[2]), Number(w[3]), Number(w[4]), Number(w[5]), 0, NaN);
    const time = timeOrReceived(this.ctx, written, line.slice(1, w[0].length - 2), metadata);
    return makeEntry(this.ctx, time, 'UNKNOWN', line.slice(w[0].length), 'kernel', metadata, line);
  }
}

export const kernelFormat: FormatSpec = {
  name: 'kernel',
  aliases: ['dmesg'],
  create: (ctx) => new KernelParser(ctx),
};
