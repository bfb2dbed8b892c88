// Application and tool formats whose lines are one anchored pattern each, written from lnav's format
// definitions as documentation (the patterns are LogWatch's own): named groups `time`, `level` and
// `body` make the entry, every other named group is a metadata field under lnav's name for it.
// One shared engine; a format is a row of the table below.
import type { Level, LogEntry } from '../../types.ts';
import { makeEntry, timeOrReceived, type FormatSpec, type MultilineMode, type ParseContext } from '../format.ts';
import { levelFromWord } from '../level.ts';
import { parseTimeText } from '../time/timestamps.ts';
import { DialectParser, type Dialect } from '../variants.ts';

interface Row {
  name: string;
  /** lnav's name for the format, accepted as an alias. */
  lnav: string;
  multiline: MultilineMode;
  patterns: readonly RegExp[];
  /** The level of the `level` group's text; default: the level word table (level.ts). */
  level?: (text: string) => Level | undefined;
  /** The time's text as parseTimeText (time/timestamps.ts) reads it, when it must be rearranged first. */
  timeText?: (text: string, groups: Record<string, string | undefined>) => string;
}

/** A field's value, without column padding: small integers without a leading zero as numbers, else the text. */
function fieldValue(written: string): unknown {
  const text = written.trim();
  return /^(?:0|[1-9]\d{0,8})$/.test(text) ? Number(text) : text;
}

function read(row: Row, m: RegExpExecArray, line: string, ctx: ParseContext): LogEntry {
  const groups = m.groups!;
  const metadata: Record<string, unknown> = {};
  for (const name in groups) {
    const value = groups[name];
    if (value === undefined || name === 'time' || name === 'level' || name === 'body') continue;
    metadata[name] = fieldValue(value);
  }
  const written = groups.time!;
  const time = timeOrReceived(ctx, parseTimeText(row.timeText === undefined ? written : row.timeText(written, groups), ctx.time), written, metadata);
  const levelText = groups.level;
  const level = levelText === undefined ? 'UNKNOWN' : ((row.level ?? levelFromWord)(levelText.trim()) ?? 'UNKNOWN');
  // A line that is all fields (dpkg's actions, CUPS page records) is its own message.
  const body = groups.body ?? line.slice(m[0].length);
  return makeEntry(ctx, time, level, body === '' ? line : body, row.name, metadata, line);
}

const ISO = '\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d:\\d\\d(?:[.,]\\d{1,9})?(?:Z|[+-]\\d\\d:?\\d\\d)?';
const WORD_LEVEL = '(?<level>TRACE|DEBUG|INFO|WARN(?:ING)?|ERROR|FATAL|CRITICAL|trace|debug|info|warn(?:ing)?|error|fatal|critical)';

/** Ruby's Logger letters (`I, [...]`): D I W E F A(ny). */
function rubyLevel(text: string): Level | undefined {
  return levelFromWord(text) ?? ({ A: 'INFO', U: 'INFO' } as Record<string, Level>)[text];
}

const ESX_LEVELS: Readonly<Record<string, Level>> = { Db: 'DEBUG', In: 'INFO', No: 'INFO', Wa: 'WARNING', Er: 'ERROR', Cr: 'CRITICAL', Al: 'CRITICAL', Em: 'CRITICAL' };

/** lnav's debug log letters. */
function letterLevel(text: string): Level | undefined {
  return ({ T: 'DEBUG', D: 'DEBUG', I: 'INFO', W: 'WARNING', E: 'ERROR', F: 'CRITICAL' } as Record<string, Level>)[text];
}

