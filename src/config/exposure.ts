// Refusing to serve every log line to the network by accident: a non-loopback bind needs some auth.
import { isIP } from 'node:net';
import type { Config } from './schema.ts';

/** 127.0.0.0/8, ::1 (also as [::1] or IPv4-mapped) and `localhost`: reachable from this machine only. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

export function hasAuth(config: Pick<Config, 'token' | 'auth'>): boolean {
  return config.token !== undefined || (config.auth !== undefined && (config.auth.users.length > 0 || config.auth.tokens.length > 0));
}

/** Why this config must not start as is, or null. */
export function exposureProblem(config: Pick<Config, 'host' | 'token' | 'auth'>): string | null {
  if (isLoopback(config.host) || hasAuth(config)) return null;
  return (
    `refusing to listen on ${config.host} with no authentication: anyone who can reach it could read every log line, ` +
    'inject lines and silence alerts. Set --token T (or LOGWATCH_TOKEN), or users and tokens under "auth" in the config file ' +
    '(see README "Security"); bind --host 127.0.0.1 behind a reverse proxy; or pass --insecure if the network is trusted'
  );
}

/**
 * A warning when syslog listens beyond loopback without client certificates: the protocol has no
 * credentials, so anyone who can reach those ports can write lines (rate-limited per address) whatever
 * `auth` says. Not a refusal: that is what syslog is for, but the operator should know and firewall it.
 */
export function syslogExposure(config: Pick<Config, 'host' | 'syslog'>): string | null {
  const syslog = config.syslog;
  if (syslog === undefined) return null;
  const host = syslog.host ?? config.host;
  if (isLoopback(host)) return null;
  const open = [syslog.udp !== undefined ? `UDP ${syslog.udp}` : '', syslog.tcp !== undefined ? `TCP ${syslog.tcp}` : '', syslog.tls !== undefined && syslog.tls.ca === undefined ? `TLS ${syslog.tls.port} (no client certificates)` : ''].filter((s) => s !== '');
  if (open.length === 0) return null;
  return `syslog on ${host} (${open.join(', ')}) accepts lines from anyone who can reach it: syslog has no credentials, so auth does not apply there; firewall those ports to your senders, or use syslog.tls with a ca (mutual TLS)`;
}
