// Database servers' own logs, written from lnav's format definitions (postgres_log, vpostgres_log,
// mysql_slow_log, mysql_gen_log, redis_log) as documentation:
// - PostgreSQL, any `log_line_prefix` that starts with the time: `2025-08-13 01:45:01.123 PDT [12345]
//   user@db LOG:  msg`, `… [pid]: db=…,user=…,app=…,client=… LOG:`, RDS `…:client:user@db:[pid]:LOG:`.
//   The zone abbreviation is applied (time/zones.ts), the severity word mapped, the prefix's fields kept.
// - MySQL slow query log (`# Time: …` opens an entry, the rest of it follows) and general query log.
// - Redis 2.x and ≥ 3 (`pid:role dd Mon yyyy hh:mm:ss.mmm <level char> msg`) and its signal handler lines.
import type { Level, LogEntry } from '../../types.ts';
import { makeEntry, timeOrReceived, type FormatSpec, type ParseContext } from '../format.ts';
import { findTimestamp, newTimestampMatch, noteGuessedZone, parseTimeText } from '../time/timestamps.ts';
import { DialectParser, isoText, type Dialect } from '../variants.ts';

const PG_LEVELS: Readonly<Record<string, Level>> = {
  DEBUG: 'DEBUG', DEBUG1: 'DEBUG', DEBUG2: 'DEBUG', DEBUG3: 'DEBUG', DEBUG4: 'DEBUG', DEBUG5: 'DEBUG',
  INFO: 'INFO', NOTICE: 'INFO', LOG: 'INFO', STATEMENT: 'INFO', DETAIL: 'INFO', HINT: 'INFO', CONTEXT: 'INFO', QUERY: 'INFO', LOCATION: 'INFO',
  WARNING: 'WARNING', ERROR: 'ERROR', FATAL: 'CRITICAL', PANIC: 'CRITICAL',
};

/**
 * The time (`yyyy-mm-dd hh:mm:ss[.fff]` + zone) and, later in the prefix, the `[pid]` every prefix above writes
 * (else any `time … ERROR: msg` line would be taken for PostgreSQL's), then the severity and its colon.
 */
const PG = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{1,6})?(?: [A-Za-z][A-Za-z0-9+\-/_]{0,30}| [+-]\d\d(?::?\d\d)?)?)(?=.{0,240}?\[\d+(?:-\d+)?\])(.{0,240}?)(?<![A-Za-z])(DEBUG[1-5]?|INFO|NOTICE|WARNING|ERROR|LOG|FATAL|PANIC|STATEMENT|DETAIL|HINT|CONTEXT|QUERY|LOCATION): {1,2}(?:duration: (\d+(?:\.\d+)? \w+)\s*)?/;

const stamp = newTimestampMatch();

/** The fields PostgreSQL's prefix escapes write: `[pid]`, `[pid-line]`, `user@db`, `key=value,…`, `[queryid=…]`. */
function prefixFields(prefix: string, metadata: Record<string, unknown>): void {
  const pid = /\[(\d+)(?:-(\d+))?\]/.exec(prefix);
  if (pid !== null) {
    metadata.pid = Number(pid[1]);
    if (pid[2] !== undefined) metadata.session_line = Number(pid[2]);
  }
  const userDb = /(?:^|[\s:])([\w.-]*)@([\w.\-[\]]*)(?=[\s:]|$)/.exec(prefix);
  if (userDb !== null) {
    if (userDb[1] !== '') metadata.user = userDb[1];
    if (userDb[2] !== '') metadata.db_name = userDb[2];
  }
  for (const m of prefix.matchAll(/\b(db|user|app|client|queryid)=\[?([^,\]\s]*)\]?/g)) {
    const key = m[1] === 'db' ? 'db_name' : m[1] === 'queryid' ? 'query_id' : m[1]!;
    if (m[2] !== '' && metadata[key] === undefined) metadata[key] = m[2];
  }
  // RDS: `:client:user@db:[pid]:`.
  const rds = /^:([^:]*):/.exec(prefix);
  if (rds !== null && rds[1] !== '' && metadata.client === undefined) metadata.client = rds[1];
}

const postgres: Dialect = {
  re: PG,
  read(m, line, ctx) {
    const metadata: Record<string, unknown> = {};
    // The time with its zone (an abbreviation, an offset, or an unknown word kept as guessed).
    const written = m[1]!;
    let time = NaN;
    if (findTimestamp(line, 0, 1, ctx.time, stamp)) {
      time = stamp.time;
      noteGuessedZone(stamp, metadata);
    }
    // The prefix is what lies between the time and the severity; the zone word, if read, is not in it.
    const prefix = line.slice(stamp.end > 0 && time === time ? stamp.end : written.length, m.index + m[1]!.length + m[2]!.length);
    prefixFields(prefix, metadata);
    if (m[4] !== undefined) metadata.duration = m[4];
    const levelWord = m[3]!;
    metadata.severity = levelWord;
    time = timeOrReceived(ctx, time, written, metadata);
    return makeEntry(ctx, time, PG_LEVELS[levelWord] ?? 'UNKNOWN', line.slice(m[0].length), 'postgres', metadata, line);
  },
};

