// Go glog / Kubernetes klog: `E1130 10:15:02.123456 1234 file.go:42] message` (no year unless the
// writer was built with year-in-prefix: `E20261130 ...`).
import type { LogEntry } from '../../types.ts';
import { makeEntry, timeOrReceived, type FormatSpec, type LineParser, type ParseContext } from '../format.ts';
import { levelFromLetter } from '../level.ts';

const LINE = /^([IWEF])(\d{4})?(\d\d)(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))? +(\d+) ([^:\]\s]+)(?::(\d+))?\] ?/;

class GlogParser implements LineParser {
  readonly name = 'glog';
  readonly multiline = 'any' as const;

  constructor(private readonly ctx: ParseContext) {}

  parse(line: string): LogEntry | null {
    const m = LINE.exec(line);
    if (m === null) return null;
    const metadata: Record<string, unknown> = { thread_id: Number(m[9]), file: m[10] };
    if (m[11] !== undefined) metadata.line = Number(m[11]);
    const ms = m[8] === undefined ? 0 : Math.floor(Number(`0.${m[8]}`) * 1000);
    const r = this.ctx.time;
    const mo = Number(m[3]);
    const d = Number(m[4]);
    const h = Number(m[5]);
    const mi = Number(m[6]);
    const s = Number(m[7]);
    const written = m[2] === undefined ? r.yearless(mo, d, h, mi, s, ms, NaN) : r.fields(Number(m[2]), mo, d, h, mi, s, ms, NaN);
    const time = timeOrReceived(this.ctx, written, line.slice(1, line.indexOf(' ', 6)), metadata);
    return makeEntry(this.ctx, time, levelFromLetter(line.charCodeAt(0)) ?? 'UNKNOWN', line.slice(m[0].length), 'glog', metadata, line);
  }
}

export const glogFormat: FormatSpec = {
  name: 'glog',
  aliases: ['klog'],
  create: (ctx) => new GlogParser(ctx),
};
