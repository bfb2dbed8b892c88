// LogWatch's own TLS (`tls: { cert, key }`) on every runtime, with a throwaway self-signed certificate.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { createMemoryLogger } from '../../src/logger.ts';
import { startLogWatch } from '../../src/logwatch.ts';
import { spawnLogWatch, workspace, type Runtime } from '../helpers/process.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function selfSigned(): { cert: string; key: string; ca: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lw-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-keyout', key, '-out', cert, '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
  ], { stdio: 'ignore' });
  return { cert, key, ca: readFileSync(cert, 'utf8') };
}

/** An HTTPS request that trusts only the test's certificate (so a plain-HTTP or wrong-cert server fails). */
function get(url: string, ca: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request(url, { ca, method: init.method ?? 'GET', headers: init.headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('own TLS', () => {
  it('Node: serves HTTPS with the configured certificate; the session cookie is Secure', async () => {
    const { cert, key, ca } = selfSigned();
    const ws = workspace('lw-tls-node-');
    const config = parseConfig({ port: 0, watch: [`${ws.logs}/*.log`], stateDir: ws.state, notifiers: {}, token: 'tls-token', tls: { cert, key } });
    const running = await startLogWatch(config, { logger: createMemoryLogger() });
    cleanups.push(() => running.stop());
    expect(running.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect((await get(`${running.url}/healthz`, ca)).status).toBe(200);
    expect((await get(`${running.url}/api/logs`, ca)).status).toBe(401);
    expect((await get(`${running.url}/api/logs`, ca, { headers: { Authorization: 'Bearer tls-token' } })).status).toBe(200);
    const login = await get(`${running.url}/login`, ca, {
      method: 'POST',
      body: 'token=tls-token',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(login.status).toBe(303);
    expect(String(login.headers['set-cookie'])).toMatch(/HttpOnly.*Secure|Secure.*HttpOnly/);
  });

  it('a missing certificate file is a clear start error naming the field', async () => {
    const ws = workspace('lw-tls-missing-');
    const config = parseConfig({ port: 0, watch: [], stateDir: ws.state, notifiers: {}, tls: { cert: join(ws.state, 'nope.pem'), key: join(ws.state, 'nope.key') } });
    await expect(startLogWatch(config, { logger: createMemoryLogger() })).rejects.toThrow(/cannot read tls\.cert .*nope\.pem/);
  });

  it.each<Runtime>(['bun', 'deno'])('%s: serves HTTPS with the configured certificate', async (runtime) => {
    const { cert, key, ca } = selfSigned();
    const ws = workspace(`lw-tls-${runtime}-`);
    const configFile = ws.writeConfig({ notifiers: {}, tls: { cert, key } });
    const proc = await spawnLogWatch(runtime, ['--config', configFile, '--port', '0', '--watch', `${ws.logs}/*.log`, '--state-dir', ws.state]);
    cleanups.push(() => proc.stop('SIGKILL'));
    expect(proc.url).toMatch(/^https:\/\//);
    const res = await get(`${proc.url}/healthz`, ca);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: 'ok' });
  }, 60_000);
});
