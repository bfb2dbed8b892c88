// HAProxy's logs as syslog writes them to files (`Feb 26 00:29:44 host haproxy[7]: …`), written from
// lnav's haproxy_log definition as documentation: the HTTP and TCP log formats, SSL handshake failures
// and the proxy start/stop events, each field in metadata under lnav's name. The syslog header is read
// by the syslog parser; the level is the HTTP status's (5xx ERROR, 4xx WARNING, else INFO), UNKNOWN for
// lines that carry none. A header without a year takes it from the accept date when both are the same day.
import type { Level, LogEntry } from '../../types.ts';
import { makeEntry, type FormatSpec, type LineParser, type ParseContext } from '../format.ts';
import { levelFromStatus } from '../level.ts';
import { syslogFormat } from './syslog.ts';

const CLIENT = '(?<client_ip>[^: ]+|\\[[^\\]]+\\]):(?<client_port>\\d+) \\[(?<accept_date>\\d\\d\\/\\w{3}\\/\\d{4}:\\d\\d:\\d\\d:\\d\\d\\.\\d{3})\\] ';
const CONNS = '(?<actconn>\\d+)\\/(?<feconn>\\d+)\\/(?<beconn>\\d+)\\/(?<srv_conn>\\d+)\\/\\+?(?<retries>\\d+) (?<srv_queue>\\d+)\\/(?<backend_queue>\\d+)';

const SHAPES: readonly RegExp[] = [
  new RegExp(`^${CLIENT}(?<frontend_name>\\S+?)(?<ssl>~)? (?<backend_name>\\S+)\\/(?<server_name>\\S+) (?<tq>-?\\d+)\\/(?<tw>-?\\d+)\\/(?<tc>-?\\d+)\\/(?<tr>-?\\d+)\\/\\+?(?<tt>\\d+) (?<status_code>\\d{3}|-1) \\+?(?<bytes_read>\\d+) (?<captured_request_cookie>\\S+) (?<captured_response_cookie>\\S+) (?<termination_state>\\S{4}) ${CONNS}(?: \\{(?<captured_request_headers>[^}]*)\\})?(?: \\{(?<captured_response_headers>[^}]*)\\})? "(?<http_method>[A-Z<>]+)(?: (?<http_url>.*?))?(?: (?<http_version>HTTP\\/\\d+(?:\\.\\d+)?))?"?$`),
  new RegExp(`^${CLIENT}(?<frontend_name>\\S+) (?<backend_name>\\S+)\\/(?<server_name>\\S+) (?<tw>-?\\d+)\\/(?<tc>-?\\d+)\\/\\+?(?<tt>\\d+) \\+?(?<bytes_read>\\d+) (?<termination_state>\\S{2}) ${CONNS}$`),
  new RegExp(`^${CLIENT}(?<frontend_name>\\S+)\\/(?<bind_name>\\S+): (?<ssl_error>.+)$`),
  /^Proxy (?<frontend_name>\S+) started\.$/,
  /^Stopping (?:frontend|backend|proxy) (?<frontend_name>\S+) in (?<stopping_timeout>\d+) ms\.$/,
  /^Proxy (?<frontend_name>\S+) stopped \(FE: (?<frontend_connections>\d+) conns, BE: (?<backend_connections>\d+) conns\)\.$/,
];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The time in the accept date's year when the header wrote none and both name the same day; else `time`. */
function withAcceptYear(ctx: ParseContext, time: number, acceptDate: string, line: string): number {
  const m = /^(\d\d)\/(\w{3})\/(\d{4})/.exec(acceptDate);
  const header = /^(?:<\d+>)?(\w{3}) +(\d{1,2}) \d\d:\d\d:\d\d (?!\d{4})/.exec(line);
  if (m === null || header === null || header[1] !== m[2] || Number(header[2]) !== Number(m[1])) return time;
  const written = new Date(time);
  const shifted = Date.UTC(Number(m[3]), written.getUTCMonth(), written.getUTCDate(), written.getUTCHours(), written.getUTCMinutes(), written.getUTCSeconds(), written.getUTCMilliseconds());
  const month = MONTHS.indexOf(m[2]!) + 1;
  // Only when the month survived (the zone's shift did not cross a year boundary differently).
  return month === new Date(shifted).getUTCMonth() + 1 || month === written.getUTCMonth() + 1 ? shifted : time;
}

function fieldValue(text: string): unknown {
  return /^-?(?:0|[1-9]\d{0,14})$/.test(text) ? Number(text) : text;
}

class HaproxyParser implements LineParser {
  readonly name = 'haproxy';
  readonly multiline = 'none' as const;
  private readonly syslog: LineParser;

  constructor(private readonly ctx: ParseContext) {
    this.syslog = syslogFormat.create(ctx);
  }

  parse(line: string): LogEntry | null {
    if (!line.includes('haproxy')) return null;
    const header = this.syslog.parse(line);
    if (header === null || header.metadata.program !== 'haproxy') return null;
    for (const shape of SHAPES) {
      const m = shape.exec(header.message);
      if (m === null) continue;
      const metadata: Record<string, unknown> = { ...header.metadata };
      for (const [name, value] of Object.entries(m.groups!)) if (value !== undefined) metadata[name] = name === 'ssl' ? true : fieldValue(value);
      const status = typeof metadata.status_code === 'number' ? metadata.status_code : NaN;
      const level: Level = status >= 100 ? levelFromStatus(status) : header.level;
      const time = m.groups!.accept_date === undefined ? header.time : withAcceptYear(this.ctx, header.time, m.groups!.accept_date, line);
      const message = m.groups!.http_method !== undefined ? `${m.groups!.http_method} ${m.groups!.http_url ?? ''}`.trim() : header.message;
      return makeEntry(this.ctx, time, level, message, 'haproxy', metadata, line);
    }
    return null;
  }
}

export const haproxyFormat: FormatSpec = {
  name: 'haproxy',
  aliases: ['haproxy_log'],
  create: (ctx) => new HaproxyParser(ctx),
};