export const postgresFormat: FormatSpec = {
  name: 'postgres',
  aliases: ['postgresql', 'postgres_log'],
  // Statements continue on the lines after the one that names them.
  create: (ctx) => new DialectParser('postgres', 'any', [postgres], ctx),
};

/** `# Time: 2021-01-26T23:45:57.678222Z` or the 5.x `# Time: 170213 16:00:33` (yyMMdd). */
const SLOW = /^# Time: (?:(\d{4}-\d\d-\d\dT\S+)|(\d\d)(\d\d)(\d\d) +(\d{1,2}):(\d\d):(\d\d))\s*$/;

const mysqlSlow: Dialect = {
  re: SLOW,
  read(m, line, ctx) {
    const metadata: Record<string, unknown> = {};
    const t = m[1] !== undefined
      ? isoText(m[1], ctx.time)
      : ctx.time.fields(2000 + Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]), 0, NaN);
    const time = timeOrReceived(ctx, t, line.slice(8), metadata);
    // The entry is the query that follows (`# User@Host:`, `# Query_time:`, the statement): no level.
    return makeEntry(ctx, time, 'UNKNOWN', line, 'mysql-slow', metadata, line);
  },
};

export const mysqlSlowFormat: FormatSpec = {
  name: 'mysql-slow',
  aliases: ['mysql_slow_log'],
  create: (ctx) => new DialectParser('mysql-slow', 'any', [mysqlSlow], ctx),
};

const GENERAL = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}(?:Z|[+-]\d\d:\d\d))\s+(\d+) (Connect|Quit|Query|Init DB|Create DB|Drop DB|Field List|Refresh|Shutdown|Statistics|Processlist|Sleep|Prepare|Execute|Close stmt|Reset stmt|Change user|Binlog Dump|Connect Out)\t?(.*)$/;

const mysqlGeneral: Dialect = {
  re: GENERAL,
  read(m, line, ctx) {
    const metadata: Record<string, unknown> = { thread: Number(m[2]), command: m[3] };
    const time = timeOrReceived(ctx, isoText(m[1]!, ctx.time), m[1]!, metadata);
    // The general log records statements, not events: no severity.
    return makeEntry(ctx, time, 'UNKNOWN', m[4]!, 'mysql-general', metadata, line);
  },
};

export const mysqlGeneralFormat: FormatSpec = {
  name: 'mysql-general',
  aliases: ['mysql_gen_log'],
  create: (ctx) => new DialectParser('mysql-general', 'any', [mysqlGeneral], ctx),
};

/** Redis's level characters: `.` debug, `-` verbose, `*` notice, `#` warning. */
const REDIS_LEVELS: Readonly<Record<string, Level>> = { '.': 'DEBUG', '-': 'DEBUG', '*': 'INFO', '#': 'WARNING' };
const REDIS_ROLES: Readonly<Record<string, string>> = { X: 'sentinel', C: 'child', S: 'replica', M: 'master' };

function redisEntry(ctx: ParseContext, line: string, time: number, written: string, levelChar: string, message: string, metadata: Record<string, unknown>): LogEntry {
  return makeEntry(ctx, timeOrReceived(ctx, time, written, metadata), REDIS_LEVELS[levelChar] ?? 'UNKNOWN', message, 'redis', metadata, line);
}

const REDIS_DIALECTS: readonly Dialect[] = [
  {
    // 3.x and later: `1:M 29 Aug 2023 13:47:38.984 * msg`
    re: /^(\d+):([XCSM]) +(\d{1,2} [A-Za-z]{3} \d{4} \d\d:\d\d:\d\d\.\d{3}) +([.*#-]) (.*)$/,
    read: (m, line, ctx) => redisEntry(ctx, line, parseTimeText(m[3]!, ctx.time), m[3]!, m[4]!, m[5]!, { pid: Number(m[1]), role: REDIS_ROLES[m[2]!] }),
  },
  {
    // 2.x: `[3574] 13 Apr 12:52:30.731 # msg` (no year: inferred)
    re: /^\[(\d+)\] +(\d{1,2}) ([A-Za-z]{3}) (\d\d:\d\d:\d\d\.\d{3}) +([.*#-]) (.*)$/,
    read: (m, line, ctx) => redisEntry(ctx, line, parseTimeText(`${m[3]} ${m[2]} ${m[4]}`, ctx.time), `${m[2]} ${m[3]} ${m[4]}`, m[5]!, m[6]!, { pid: Number(m[1]) }),
  },
  {
    // `1:signal-handler (1693279182) Received SIGTERM scheduling shutdown...`
    re: /^(\d+):signal-handler \((\d{9,11})\) (.*)$/,
    read: (m, line, ctx) => {
      const metadata = { pid: Number(m[1]), role: 'signal-handler' };
      return makeEntry(ctx, Number(m[2]) * 1000, 'UNKNOWN', m[3]!, 'redis', metadata, line);
    },
  },
];

export const redisFormat: FormatSpec = {
  name: 'redis',
  aliases: ['redis_log'],
  create: (ctx) => new DialectParser('redis', 'none', REDIS_DIALECTS, ctx),
};
