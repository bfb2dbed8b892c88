// Nginx error log: `2026/11/30 10:15:02 [error] 1234#5: *6 message` (local time, no zone).
import type { LogEntry } from '../../types.ts';
import { makeEntry, timeOrReceived, type FormatSpec, type LineParser, type ParseContext } from '../format.ts';
import { levelFromWord } from '../level.ts';

const LINE = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d) \[(\w+)\] (\d+)#(\d+): (?:\*(\d+) )?/;

class NginxErrorParser implements LineParser {
  readonly name = 'nginx-error';
  readonly multiline = 'any' as const;

  constructor(private readonly ctx: ParseContext) {}

  parse(line: string): LogEntry | null {
    const m = LINE.exec(line);
    if (m === null) return null;
    const metadata: Record<string, unknown> = { pid: Number(m[8]), tid: Number(m[9]) };
    if (m[10] !== undefined) metadata.connection_id = Number(m[10]);
    const written = this.ctx.time.fields(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), 0, NaN);
    const time = timeOrReceived(this.ctx, written, line.slice(0, 19), metadata);
    const level = levelFromWord(m[7]!) ?? 'UNKNOWN';
    return makeEntry(this.ctx, time, level, line.slice(m[0].length), 'nginx-error', metadata, line);
  }
}

export const nginxErrorFormat: FormatSpec = {
  name: 'nginx-error',
  aliases: [],
  create: (ctx) => new NginxErrorParser(ctx),
};
