import { describe, expect, it } from 'vitest';
import { exposureProblem, isLoopback, syslogExposure } from '../../src/config/exposure.ts';
import { parseConfig } from '../../src/config/load.ts';

describe('exposure check', () => {
  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopback(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.com', '128.0.0.1', '::ffff:10.0.0.1']) expect(isLoopback(host), host).toBe(false);
  });

  it('a non-loopback bind needs --token or auth users/tokens; an empty auth section does not count', () => {
    expect(exposureProblem(parseConfig({ host: '127.0.0.1' }))).toBeNull();
    expect(exposureProblem(parseConfig({ host: '0.0.0.0' }))).toMatch(/--token.*"auth"/);
    expect(exposureProblem(parseConfig({ host: '0.0.0.0', auth: {} }))).not.toBeNull();
    expect(exposureProblem(parseConfig({ host: '0.0.0.0', token: 't' }))).toBeNull();
    expect(exposureProblem(parseConfig({ host: '::', auth: { tokens: [{ name: 'r', token: 'x'.repeat(16), roles: ['read'] }] } }))).toBeNull();
  });

  it('warns when syslog listens beyond loopback without client certificates, whatever auth says', () => {
    expect(syslogExposure(parseConfig({ host: '127.0.0.1', syslog: { udp: 5514 } }))).toBeNull();
    expect(syslogExposure(parseConfig({ host: '0.0.0.0', token: 't', syslog: { udp: 5514, host: '127.0.0.1' } }))).toBeNull();
    expect(syslogExposure(parseConfig({ host: '0.0.0.0', token: 't', syslog: { udp: 5514, tcp: 5515 } }))).toMatch(/0\.0\.0\.0 \(UDP 5514, TCP 5515\).*no credentials/);
    expect(syslogExposure(parseConfig({ host: '0.0.0.0', token: 't', syslog: { tls: { port: 6514, cert: 'c', key: 'k' } } }))).toMatch(/no client certificates/);
    expect(syslogExposure(parseConfig({ host: '0.0.0.0', token: 't', syslog: { tls: { port: 6514, cert: 'c', key: 'k', ca: 'a' } } }))).toBeNull();
    expect(syslogExposure(parseConfig({ host: '0.0.0.0', token: 't' }))).toBeNull();
  });
});
