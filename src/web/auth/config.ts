// The `auth` section of the config: who may read, change state, or write lines (README "Security").
import { z } from 'zod';
import { parsePasswordHash } from './password.ts';

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
