// Android logcat, written from lnav's logcat_log definition as documentation: `threadtime`
// (`mm-dd hh:mm:ss.mmm [uid] pid tid L tag: msg`) and `brief`/`time` (`mm-dd hh:mm:ss.mmm L/tag( pid): msg`).
// No year is written: it is inferred like syslog's. The level is the letter (V D I W E F A).
import type { LogEntry } from '../../types.ts';
import { makeEntry, timeOrReceived, type FormatSpec, type ParseContext } from '../format.ts';
import { levelFromLetter } from '../level.ts';
import { DialectParser, type Dialect } from '../variants.ts';

function logcat(ctx: ParseContext, line: string, m: RegExpExecArray, letter: string, message: string, metadata: Record<string, unknown>): LogEntry {
  const t = ctx.time.yearless(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]!.slice(0, 3)), NaN);
  const time = timeOrReceived(ctx, t, m[0].slice(0, 18), metadata);
  return makeEntry(ctx, time, levelFromLetter(letter.charCodeAt(0)) ?? 'UNKNOWN', message, 'logcat', metadata, line);
}

const STAMP = '(\\d\\d)-(\\d\\d) (\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{3,6})';

const LOGCAT_DIALECTS: readonly Dialect[] = [
  {
    re: new RegExp(`^${STAMP}\\s+(?:(\\w+)\\s+)?(\\d+)\\s+(\\d+) ([VDIWEFA]) (?:([^:\\s][^:]*?)\\s*: )?`),
    read(m, line, ctx) {
      const metadata: Record<string, unknown> = { pid: Number(m[8]), tid: Number(m[9]) };
      if (m[7] !== undefined) metadata.uid = m[7];
      if (m[11] !== undefined) metadata.tag = m[11];
      return logcat(ctx, line, m, m[10]!, line.slice(m[0].length), metadata);
    },
  },
  {
    re: new RegExp(`^${STAMP} ([VDIWEFA])\\/([^(]+?)\\(\\s*(\\d+)\\): ?`),
    read: (m, line, ctx) => logcat(ctx, line, m, m[7]!, line.slice(m[0].length), { tag: m[8], pid: Number(m[9]) }),
  },
];

export const logcatFormat: FormatSpec = {
  name: 'logcat',
  aliases: ['logcat_log', 'android'],
  create: (ctx) => new DialectParser('logcat', 'none', LOGCAT_DIALECTS, ctx),
};
