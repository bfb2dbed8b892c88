// Web servers, proxies and load balancers beyond the Apache/Nginx layouts access.ts reads fast, written
// from lnav's format definitions (access_log variants, alb_log, elb_log, s3_log, uwsgi_log, openam_log)
// as documentation. The level is the HTTP status's, as for every access log in LogWatch: 5xx ERROR,
// 4xx WARNING, else INFO (lnav reads 4xx as error; LogWatch keeps a client's mistake a warning).
import type { Level, LogEntry } from '../../types.ts';
import { makeEntry, timeOrReceived, type FormatSpec, type ParseContext } from '../format.ts';
import { levelFromStatus, levelFromWord } from '../level.ts';
import { parseTimeText } from '../time/timestamps.ts';
import { DialectParser, isoText, type Dialect } from '../variants.ts';

function statusLevel(status: string | undefined): Level {
  const n = Number(status);
  return status !== undefined && Number.isInteger(n) ? levelFromStatus(n) : 'UNKNOWN';
}

function numberOr(text: string | undefined): unknown {
  if (text === undefined || text === '-') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

function request(metadata: Record<string, unknown>, method: string | undefined, path: string | undefined, protocol: string | undefined): string {
  metadata.method = method ?? null;
  metadata.path = path ?? null;
  metadata.protocol = protocol ?? null;
  return [method, path, protocol].filter((part) => part !== undefined).join(' ');
}

function web(ctx: ParseContext, line: string, format: string, written: string, time: number, level: Level, message: string, metadata: Record<string, unknown>): LogEntry {
  return makeEntry(ctx, timeOrReceived(ctx, time, written, metadata), level, message, format, metadata, line);
}

const ACCESS_VARIANTS: readonly Dialect[] = [
  {
    // lnav's ISO variant: `2013-02-11T06:43:36 10.112.72.172 - GET "/client/" -1 200 5778 "-" "agent"`
    re: /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?) (\S+) (\S+) ([A-Z]+) "?([^" ]+)"? (-?\d+(?:\.\d+)?) (\d{3}) (\d+|-)(?: "([^"]*)" "([^"]*)")?/,
    read(m, line, ctx) {
      const metadata: Record<string, unknown> = { ip: m[2], user: m[3] === '-' ? null : m[3], request_time: numberOr(m[6]), status: Number(m[7]), bytes: numberOr(m[8]) };
      if (m[9] !== undefined) Object.assign(metadata, { referer: m[9], user_agent: m[10] });
      const message = request(metadata, m[4], m[5], undefined);
      return web(ctx, line, 'access', m[1]!, isoText(m[1]!, ctx.time), statusLevel(m[7]), message, metadata);
    },
  },
  {
    // Loose common/combined: extra spaces, `[dd/Mon/yyyy hh:mm:ss]` without a zone (Python's http.server),
    // a request without a protocol, an empty referer.
    re: /^(?:(\S+) )?(\S+) +(\S+) +(\S+) +\[(\d\d\/\w{3}\/\d{4}[: ]\d\d:\d\d:\d\d(?: [+-]\d{4})?)\] "(?:([A-Z]+) (\S+)(?: (HTTP\/[\d.]+))?|[^"]*)" (\d{3}) (\d+|-)(?: "([^"]*)" "([^"]*)")?(.*)$/,
    read(m, line, ctx) {
      const metadata: Record<string, unknown> = {};
      if (m[1] !== undefined) metadata.vhost = m[1];
      Object.assign(metadata, { ip: m[2], ident: m[3] === '-' ? null : m[3], user: m[4] === '-' ? null : m[4], status: Number(m[9]), bytes: numberOr(m[10]) });
      if (m[11] !== undefined) Object.assign(metadata, { referer: m[11], user_agent: m[12] });
      const extra = m[13]!.trim();
      if (extra !== '') metadata.extra = extra;
      const message = request(metadata, m[6], m[7], m[8]);
      return web(ctx, line, 'access', m[5]!, parseTimeText(m[5]!, ctx.time), statusLevel(m[9]), message, metadata);
    },
  },
];

export const accessVariantsFormat: FormatSpec = {
  name: 'access-variants',
  aliases: [],
  create: (ctx) => new DialectParser('access', 'none', ACCESS_VARIANTS, ctx),
};

const QUOTED_REQUEST = '"(?:-|([A-Z]+|-) (\\S+) ([^" ]+)|[^"]*)"';

/** AWS load balancers: Classic ELB and ALB (`type time elb client:port target:port times… status…`). */
const ELB_DIALECTS: readonly Dialect[] = [
  {
    re: new RegExp(`^(?:(https?|h2|wss?|grpcs?) )?(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z) (\\S+) ([\\w.:]+):(\\d+) ([\\w.:]+|-)(?::(\\d+))? (-1|[\\d.]+) (-1|[\\d.]+) (-1|[\\d.]+) (\\d{3}|-) (\\d{3}|-) (\\d+) (\\d+) ${QUOTED_REQUEST} "([^"]*)"(.*)$`),
    read(m, line, ctx) {
      const metadata: Record<string, unknown> = {};
      if (m[1] !== undefined) metadata.type = m[1];
      Object.assign(metadata, {
        elb: m[3], client_ip: m[4], client_port: Number(m[5]), target_ip: m[6], target_port: numberOr(m[7]),
        request_processing_time: numberOr(m[8]), target_processing_time: numberOr(m[9]), response_processing_time: numberOr(m[10]),
        elb_status_code: numberOr(m[11]), target_status_code: numberOr(m[12]), received_bytes: Number(m[13]), sent_bytes: Number(m[14]),
        user_agent: m[18],
      });
      const rest = m[19]!.trim();
      if (rest !== '') metadata.extra = rest;
      const message = request(metadata, m[15], m[16], m[17]);
      // No status at all: the load balancer answered nothing (client closed, backend unreachable).
      const level: Level = m[11] === '-' ? 'ERROR' : statusLevel(m[11]);
      return web(ctx, line, m[1] === undefined ? 'aws-elb' : 'aws-alb', m[2]!, isoText(m[2]!, ctx.time), level, message, metadata);
    },
  },
];

