// Dashboard logins: random session ids in memory, bounded in number and in time (clock injected).
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../types.ts';
import type { Principal } from './principal.ts';

interface Session {
  principal: Principal;
  expiresAt: number;
}

export class SessionStore {
  // Insertion order is creation order, so the first key is the oldest session (evicted when full).
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly max: number,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  /** A new session id (256 random bits, base64url) for `principal`. */
  create(principal: Principal): string {
    this.sweep();
    while (this.sessions.size >= this.max) this.sessions.delete(this.sessions.keys().next().value as string);
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, { principal, expiresAt: this.clock() + this.ttlMs });
    return id;
  }

  /** The principal of a live session; an expired one is forgotten. */
  get(id: string): Principal | undefined {
    const session = this.sessions.get(id);
    if (session === undefined) return undefined;
    if (this.clock() >= session.expiresAt) {
      this.sessions.delete(id);
      return undefined;
    }
    return session.principal;
  }

  delete(id: string): void {
    this.sessions.delete(id);
  }

  /** Forgets expired sessions from the oldest on (creation order is expiry order: one TTL for all). */
  private sweep(): void {
    const now = this.clock();
    for (const [id, session] of this.sessions) {
      if (now < session.expiresAt) break;
      this.sessions.delete(id);
    }
  }
}
