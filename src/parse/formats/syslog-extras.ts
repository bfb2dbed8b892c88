// Severity written in a syslog header by devices that put it where the host or tag usually is:
// - VMware ESXi (lnav's esx_syslog_log, vmw_log, vmk_log): `In(14)`, `Db(167)`, `Wa(180)` after the
//   time — the severity's two-letter name and the PRI number, optionally followed by `[+]` or `+`;
// - UniFi and BusyBox (lnav's unifi_log): `facility.severity` after the host (`user.warn kernel: …`).
import type { Level } from '../../types.ts';
import { levelFromSyslogSeverity } from '../level.ts';

const ESX = /^(Db|In|No|Wa|Er|Cr|Al|Em)\((\d{1,3})\)(?:\[\+\]|\+)? /;
/** True when a line's text after the time opens with an ESXi severity (`In(14) `): a syslog line. */
export const ESX_START = ESX;
const ESX_LEVELS: Readonly<Record<string, Level>> = { Db: 'DEBUG', In: 'INFO', No: 'INFO', Wa: 'WARNING', Er: 'ERROR', Cr: 'CRITICAL', Al: 'CRITICAL', Em: 'CRITICAL' };

const FACILITY_SEVERITY = /^(kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|local[0-7])\.(emerg|alert|crit|err|warn|warning|notice|info|debug) /;
const SEVERITIES: Readonly<Record<string, number>> = { emerg: 0, alert: 1, crit: 2, err: 3, warn: 4, warning: 4, notice: 5, info: 6, debug: 7 };

/** Length of the severity token that opens `rest` (with its trailing space), its level in `out.level`; 0 if none. */
export function headerSeverity(rest: string, metadata: Record<string, unknown>, out: { level: Level }): number {
  const c = rest.charCodeAt(0);
  if (c >= 65 && c <= 90) {
    const m = ESX.exec(rest);
    if (m === null) return 0;
    out.level = ESX_LEVELS[m[1]!]!;
    metadata.syslog_pri = Number(m[2]);
    return m[0].length;
  }
  const m = FACILITY_SEVERITY.exec(rest);
  if (m === null) return 0;
  const severity = SEVERITIES[m[2]!]!;
  out.level = levelFromSyslogSeverity(severity);
  metadata.facility = m[1];
  metadata.severity = severity;
  return m[0].length;
}

/** A netfilter log line's fields (`IN=eth0 OUT= MAC=… SRC=… DST=… PROTO=TCP SPT=… DPT=… SYN`). */
const NETFILTER_FIELD = /(?:^| )([A-Z][A-Z_]{1,11})=(\S*)/g;
const NETFILTER_RULE = /\[([^\]]+)\]\s*(?=(?:[A-Z ]+: )?IN=)/;

/**
 * iptables/nftables/UFW packet logs in kernel messages (lnav's unifi_log, unifi_iptables_log): each
 * `KEY=value` in metadata under its name, the rule prefix (`[UFW BLOCK]`, `[WAN_IN-RET-3006]`) as
 * `rule_name`. Only lines with both `SRC=` and `DST=` after `IN=`: other text is left alone.
 */
export function netfilterFields(message: string, metadata: Record<string, unknown>): void {
  const inAt = message.indexOf('IN=');
  if (inAt < 0 || message.indexOf(' SRC=', inAt) < 0 || message.indexOf(' DST=', inAt) < 0) return;
  const rule = NETFILTER_RULE.exec(message.slice(0, inAt + 3));
  if (rule !== null) metadata.rule_name = rule[1];
  const fields = message.slice(inAt);
  NETFILTER_FIELD.lastIndex = 0;
  for (let m = NETFILTER_FIELD.exec(fields); m !== null; m = NETFILTER_FIELD.exec(fields)) {
    if (metadata[m[1]!] === undefined) metadata[m[1]!] = m[2];
  }
}
