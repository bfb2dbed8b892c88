// A mined pattern (cluster), how its template generalises, and its stable id (see miner.ts for the rules).
import { WILDCARD } from './tokens.ts';

export interface Cluster {
  readonly id: string;
  readonly source: string;
  tokens: string[];
  /** `tokens` joined by spaces, kept in step with them. */
  template: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
  /** Sequence number of the last match: the least recently used clusters are evicted first. */
  lastUsed: number;
  evicted: boolean;
  /** Set when the cluster was merged into another (its id is then an alias of that one). */
  mergedInto?: Cluster;
  /** The analyzer's per-pattern state, kept on the cluster so the hot path needs no lookup by id. */
  aux: unknown;
}

export interface MatchResult {
  cluster: Cluster;
  /** True when this message started the cluster. */
  created: boolean;
}

/** Turns the positions where `tokens` differ from the template into `<*>` (a `key=` prefix is kept). */
export function generalise(cluster: Cluster, tokens: readonly string[]): void {
  const template = cluster.tokens;
  let changed = false;
  for (let i = 0; i < template.length; i++) {
    const t = template[i]!;
    const m = tokens[i]!;
    if (t === m || t === WILDCARD) continue;
    const eq = t.indexOf('=');
    const next = eq > 0 && eq < t.length - 1 && m.startsWith(t.slice(0, eq + 1)) ? `${t.slice(0, eq + 1)}${WILDCARD}` : WILDCARD;
    if (next === t) continue;
    template[i] = next;
    changed = true;
  }
  if (changed) cluster.template = template.join(' ');
}

/** cyrb53: a fast 53-bit string hash (collisions among a source's clusters are resolved by the caller). */
export function patternId(source: string, template: string): string {
  const text = `${source}\u0000${template}`;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const n = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  return n.toString(36).padStart(11, '0');
}