const TABLE: readonly Row[] = [
  { name: 'dpkg', lnav: 'dpkg_log', multiline: 'none', patterns: [
    /^(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) (?<action>install|upgrade|configure|trigproc|remove|purge) (?<package>\S+) (?<installed_version>\S+) (?<available_version>\S+)(?<body>)$/,
    /^(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) status (?<status>[\w-]+) (?<package>\S+) (?<installed_version>\S+)(?<body>)$/,
    /^(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) (?<command>update-alternatives): (?<body>.*)$/,
    /^(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) (?<command>startup|conffile) (?<body>.*)$/,
  ] },
  { name: 'env-logger', lnav: 'env_logger_log', multiline: 'announced', patterns: [
    new RegExp(`^\\[(?<time>${ISO}) +${WORD_LEVEL} +(?<module>[^\\]]+)\\] (?<body>.*)$`),
  ] },
  { name: 'idea', lnav: 'idea_log', multiline: 'any', patterns: [
    new RegExp(`^(?<time>${ISO}) \\[ *(?<millis_since_start>\\d+)\\] +${WORD_LEVEL} - (?<logger_name>\\S+) - (?<body>.*)$`),
  ] },
  { name: 'katello', lnav: 'katello_log', multiline: 'any', patterns: [
    new RegExp(`^\\[ *${WORD_LEVEL} (?<time>${ISO}) (?<module>\\w+)\\] *(?<body>.*)$`),
  ] },
  { name: 'laravel', lnav: 'laravel_log', multiline: 'any', patterns: [
    /^\[(?<time>\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:\d\d)?)\] (?<env>[\w.-]+)\.(?<level>DEBUG|INFO|NOTICE|WARNING|ERROR|CRITICAL|ALERT|EMERGENCY): (?<body>.*)$/,
  ] },
  { name: 'lnav-debug', lnav: 'lnav_debug_log', multiline: 'announced', patterns: [
    new RegExp(`^(?<time>${ISO}) (?<level>[TDIWEF]) (?<thread>t\\d+) (?<srcfile>[\\w./-]+):(?<srcline>\\d+) (?<body>.*)$`),
  ], level: letterLevel },
  { name: 'mysql-error', lnav: 'mysql_error_log', multiline: 'announced', patterns: [
    new RegExp(`^(?<time>${ISO}) (?<thread>\\d+) \\[(?<level>Note|Warning|ERROR|System)\\](?: \\[(?<err_code>MY-\\d+)\\])?(?: \\[(?<subsystem>\\w+)\\])? (?<body>.*)$`),
  ] },
  { name: 'nextflow', lnav: 'nextflow_log', multiline: 'any', patterns: [
    new RegExp(`^(?<time>[A-Z][a-z]{2}-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}) \\[(?<thread>[^\\]]+)\\] ${WORD_LEVEL} +(?<module>\\S+) - (?<body>.*)$`),
  ] },
  { name: 'openstack', lnav: 'openstack_log', multiline: 'announced', patterns: [
    new RegExp(`^(?<time>${ISO}) (?<pid>\\d+) ${WORD_LEVEL} (?<logger>\\S+)(?: \\[(?<tid>req-[\\w-]+)(?: (?<user>[^\\]]*))?\\])? (?<body>.*)$`),
    new RegExp(`^\\((?<logger>[\\w.]+)\\): (?<time>${ISO}) ${WORD_LEVEL} (?<body>.*)$`),
  ] },
  { name: 'otlp-python', lnav: 'otlp_python_log', multiline: 'any', patterns: [
    new RegExp(`^(?<time>${ISO}) ${WORD_LEVEL} \\[(?<thread>[^\\]]+)\\] \\[(?<src_file>[^:\\]]+):(?<src_line>\\d+)\\] \\[(?<context>[^\\]]*)\\] - (?<body>.*)$`),
  ] },
  { name: 'cups-page', lnav: 'page_log', multiline: 'none', patterns: [
    /^(?<printer>\S+) (?<username>\S+) (?<job_id>\d+) \[(?<time>\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d [+-]\d{4})\] (?<page_number>total|\d+) (?<num_copies>\d+) (?<job_billing>\S+)(?: (?<job_originating_hostname>\S+))?(?: (?<job_name>\S+))?(?: (?<media>\S+))?(?: (?<sides>\S+))?(?<body>)$/,
  ] },
  { name: 'proxifier', lnav: 'proxifier_log', multiline: 'none', patterns: [
    /^\[(?<time>\d\d\.\d\d \d\d:\d\d:\d\d)\] (?<app_name>\S+(?: \*64)?) - (?<target_host>[^:\s]+):(?<target_port>\d+) (?:(?<level>error) : )?(?<body>.*)$/,
  ], timeText: (text) => text.replace(/^(\d\d)\.(\d\d)/, '$1-$2') },
  { name: 'rails', lnav: 'rails_log', multiline: 'announced', patterns: [
    new RegExp(`^(?<level_char>[DIWEFAU]), \\[(?<time>${ISO}) #(?<pid>\\d+)\\] +(?<level>\\w+) -- (?<module>[^:]*?): (?:\\[(?<reqid>[\\w-]+)\\] )?(?<body>.*)$`),
  ], level: rubyLevel },
  { name: 'robot-framework', lnav: 'robot_fwk_log', multiline: 'announced', patterns: [
    /^(?<time>\d{8} \d\d:\d\d:\d\d\.\d{3}) - (?<level>TRACE|DEBUG|INFO|WARN|ERROR|FAIL) - (?:(?<opid>[+-]) )?(?<body>.*)$/,
  ], level: (text) => (text === 'FAIL' ? 'ERROR' : levelFromWord(text)) },
  { name: 'simple-rs', lnav: 'simple_rs_log', multiline: 'announced', patterns: [
    new RegExp(`^(?<time>${ISO}) ${WORD_LEVEL} +\\[(?<module>[^\\]]+)\\] (?<body>.*)$`),
  ] },
  { name: 'snaplogic', lnav: 'snaplogic_log', multiline: 'any', patterns: [
    new RegExp(`^(?<time>${ISO}) ${WORD_LEVEL} (?<logger>\\S+) (?<facility>\\S+) - (?<msgid>\\S+) - (?<pipe_rid>\\S+) - (?<body>.*)$`),
  ] },
  { name: 'spdlog', lnav: 'spdlog_log', multiline: 'announced', patterns: [
    new RegExp(`^\\[(?<time>${ISO})\\] ?(?:\\[(?<thread_id>\\d+)\\])? ?(?:\\[(?<logger>[^\\]]+)\\] )?\\[(?<level>trace|debug|info|warning|error|critical|off)\\] ?(?:\\[(?<module>[^\\]]+)\\] )?(?:\\[(?<src_file>[^:\\]]+):(?<src_line>\\d+)\\] )?(?<body>.*)$`),
  ] },
  { name: 'vmware-py', lnav: 'vmw_py_log', multiline: 'any', patterns: [
    /^(?<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?: [AP]M)?(?: UTC)?) \[(?<pid>\d+)\](?<level>[A-Z]+):(?<module>[^:]+):(?<body>.*)$/,
  ] },
  { name: 'vmware-vc-service', lnav: 'vmw_vc_svc_log', multiline: 'announced', patterns: [
    new RegExp(`^(?<time>${ISO}) ${WORD_LEVEL} (?<module>\\S+) \\[(?<srcfile>[^:\\]]+):(?<srcline>\\d+)\\](?: \\[opID=(?<opid>[^\\]]+)\\])? (?<body>.*)$`),
  ] },
  { name: 'vpostgres', lnav: 'vpostgres_log', multiline: 'any', patterns: [
    /^(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \S+) (?<session_id>[\da-f]+\.[\da-f]+) (?<transaction_id>\d+) (?<db_name>\S+) (?<user>\S+) (?<remote_pair>\S+) (?<pid>\d+) (?<num_line>\d+)(?<level>DEBUG\d?|INFO|NOTICE|WARNING|ERROR|LOG|FATAL|PANIC|STATEMENT|DETAIL|HINT|CONTEXT): +(?<body>.*)$/,
  ], level: (text) => (text === 'LOG' || text === 'STATEMENT' || text === 'DETAIL' || text === 'HINT' || text === 'CONTEXT' || text === 'NOTICE' ? 'INFO' : text === 'FATAL' || text === 'PANIC' ? 'CRITICAL' : levelFromWord(text.replace(/\d$/, ''))) },
  { name: 'xmlrpc', lnav: 'xmlrpc_log', multiline: 'none', patterns: [
    /^(?<time>\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d [+-]\d\d:?\d\d) (?<pid>\d+) (?<client_ip>[\d.:a-fA-F]+): (?<module>\w+)\/(?<function>[\w.]+)(?<body>.*)$/,
  ], timeText: (text) => text.replace(/^(\d{4})\/(\d\d)\/(\d\d)/, '$1-$2-$3') },
  { name: 'zap-console', lnav: 'zap_console_log', multiline: 'announced', patterns: [
    new RegExp(`^(?<time>${ISO})\\t(?<level>debug|info|warn|error|dpanic|panic|fatal|DEBUG|INFO|WARN|ERROR|DPANIC|PANIC|FATAL)\\t(?:(?<src_file>[^\\t:]+):(?<src_line>\\d+)\\t)?(?<body>[^\\t]*)(?:\\t(?<context>\\{.*\\}))?$`),
  ] },
  { name: 'zellij', lnav: 'zellijFmt', multiline: 'announced', patterns: [
    // Padded columns (`|zellij_client            |`): taken whole and trimmed, as a lazy name before ` *` could
    // backtrack quadratically on a long run of spaces.
    new RegExp(`^${WORD_LEVEL} +\\|(?<module>[^|]+)\\| (?<time>${ISO}) \\[(?<module2>[^\\]]+)\\] \\[(?<src_file>[^:\\]]+):(?<src_line>\\d+)\\]: (?<body>.*)$`),
  ] },
  { name: 'zookeeper', lnav: 'zookeeper_log', multiline: 'any', patterns: [
    new RegExp(`^(?<time>${ISO}) \\[myid:(?<myid>\\d*)\\] - ${WORD_LEVEL} +\\[(?<thread>.+?):(?<logger>[\\w.$]+)@(?<line_number>\\d+)\\] - (?<body>.*)$`),
  ] },
  { name: 'candlepin', lnav: 'candlepin_log', multiline: 'any', patterns: [
    new RegExp(`^(?<time>${ISO}) \\[(?:req=(?<req>[^,\\]]*))?=?, org=(?<org>[^\\]]*)\\] ${WORD_LEVEL} +(?<module>\\S+) - (?<body>.*)$`),
  ] },
  { name: 'choose-repo', lnav: 'choose_repo_log', multiline: 'announced', patterns: [
    new RegExp(`^\\[${WORD_LEVEL}:(?<module>[\\w.-]+)\\] (?<src>[\\w.]+):(?<line>\\d+) (?<time>${ISO}): (?<body>.*)$`),
  ] },
  { name: 'ovirt-engine', lnav: 'engine_log', multiline: 'any', patterns: [
    new RegExp(`^(?<time>${ISO}) ${WORD_LEVEL} +\\[(?<logger>[^\\]]+)\\] \\((?<tid>[^)]+)\\) (?<body>.*)$`),
  ] },
  { name: 'esx-split-time', lnav: 'esx_syslog_log', multiline: 'announced', patterns: [
    // ESXi lines that write the date before the severity and the time of day after the tag (UTC, as ESXi logs).
    /^(?<time>\d{4}-\d\d-\d\d) (?<level>Db|In|No|Wa|Er|Cr|Al|Em)\((?<syslog_pri>\d+)\)(?:\[\+\]|\+)? (?<log_procname>[^[\s]+)\[(?<log_pid>\d+)\]: (?<new_time>\d\d:\d\d:\d\d(?:\.\d+)?) (?<body>.*)$/,
  ], level: (text) => ESX_LEVELS[text], timeText: (date, groups) => `${date}T${groups.new_time}Z` },
  { name: 'block', lnav: 'block_log', multiline: 'any', patterns: [
    // A line that is only a date (ctime, `[ISO]`, or ISO and a rule of `-` or `=`) opens a block of text (cron mails).
    /^(?<time>\w{3,8} \w{3} +\d{1,2} \d\d:\d\d:\d\d \w+ \d{4}) *$/,
    /^\[(?<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?)\] *$/,
    /^(?<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?) *(?<body>-+|=+)? *$/,
  ] },
  { name: 'openam-debug', lnav: 'openamdb_log', multiline: 'any', patterns: [
    /^(?<module>\w+):(?<time>\d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d:\d{3} [AP]M \w+): Thread\[(?<thread>[^,\]]+,\d+,[^,\]]+)\](?<body>)$/,
  ] },
  { name: 'fsck-hfs', lnav: 'fsck_hfs_log', multiline: 'any', patterns: [
    /^(?<device>\/dev\/\w+): fsck_hfs run at (?<time>\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4})(?<body>)$/,
  ] },
];

function spec(row: Row): FormatSpec {
  const dialects: Dialect[] = row.patterns.map((re) => ({ re, read: (m, line, ctx) => read(row, m, line, ctx) }));
  return { name: row.name, aliases: [row.lnav], create: (ctx: ParseContext) => new DialectParser(row.name, row.multiline, dialects, ctx) };
}

export const lnavTableFormats: readonly FormatSpec[] = TABLE.map(spec);

/**
 * VMware ESXi tools writing `time tool: pid: source[:line][:] LEVEL[:] msg` (lnav's vmw_log): syslog-shaped, so
 * registered before syslog, which would read the tool as a tag and find no level.
 */
export const vmwareToolFormat: FormatSpec = spec({
  name: 'vmware-tool', lnav: 'vmw_log', multiline: 'any', patterns: [
    new RegExp(`^(?<time>${ISO}) (?<prc>[\\w.-]+): (?<tid>\\d+): (?<src>[\\w.-]+)(?::(?<line>\\d+))?:? (?<level>TRACE|DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL|VERBOSE):? (?<body>.*)$`),
  ],
  level: (text) => (text === 'VERBOSE' ? 'DEBUG' : levelFromWord(text)),
});
