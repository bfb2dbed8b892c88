import { describe, expect, it } from 'vitest';
import { hashPassword, parsePasswordHash, verifyPassword } from '../../../src/web/auth/password.ts';
import { EVERY_ROLE } from '../../../src/web/auth/principal.ts';
import { SessionStore } from '../../../src/web/auth/sessions.ts';

const principal = { name: 'p', roles: EVERY_ROLE };

describe('SessionStore', () => {
  it('forgets a session at its expiry (injected clock)', () => {
    let now = 1_000;
    const store = new SessionStore(() => now, 60_000, 10);
    const id = store.create(principal);
    now += 59_999;
    expect(store.get(id)).toBe(principal);
    now += 1;
    expect(store.get(id)).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('is bounded: past max sessions the oldest is logged out; expired ones are swept on create', () => {
    let now = 0;
    const store = new SessionStore(() => now, 1_000, 3);
    const ids = [0, 1, 2, 3].map(() => store.create(principal));
    expect(store.size).toBe(3);
    expect(store.get(ids[0])).toBeUndefined();
    expect(ids.slice(1).every((id) => store.get(id) === principal)).toBe(true);
    now = 5_000;
    store.create(principal);
    expect(store.size).toBe(1);
    expect(new Set(ids).size).toBe(4);
  });
});

describe('password hashes (scrypt)', () => {
  it('verifies the right password only; malformed or over-costly hashes never match', async () => {
    const hash = await hashPassword('s3cret pass');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword('s3cret pass', hash)).toBe(true);
    expect(await verifyPassword('s3cret pas', hash)).toBe(false);
    expect(await hashPassword('s3cret pass')).not.toBe(hash); // salted
    expect(await verifyPassword('x', 'plain')).toBe(false);
    expect(parsePasswordHash(hash.replace('$16384$', '$1073741824$'))).toBeNull();
    expect(parsePasswordHash(hash.replace('$16384$', '$1000$'))).toBeNull();
  });
});
