// System tools' logs, written from lnav's format definitions (sssd_log, strace_log, cups_log,
// tcsh_history, tcf_log) as documentation:
// - SSSD: `(Tue Mar 31 06:03:46 2015) [sssd[be[default]]] [function] (0x0400): msg` and the newer
//   `(2022-06-08  8:52:40): [be[…]] [function] (0x0040): msg`; the debug-level bits are the level.
// - strace with -t/-tt/-ttt (and -f pids): a syscall that returns an errno is an error.
// - CUPS error_log: `E [04/Nov/2010:17:37:40 -0400] msg`, a letter for the level.
// - tcsh history with timestamps: `#+1375138067` then the command.
// - TCF protocol logs: `TCF 29:47.191: …` (minutes and seconds only: the receive hour applies).
import type { Level, LogEntry } from '../../types.ts';
import { makeEntry, timeOrReceived, type FormatSpec, type ParseContext } from '../format.ts';
import { levelFromLetter } from '../level.ts';
import { epochToMs } from '../time/epoch.ts';
import { parseTimeText } from '../time/timestamps.ts';
import { DialectParser, type Dialect } from '../variants.ts';

/** SSSD debug levels (sssd.conf(5) `debug_level` bit masks). */
function sssdLevel(bits: number): Level {
  if (bits <= 0x0010) return 'CRITICAL'; // fatal failures
  if (bits <= 0x0020) return 'CRITICAL'; // critical failures
  if (bits <= 0x0040) return 'ERROR'; // serious failures
  if (bits <= 0x0080) return 'WARNING'; // minor failures
  return bits <= 0x0100 ? 'INFO' : 'DEBUG'; // configuration, then function data and tracing
}

function sssd(ctx: ParseContext, line: string, written: string, service: string, fn: string, bits: string, message: string): LogEntry {
  const metadata: Record<string, unknown> = { service, function: fn, debug_level: bits };
  const module = /^(\w+)(\[.*\])$/.exec(service);
  if (module !== null) {
    metadata.service = module[1];
    metadata.module = module[2];
  }
  // `Tue Jul 14 11:01:17:259149 2020`: the microseconds follow a colon.
  const text = written.replace(/(\d\d:\d\d:\d\d):(\d{6})/, '$1.$2').replace(/ {2}(\d):/, ' 0$1:');
  const time = timeOrReceived(ctx, parseTimeText(text, ctx.time), written, metadata);
  return makeEntry(ctx, time, sssdLevel(parseInt(bits, 16)), message, 'sssd', metadata, line);
}

const SSSD_DIALECTS: readonly Dialect[] = [
  {
    re: /^\((\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d(?:[.:]\d{6})? \d{4})\) \[([^\]\s]+(?:\]+)?)\] \[(\w+)\] \((0x[0-9a-fA-F]{4})\): (.*)$/,
    read: (m, line, ctx) => sssd(ctx, line, m[1]!, m[2]!, m[3]!, m[4]!, m[5]!),
  },
  {
    re: /^\((\d{4}-\d\d-\d\d [ \d]\d:\d\d:\d\d(?:[.:]\d{6})?)\): \[([^\]\s]+(?:\]+)?)\] \[(\w+)\] \((0x[0-9a-fA-F]{4})\): (.*)$/,
    read: (m, line, ctx) => sssd(ctx, line, m[1]!, m[2]!, m[3]!, m[4]!, m[5]!),
  },
];

export const sssdFormat: FormatSpec = {
  name: 'sssd',
  aliases: ['sssd_log'],
  create: (ctx) => new DialectParser('sssd', 'announced', SSSD_DIALECTS, ctx),
};

/** `[pid N] ` or `N ` (strace -f), then `hh:mm:ss.uuuuuu` (-tt) or `seconds.uuuuuu` (-ttt). */
// Only a syscall, a resumption, a signal or an exit after the time: `10:00:00.123456 INFO …` is no strace line.
const STRACE_HEAD = /^(?:(?:\[pid +)?(\d+)\]? +)?(\d\d:\d\d:\d\d\.\d{6}|\d{9,11}\.\d{6}) (?=\w+\(|<\.\.\. |--- |\+\+\+ )/;
const STRACE_RESULT = /\)\s+=\s+(-?\w+|\?)(?:\s?\([^)]*\)|\s?<[^>]*>)?(?: ([A-Z][A-Z0-9_]+) \([^)]*\))?(?: <(\d+\.\d+)>)?$/;