export const awsElbFormat: FormatSpec = {
  name: 'aws-elb',
  aliases: ['aws-alb', 'elb_log', 'alb_log'],
  create: (ctx) => new DialectParser('aws-elb', 'none', ELB_DIALECTS, ctx),
};

/** S3 server access logs: `owner bucket [time] ip requester reqid op key "request" status error bytes size total turnaround "referer" "agent" …`. */
const S3 = /^(\S+) (\S+) \[([^\]]+)\] (\S+) (\S+) (\S+) (\S+) (\S+) "(?:([A-Z]+) (\S+) (\S+)|[^"]*)" (\d{3}|-) (\S+) (\d+|-) (\d+|-) (\d+|-) (\d+|-) "([^"]*)" "([^"]*)"(.*)$/;

export const awsS3Format: FormatSpec = {
  name: 'aws-s3',
  aliases: ['s3_log'],
  create: (ctx) => new DialectParser('aws-s3', 'none', [{
    re: S3,
    read(m, line, ctx2) {
      const metadata: Record<string, unknown> = {
        owner: m[1], bucket: m[2], ip: m[4], requester: m[5], request_id: m[6], operation: m[7], key: m[8],
        status: numberOr(m[12]), error_code: m[13] === '-' ? null : m[13], bytes: numberOr(m[14]), object_size: numberOr(m[15]),
        total_time: numberOr(m[16]), turn_around_time: numberOr(m[17]), referer: m[18], user_agent: m[19],
      };
      const rest = m[20]!.trim();
      if (rest !== '') metadata.extra = rest;
      const message = request(metadata, m[9], m[10], m[11]);
      return web(ctx2, line, 'aws-s3', m[3]!, parseTimeText(m[3]!, ctx2.time), statusLevel(m[12]), message, metadata);
    },
  }], ctx),
};

/** uWSGI request lines: `[pid: N|app: N|req: N/N] ip (user) {N vars in N bytes} [ctime] METHOD uri => generated … (HTTP/1.1 200) …`. */
const UWSGI = /^\[pid: (\d+)\|app: ([-\d]+)\|req: ([-\d]+)\/(\d+)\] (\S+) \(([^)]*)\) \{(\d+) vars in (\d+) bytes\} \[([^\]]+)\] ([A-Z]+) (\S+) => generated (\d+) bytes in (\d+ \w+) \((\S+) (\d{3})\)(.*)$/;

export const uwsgiFormat: FormatSpec = {
  name: 'uwsgi',
  aliases: ['uwsgi_log'],
  create: (ctx) => new DialectParser('uwsgi', 'none', [{
    re: UWSGI,
    read(m, line, ctx2) {
      const metadata: Record<string, unknown> = {
        pid: Number(m[1]), app: numberOr(m[2]), req: numberOr(m[3]), worker_reqs: Number(m[4]), ip: m[5], user: m[6] === '' ? null : m[6],
        vars: Number(m[7]), request_bytes: Number(m[8]), bytes: Number(m[12]), runtime: m[13], status: Number(m[15]),
      };
      const message = request(metadata, m[10], m[11], m[14]);
      return web(ctx2, line, 'uwsgi', m[9]!, parseTimeText(m[9]!, ctx2.time), statusLevel(m[15]), message, metadata);
    },
  }], ctx),
};

/** OpenAM's flat-file logs: a quoted time, then space-separated (possibly quoted, `""`-escaped) columns. */
const OPENAM_FIELDS = ['data', 'loginid', 'contextid', 'ipaddr', 'level', 'domain', 'loggedby', 'messageid', 'modulename', 'nameid', 'hostname'];
const COLUMN = /\s*("(?:[^"]|"")*"|[^ "]+)/y;

export const openamFormat: FormatSpec = {
  name: 'openam',
  aliases: ['openam_log'],
  create: (ctx) => new DialectParser('openam', 'none', [{
    // All eleven columns after the time, or it is some other line opening with a quoted time.
    re: /^"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)"\s(?=\s*(?:"(?:[^"]|"")*"|[^\s"]+)(?:\s+(?:"(?:[^"]|"")*"|[^\s"]+)){10})/,
    read(m, line, ctx2) {
      const metadata: Record<string, unknown> = {};
      COLUMN.lastIndex = m[0].length - 1;
      for (const name of OPENAM_FIELDS) {
        const c = COLUMN.exec(line);
        if (c === null) break;
        const value = c[1]!;
        metadata[name] = value.startsWith('"') ? value.slice(1, -1).replaceAll('""', '"') : value;
      }
      const message = line.slice(COLUMN.lastIndex).trim() || String(metadata.data ?? '');
      const levelWord = String(metadata.level ?? '');
      const level = levelFromWord(levelWord) ?? 'UNKNOWN';
      return web(ctx2, line, 'openam', m[1]!, parseTimeText(m[1]!, ctx2.time), level, message, metadata);
    },
  }], ctx),
};
