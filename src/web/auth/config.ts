// The `auth` section of the config: who may read, change state, or write lines (README "Security").
import { z } from 'zod';
import { Buffer } from 'node:buffer';

export const ROLES = ['read', 'admin', 'ingest'] as const;
export type Role = (typeof ROLES)[number];

const roleList = z
  .array(z.enum(ROLES, { message: `a role is one of ${ROLES.join(', ')}` }))
  .min(1, `give at least one role (${ROLES.join(', ')})`);

const nameSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\u0000-\u001f\u007f:]+$/, 'a name must not contain ":" or control characters');

const userSchema = z.strictObject({
  name: nameSchema,
  passwordHash: z.string().refine((h) => parsePasswordHash(h) !== null, {
    message: 'not a password hash made by `logwatch hash-password` (scrypt$N$r$p$salt$hash); never put a plain password here',
  }),
  roles: roleList,
});

const tokenSchema = z.strictObject({
  name: nameSchema,
  token: z.string().min(16, 'a token must be at least 16 characters (e.g. `openssl rand -hex 24`)').max(4096),
  roles: roleList,
  /** An ingest token bound to a prefix may only write sources whose name starts with it. */
  sourcePrefix: z.string().min(1).max(255).optional(),
});

export const authSchema = z
  .strictObject({
    users: z.array(userSchema).max(1000).default([]),
    tokens: z.array(tokenSchema).max(1000).default([]),
    /** How long a dashboard login lasts. */
    sessionTtlSeconds: z.number().int().min(60).max(30 * 24 * 3600).default(12 * 3600),
    /** Sessions kept in memory at most; the oldest is logged out first. */
    maxSessions: z.number().int().min(1).max(1_000_000).default(10_000),
  })
  .superRefine((auth, ctx) => {
    const dup = (list: Array<{ name: string }>, field: string) => {
      const seen = new Set<string>();
      list.forEach((item, i) => {
        if (seen.has(item.name)) ctx.addIssue({ code: 'custom', path: [field, i, 'name'], message: `"${item.name}" is defined twice` });
        seen.add(item.name);
      });
    };
    dup(auth.users, 'users');
    dup(auth.tokens, 'tokens');
  });

export type AuthConfig = z.infer<typeof authSchema>;

const FORMAT = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]{16,})\$([A-Za-z0-9_-]{40,})$/;

export interface ScryptHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

/**
 * Parses a stored hash, or null. Cost parameters are bounded so a hostile or mistyped config cannot make
 * every login burn a gigabyte of memory (N must be a power of two scrypt accepts).
 */
export function parsePasswordHash(text: string): ScryptHash | null {
  const m = FORMAT.exec(text);
  if (m === null) return null;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (N < 2 || N > 1 << 20 || (N & (N - 1)) !== 0 || r < 1 || r > 32 || p < 1 || p > 16 || 128 * N * r > 512 * 1024 * 1024) return null;
  return { N, r, p, salt: Buffer.from(m[4], 'base64url'), hash: Buffer.from(m[5], 'base64url') };
}
