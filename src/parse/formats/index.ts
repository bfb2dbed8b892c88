// The built-in formats, in the order detection prefers them when several read the same lines: the
// most specific first, the generic timestamp + level fallback last.
import type { FormatSpec } from '../format.ts';
import { accessFormat } from './access.ts';
import { apacheErrorFormat } from './apache-error.ts';
import { genericFormat } from './generic.ts';
import { glogFormat } from './glog.ts';
import { jsonFormat } from './json.ts';
import { kernelFormat } from './kernel.ts';
import { log4jFormat } from './log4j.ts';
import { logfmtFormat } from './logfmt.ts';
import { nginxErrorFormat } from './nginx-error.ts';
import { pythonFormat } from './python.ts';
import { syslogFormat } from './syslog.ts';

export const BUILTIN_SPECS: readonly FormatSpec[] = [
  jsonFormat,
  accessFormat,
  syslogFormat,
  nginxErrorFormat,
  apacheErrorFormat,
  glogFormat,
  kernelFormat,
  log4jFormat,
  pythonFormat,
  logfmtFormat,
  genericFormat,
];
