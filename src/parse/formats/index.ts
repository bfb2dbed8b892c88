// The built-in formats, in the order detection prefers them when several read the same lines: the
// most specific first, the generic timestamp + level fallback last.
import type { FormatSpec } from '../format.ts';
import { accessFormat } from './access.ts';
import { apacheErrorFormat } from './apache-error.ts';
import { containerFormats } from './container.ts';
import { genericFormat } from './generic.ts';
import { glogFormat } from './glog.ts';
import { jsonDialectFormats } from './json-dialects.ts';
import { jsonFormat } from './json.ts';
import { kernelFormat } from './kernel.ts';
import { log4jFormat } from './log4j.ts';
import { logfmtFormat } from './logfmt.ts';
import { mysqlGeneralFormat, mysqlSlowFormat, postgresFormat, redisFormat } from './lnav-db.ts';
import { logcatFormat } from './lnav-lang.ts';
import { lnavTableFormats, vmwareToolFormat } from './lnav-table.ts';
import { haproxyFormat } from './haproxy.ts';
import { cupsFormat, sssdFormat, straceFormat, tcfFormat, tcshHistoryFormat } from './lnav-system.ts';
import { accessVariantsFormat, awsElbFormat, awsS3Format, openamFormat, uwsgiFormat } from './lnav-web.ts';
import { nginxErrorFormat } from './nginx-error.ts';
import { pythonFormat } from './python.ts';
import { syslogFormat } from './syslog.ts';

/** The formats of lines as applications write them (also what a container's lines are read with). */
const LINE_SPECS: readonly FormatSpec[] = [
  // issue 16: JSON dialects before the generic JSON reader, which reads their lines less well.
  ...jsonDialectFormats,
  jsonFormat,
  accessFormat,
  accessVariantsFormat,
  // issue 16: syslog-shaped lines of one program, before syslog reads them without their fields.
  haproxyFormat,
  vmwareToolFormat,
  syslogFormat,
  // issue 16: formats written from lnav's definitions (lnav-*.ts), more specific than those below.
  postgresFormat,
  mysqlSlowFormat,
  mysqlGeneralFormat,
  redisFormat,
  sssdFormat,
  straceFormat,
  cupsFormat,
  tcshHistoryFormat,
  tcfFormat,
  awsElbFormat,
  awsS3Format,
  uwsgiFormat,
  openamFormat,
  logcatFormat,
  nginxErrorFormat,
  apacheErrorFormat,
  glogFormat,
  kernelFormat,
  log4jFormat,
  pythonFormat,
  logfmtFormat,
  // issue 16: one-pattern formats from lnav's definitions (lnav-table.ts), after the layouts above that
  // already read some of their lines (ZooKeeper's and oVirt's are log4j's) and before the fallback.
  ...lnavTableFormats,
  genericFormat,
];

export const BUILTIN_SPECS: readonly FormatSpec[] = [...containerFormats(() => LINE_SPECS), ...LINE_SPECS];
