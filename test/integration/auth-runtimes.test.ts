// Auth on the other runtimes (scrypt, timingSafeEqual and cookies behave alike on Bun and Deno).
import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/web/auth/password.ts';
import { spawnLogWatch, workspace, type LogWatchProcess, type Runtime } from '../helpers/process.ts';

let proc: LogWatchProcess | undefined;
afterEach(async () => {
  await proc?.stop('SIGKILL');
});

describe.each<Runtime>(['bun', 'deno'])('auth on %s', (runtime) => {
  it('HTTP Basic with an scrypt hash, bearer tokens by role, and the login form', async () => {
    const ws = workspace(`lw-auth-${runtime}-`);
    const passwordHash = await hashPassword('correct horse');
    const config = ws.writeConfig({
      notifiers: {},
      auth: { users: [{ name: 'ana', passwordHash, roles: ['read'] }], tokens: [{ name: 'ship', token: 'ship-token-0123456789', roles: ['ingest'] }] },
    });
    proc = await spawnLogWatch(runtime, ['--config', config, '--port', '0', '--watch', `${ws.logs}/*.log`, '--state-dir', ws.state]);
    const basic = (p: string) => ({ Authorization: `Basic ${Buffer.from(`ana:${p}`).toString('base64')}` });
    expect((await fetch(`${proc.url}/api/logs`, { headers: basic('correct horse') })).status).toBe(200);
    const wrong = await fetch(`${proc.url}/api/logs`, { headers: basic('wrong') });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('Basic');
    expect((await fetch(`${proc.url}/api/ingest?source=x`, { method: 'POST', body: 'hello', headers: { Authorization: 'Bearer ship-token-0123456789' } })).status).toBe(202);
    expect((await fetch(`${proc.url}/api/logs`, { headers: { Authorization: 'Bearer ship-token-0123456789' } })).status).toBe(403);
    const login = await fetch(`${proc.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      body: 'user=ana&password=correct+horse',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(login.status).toBe(303);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    expect((await fetch(`${proc.url}/api/stats`, { headers: { Cookie: cookie } })).status).toBe(200);
  }, 60_000);
});
