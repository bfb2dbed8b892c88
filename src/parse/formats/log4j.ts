// Java logging through log4j/logback/JUL layouts: the common pattern layouts, Spring Boot's default,
// Kafka's `[%d] %p %m (%c)`, ZooKeeper's `%d - %-5p [%t:%C{1}@%L] - %m`, and the Hadoop family (HDFS
// `yyMMdd HHmmss`, Spark `yy/MM/dd HH:mm:ss`). Stack traces (`\tat ...`, `Caused by:`) follow.
import type { LogEntry } from '../../types.ts';
import { makeEntry, timeOrReceived, type FormatSpec, type ParseContext } from '../format.ts';
import { levelFromWord } from '../level.ts';
import { digitsAt } from '../digits.ts';
import type { TimeResolver } from '../time/resolver.ts';
import { DialectParser, isoText, type Dialect } from '../variants.ts';

const LEVEL = '(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|SEVERE|FINE|FINER|FINEST|CONFIG)';
const TS = '(\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d:\\d\\d(?:[.,]\\d{1,9})?(?:Z|[+-]\\d\\d:?\\d\\d)?|\\d\\d:\\d\\d:\\d\\d[.,]\\d{3})';

/** `yyMMdd HHmmss`, `yy/MM/dd HH:mm:ss`, `HH:mm:ss.SSS` (today) or ISO-like. */
function readTime(text: string, r: TimeResolver): number {
  if (text.length === 13 && text.charCodeAt(6) === 32) {
    const yy = digitsAt(text, 0, 2);
    return r.fields(2000 + yy, digitsAt(text, 2, 2), digitsAt(text, 4, 2), digitsAt(text, 7, 2), digitsAt(text, 9, 2), digitsAt(text, 11, 2), 0, NaN);
  }
  if (text.length === 17 && text.charCodeAt(2) === 47) {
    const yy = digitsAt(text, 0, 2);
    return r.fields(2000 + yy, digitsAt(text, 3, 2), digitsAt(text, 6, 2), digitsAt(text, 9, 2), digitsAt(text, 12, 2), digitsAt(text, 15, 2), 0, NaN);
  }
  if (text.charCodeAt(2) === 58) {
    return r.timeOfDay(digitsAt(text, 0, 2), digitsAt(text, 3, 2), digitsAt(text, 6, 2), digitsAt(text, 9, 3), NaN);
  }
  return isoText(text, r);
}

function entry(ctx: ParseContext, line: string, ts: string, levelWord: string, message: string, metadata: Record<string, unknown>): LogEntry {
  const time = timeOrReceived(ctx, readTime(ts, ctx.time), ts, metadata);
  return makeEntry(ctx, time, levelFromWord(levelWord) ?? 'UNKNOWN', message, 'log4j', metadata, line);
}

function trimmed(text: string | undefined): string | undefined {
  return text === undefined ? undefined : text.trim();
}

const DIALECTS: readonly Dialect[] = [
  {
    // 2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.MRAppMaster: msg
    // 2025-01-24T07:00:30,139 INFO [main                     ] FarmApplication          : msg
    re: new RegExp(`^${TS} +${LEVEL} +\\[(.*?)\\] +([^\\s:]+) *: ?`),
    read: (m, line, ctx) => entry(ctx, line, m[1]!, m[2]!, line.slice(m[0].length), { logger: m[4], thread: trimmed(m[3]) }),
  },
  {
    // [2016-12-19 18:01:53,612] TRACE [Controller 0]: msg (kafka.controller.KafkaController)
    re: new RegExp(`^\\[${TS}\\] ${LEVEL} `),
    read: (m, line, ctx) => {
      const metadata: Record<string, unknown> = {};
      let message = line.slice(m[0].length);
      const logger = / \(([\w.$-]+)\)$/.exec(message);
      if (logger !== null) {
        metadata.logger = logger[1];
        message = message.slice(0, message.length - logger[0].length);
      }
      return entry(ctx, line, m[1]!, m[2]!, message, metadata);
    },
  },
  {
    // 2023-11-30T10:15:02.123+01:00  INFO 12345 --- [app] [           main] o.s.b.Application : msg
    re: new RegExp(`^${TS} +${LEVEL} +(\\d+) --- (?:\\[([^\\]]*)\\] )?\\[ *([^\\]]*)\\] +([^\\s:]+) *: ?`),
    read: (m, line, ctx) => {
      const metadata: Record<string, unknown> = { logger: m[6], thread: m[5], pid: Number(m[3]) };
      if (m[4] !== undefined) metadata.application = m[4];
      return entry(ctx, line, m[1]!, m[2]!, line.slice(m[0].length), metadata);
    },
  },
  {
    // 2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0.0.0.0:2181:FastLeaderElection@774] - msg
    re: new RegExp(`^${TS} - ${LEVEL} +\\[(.*?)\\] - ?`),
    read: (m, line, ctx) => {
      const where = m[3]!;
      const metadata: Record<string, unknown> = {};
      const at = /:([\w$.]+)@(\d+)$/.exec(where);
      if (at !== null) {
        metadata.thread = where.slice(0, where.length - at[0].length);
        metadata.logger = at[1];
        metadata.line = Number(at[2]);
      } else metadata.thread = where;
      return entry(ctx, line, m[1]!, m[2]!, line.slice(m[0].length), metadata);
    },
  },
  {
    // 2026-11-30 10:15:02,123 [main] ERROR com.x.Y - msg   (log4j `%d [%t] %-5p %c - %m`)
    re: new RegExp(`^${TS} \\[(.*?)\\] ${LEVEL} +(\\S+) +- ?`),
    read: (m, line, ctx) => entry(ctx, line, m[1]!, m[3]!, line.slice(m[0].length), { logger: m[4], thread: m[2] }),
  },
  {
    // 081109 203615 148 INFO dfs.DataNode$PacketResponder: msg   (HDFS)
    re: new RegExp(`^(\\d{6} \\d{6}) (\\d+) ${LEVEL} ([^\\s:]+): ?`),
    read: (m, line, ctx) => entry(ctx, line, m[1]!, m[3]!, line.slice(m[0].length), { logger: m[4], pid: Number(m[2]) }),
  },
  {
    // 17/06/09 20:10:40 INFO executor.CoarseGrainedExecutorBackend: msg   (Spark)
    re: new RegExp(`^(\\d\\d/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d) ${LEVEL} ([^\\s:]+): ?`),
    read: (m, line, ctx) => entry(ctx, line, m[1]!, m[2]!, line.slice(m[0].length), { logger: m[3] }),
  },
  {
    // 10:15:02,123 ERROR [org.jboss.as] (MSC service thread 1-2) msg   (JBoss/WildFly)
    re: new RegExp(`^${TS} +${LEVEL} +\\[([^\\]]+)\\] \\(([^)]*)\\) ?`),
    read: (m, line, ctx) => entry(ctx, line, m[1]!, m[2]!, line.slice(m[0].length), { logger: m[3], thread: m[4] }),
  },
];

export const log4jFormat: FormatSpec = {
  name: 'log4j',
  aliases: ['logback', 'java'],
  create: (ctx) => new DialectParser('log4j', 'any', DIALECTS, ctx),
};
