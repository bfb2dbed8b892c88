// Turns a request's credentials (bearer token, HTTP Basic, or session cookie) into a Principal.
import { Buffer } from 'node:buffer';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../types.ts';
import type { AuthConfig } from './config.ts';
import { verifyPassword } from './password.ts';
import { EVERY_ROLE, type Principal } from './principal.ts';
import { SessionStore } from './sessions.ts';

export const SESSION_COOKIE = 'logwatch_session';

export interface AuthSettings {
  /** `--token` / LOGWATCH_TOKEN: a token with every role. */
  token?: string;
  auth?: AuthConfig;
}

interface TokenEntry {
  digest: Buffer;
  principal: Principal;
}

interface UserEntry {
  name: Buffer;
  passwordHash: string;
  principal: Principal;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();
// Verified against when the user name is unknown, so a wrong name takes as long as a wrong password.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const BASIC_CACHE_MS = 60_000;
const BASIC_CACHE_MAX = 1000;

export class Authenticator {
  readonly sessions: SessionStore;
  private readonly tokens: TokenEntry[] = [];
  private readonly users: UserEntry[] = [];
  // scrypt is slow on purpose; a client sending the same Basic credentials on every request is checked
  // once a minute, not every time. Keyed by a digest of the header, never the password itself.
  private readonly basicCache = new Map<string, { principal: Principal; until: number }>();

  constructor(
    settings: AuthSettings,
    private readonly clock: Clock,
  ) {
    if (settings.token !== undefined) this.tokens.push({ digest: sha256(settings.token), principal: { name: 'token', roles: EVERY_ROLE } });
    for (const t of settings.auth?.tokens ?? []) {
      this.tokens.push({ digest: sha256(t.token), principal: { name: t.name, roles: new Set(t.roles), sourcePrefix: t.sourcePrefix } });
    }
    for (const u of settings.auth?.users ?? []) {
      this.users.push({ name: sha256(u.name), passwordHash: u.passwordHash, principal: { name: u.name, roles: new Set(u.roles) } });
    }
    const auth = settings.auth;
    this.sessions = new SessionStore(clock, (auth?.sessionTtlSeconds ?? 12 * 3600) * 1000, auth?.maxSessions ?? 10_000);
  }

  /** False when nothing is configured: every request is let in (allowed on loopback only, see exposure.ts). */
  get enabled(): boolean {
    return this.tokens.length > 0 || this.users.length > 0;
  }

  get hasUsers(): boolean {
    return this.users.length > 0;
  }

  /**
   * Constant-time token lookup: both sides are hashed to 32 bytes first (so lengths never differ) and
   * every configured token is compared, whichever matches.
   */
  byToken(token: string): Principal | undefined {
    const given = sha256(token);
    let found: Principal | undefined;
    for (const entry of this.tokens) {
      if (timingSafeEqual(given, entry.digest) && found === undefined) found = entry.principal;
    }
    return found;
  }

  async byPassword(name: string, password: string): Promise<Principal | undefined> {
    const given = sha256(name);
    let user: UserEntry | undefined;
    for (const entry of this.users) {
      if (timingSafeEqual(given, entry.name) && user === undefined) user = entry;
    }
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    return ok && user !== undefined ? user.principal : undefined;
  }

  /** The principal behind an `Authorization` header value, or undefined (absent, malformed or wrong). */
  async byAuthorization(header: string): Promise<Principal | undefined> {
    const space = header.indexOf(' ');
    if (space < 0) return undefined;
    const scheme = header.slice(0, space).toLowerCase();
    const value = header.slice(space + 1).trim();
    if (scheme === 'bearer') return this.byToken(value);
    if (scheme !== 'basic' || this.users.length === 0) return undefined;
    const key = createHash('sha256').update(value).digest('base64url');
    const cached = this.basicCache.get(key);
    if (cached !== undefined && cached.until > this.clock()) return cached.principal;
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    const principal = await this.byPassword(decoded.slice(0, colon), decoded.slice(colon + 1));
    if (principal !== undefined) {
      if (this.basicCache.size >= BASIC_CACHE_MAX) this.basicCache.delete(this.basicCache.keys().next().value as string);
      this.basicCache.set(key, { principal, until: this.clock() + BASIC_CACHE_MS });
    }
    return principal;
  }
}