const strace: Dialect = {
  re: STRACE_HEAD,
  read(m, line, ctx) {
    const metadata: Record<string, unknown> = {};
    if (m[1] !== undefined) metadata.pid = Number(m[1]);
    const written = m[2]!;
    const time = written.charCodeAt(2) === 58
      ? parseTimeText(written, ctx.time)
      : epochToMs(Number(written));
    const body = line.slice(m[0].length);
    const call = /^(?:<\.\.\. )?(\w+)(?:\(| resumed>)/.exec(body);
    if (call !== null) metadata.syscall = call[1];
    const result = STRACE_RESULT.exec(body);
    let level: Level = 'UNKNOWN';
    if (result !== null) {
      metadata.rc = result[1];
      if (result[2] !== undefined) {
        metadata.errno = result[2];
        level = 'ERROR';
      }
      if (result[3] !== undefined) metadata.duration = Number(result[3]);
    }
    return makeEntry(ctx, timeOrReceived(ctx, time, written, metadata), level, body, 'strace', metadata, line);
  },
};

export const straceFormat: FormatSpec = {
  name: 'strace',
  aliases: ['strace_log'],
  create: (ctx) => new DialectParser('strace', 'none', [strace], ctx),
};

/** CUPS's level letters beyond the usual ones: `N` notice, `X` emergency, `C` critical, `A` alert. */
function cupsLevel(letter: string): Level {
  switch (letter) {
    case 'N': return 'INFO';
    case 'X': case 'C': case 'A': return 'CRITICAL';
    default: return levelFromLetter(letter.charCodeAt(0)) ?? 'UNKNOWN';
  }
}

const cups: Dialect = {
  re: /^([DIWENXCAd]) \[(\d\d\/\w{3,8}\/\d{4}:\d\d:\d\d:\d\d [+-]\d{2,4})\] (?:(\w+): )?/,
  read(m, line, ctx) {
    const metadata: Record<string, unknown> = {};
    if (m[3] !== undefined) metadata.section = m[3];
    const time = timeOrReceived(ctx, parseTimeText(m[2]!, ctx.time), m[2]!, metadata);
    return makeEntry(ctx, time, cupsLevel(m[1]!), line.slice(m[0].length - (m[3] === undefined ? 0 : m[3].length + 2)), 'cups', metadata, line);
  },
};

export const cupsFormat: FormatSpec = {
  name: 'cups',
  aliases: ['cups_log'],
  create: (ctx) => new DialectParser('cups', 'none', [cups], ctx),
};

/** tcsh's `#+<epoch>` line; the command on the next line joins it. */
const tcsh: Dialect = {
  re: /^#\+(\d{9,11})$/,
  read: (m, line, ctx) => makeEntry(ctx, Number(m[1]) * 1000, 'UNKNOWN', '', 'tcsh-history', {}, line),
};

export const tcshHistoryFormat: FormatSpec = {
  name: 'tcsh-history',
  aliases: ['tcsh_history'],
  create: (ctx) => new DialectParser('tcsh-history', 'any', [tcsh], ctx),
};

/** `TCF mm:ss.fff: …`: the hour is the receive time's (TCF writes none), in the source's zone. */
const tcf: Dialect = {
  re: /^TCF (\d\d):(\d\d)\.(\d{3})\d{0,3}: /,
  read(m, line, ctx) {
    const now = new Date(ctx.receivedAt + ctx.time.offsetAt(ctx.receivedAt) * 60_000);
    const t = ctx.time.timeOfDay(now.getUTCHours(), Number(m[1]), Number(m[2]), Number(m[3]), NaN);
    const metadata: Record<string, unknown> = {};
    const message = line.slice(m[0].length);
    const dir = /^\w+: (--->|<---) (\w)(?: (\w+))?/.exec(message);
    if (dir !== null) {
      metadata.dir = dir[1];
      metadata.type = dir[2];
      if (dir[3] !== undefined) metadata.token = dir[3];
    }
    return makeEntry(ctx, timeOrReceived(ctx, t, `${m[1]}:${m[2]}.${m[3]}`, metadata), 'UNKNOWN', message, 'tcf', metadata, line);
  },
};

export const tcfFormat: FormatSpec = {
  name: 'tcf',
  aliases: ['tcf_log'],
  create: (ctx) => new DialectParser('tcf', 'none', [tcf], ctx),
};
