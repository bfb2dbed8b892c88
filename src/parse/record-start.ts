// Does a line start like a log record? Asked of a line that the source's format cannot read, before it
// is joined to the held entry as a continuation: a line that opens with a timestamp, a level word, a
// syslog header or a bracketed time is a record of its own (an unknown shape of time, another
// program writing into the file), and gluing it onto the entry above would hide it, with its time and
// level. The shapes are recognised, not read: this needs no zone, no calendar, and may be generous.
// Deliberately self-contained (no time.ts): cheap, and only ever called on lines no parser read.

/** Times and dates that open a line, tried at the first character (after one `[` or `(`). */
const LEADING_TIME = new RegExp(
  [
    // 2026-11-30, 2017-1-3 4:05:06, 2026/11/30, 2026.11.30, 2012-025T10:22:40 (day of year)
    '\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}(?!\\d)',
    '\\d{4}-\\d{3}T',
    // 20171223-22:16:0:119, 20261130T101502, 20261130 10:15:02
    '\\d{8}(?:[-T_ ]?\\d{1,2}:\\d{1,2}|T\\d{4})',
    // 30.11.2026 10:15, 11/30/26 10:15:02, 17/06/09 20:10:40
    '\\d{1,2}[-/.]\\d{1,2}[-/.]\\d{2,4}[ T:,_-]\\d',
    // logcat 11-30 10:15:02.123
    '\\d{1,2}-\\d{1,2} \\d{1,2}:\\d{1,2}',
    // time of day 10:15:02, 22:16:0 (seconds required: `10:15 the meeting` is prose)
    '\\d{1,2}:\\d{1,2}:\\d{1,2}(?!\\d)',
    // HDFS 081109 203615
    '\\d{6}[ -]\\d{6}(?!\\d)',
    // 30/Nov/2026:10:15:02, 12-Mar-2026 10:15, 3 Dec 2026
    '\\d{1,2}[ /-](?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*[ /-]\\d{2,4}',
    // epoch seconds or ms of this century's first half, as a field of its own: 1764497702 [.123]
    '1\\d{9}(?:\\.\\d+)?(?=[\\s\\]|,;]|$)',
    '1\\d{12}(?=[\\s\\]|,;]|$)',
    // kernel ring buffer [  12.345678]
    ' *\\d+\\.\\d{3,9}\\]',
  ].join('|'),
  'y',
);

const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\\.?';
const WEEKDAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?';
/** Nov 30 10:15:02, Mon Nov 30 10:15:02 2026, Mon, 30 Nov 2026, I1130 10:15:02 (glog), TAI64N. */
const LEADING_NAMED_TIME = new RegExp(
  `${MONTH} +\\d{1,2},? (?:\\d{4} )?\\d{1,2}:\\d{1,2}|${WEEKDAY} (?:${MONTH} +\\d{1,2}|\\d{1,2} ${MONTH})|[IWEF]\\d{4} \\d{1,2}:\\d{2}:\\d{2}|@[0-9a-f]{24}`,
  'y',
);

/**
 * Level words that open a record: upper case standing alone (`ERROR x`, `WARN:`, `[INFO]`), or lower
 * case marked as a level (`error: x`, `[warn]`). Capitalised words are left out: `Error: ENOENT` and
 * `Warning: …` are how Node and PHP exceptions continue an entry.
 */
const LEADING_LEVEL = new RegExp(
  '(?:\\[(?:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|SEVERE|CRIT|CRITICAL|FATAL|ALERT|EMERG|PANIC|' +
    'trace|debug|info|notice|warn|warning|error|err|crit|critical|fatal|alert|emerg|panic)\\]' +
    '|(?:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|SEVERE|CRIT|CRITICAL|FATAL|ALERT|EMERG|PANIC)(?=[\\s:|]|$)' +
    '|(?:trace|debug|info|notice|warn|warning|error|err|crit|critical|fatal|alert|emerg|panic):(?=\\s|$))',
  'y',
);

const SYSLOG_PRI = /<\d{1,3}>/y;

function matchesAt(re: RegExp, line: string, at: number): boolean {
  re.lastIndex = at;
  return re.test(line);
}

/** True when `line` opens like a record (a time, a level, a syslog header), whatever its format. */
export function startsLikeRecord(line: string): boolean {
  let at = 0;
  let c = line.charCodeAt(0);
  if (c === 60) return matchesAt(SYSLOG_PRI, line, 0); // <
  if (matchesAt(LEADING_LEVEL, line, 0)) return true;
  if (c === 91 || c === 40) c = line.charCodeAt(++at); // [ (
  if (c >= 48 && c <= 57) return matchesAt(LEADING_TIME, line, at);
  if (c === 32) return at === 1 && matchesAt(LEADING_TIME, line, at); // [  12.345678] only
  if ((c >= 65 && c <= 90) || c === 64) return matchesAt(LEADING_NAMED_TIME, line, at);
  return false;
}
