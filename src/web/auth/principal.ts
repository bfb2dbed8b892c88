// Who a request acts as, and what that may do.
import type { Role } from './config.ts';

export interface Principal {
  /** The user or token name (`open` when no auth is configured, `token` for --token). */
  name: string;
  roles: ReadonlySet<Role>;
  /** Ingest only: sources this principal may write must start with this. */
  sourcePrefix?: string;
}

/** `admin` includes `read`: whoever may silence alerts may see them. `ingest` is separate. */
export function hasRole(principal: Principal, role: Role): boolean {
  return principal.roles.has(role) || (role === 'read' && principal.roles.has('admin'));
}

/** Whether `principal` may write lines under source `name` (its prefix binding, if any). */
export function maySource(principal: Principal, name: string): boolean {
  return principal.sourcePrefix === undefined || name.startsWith(principal.sourcePrefix);
}

export const EVERY_ROLE: ReadonlySet<Role> = new Set(['read', 'admin', 'ingest']);

/** With no auth configured (loopback only), every request acts as this. */
export const OPEN: Principal = { name: 'open', roles: EVERY_ROLE };
