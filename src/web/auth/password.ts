// Password hashes: scrypt from node:crypto (on Node, Bun and Deno alike), so a stolen config file does not
// hand out passwords. Format: `scrypt$N$r$p$<salt base64url>$<hash base64url>`, made by `logwatch hash-password`.
import { Buffer } from 'node:buffer';
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { parsePasswordHash } from './config.ts';

const KEY_LENGTH = 32;
const DEFAULTS = { N: 16384, r: 8, p: 1 };
// The format is parsed in config.ts, so the `auth` schema stays a leaf (test/architecture.test.ts).
export { parsePasswordHash };

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, { ...params, maxmem: 256 * params.N * params.r + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** A new hash for `password` with a random salt (what `logwatch hash-password` prints). */
export async function hashPassword(password: string, params = DEFAULTS): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, params, KEY_LENGTH);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** Whether `password` matches `stored`; the final comparison is constant-time. A malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parsePasswordHash(stored);
  if (parsed === null) return false;
  const candidate = await derive(password, parsed.salt, parsed, parsed.hash.length);
  return candidate.length === parsed.hash.length && timingSafeEqual(candidate, parsed.hash);
}
