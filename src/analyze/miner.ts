// Online template mining after Drain (He et al., ICWS 2017): a message's masked tokens walk a tree of
// fixed depth (token count, then the first `depth` tokens) to a leaf holding a few clusters; the most
// similar cluster takes the message if enough positions agree, and its template turns the disagreeing
// positions into `<*>`. Otherwise the message starts a new cluster. One tree per source: the same
// words mean different things in different programs, and per-source patterns are what users filter.
//
// Pattern ids are stable: a cluster's id is a hash of its source and the template it was created
// with, and it keeps that id for life, however far its template generalises later. Restarting with
// the saved clusters therefore keeps every id; a cluster evicted and later created again from the
// same kind of line gets the same id back.
import { tokenize, WILDCARD } from './tokens.ts';
import type { MinerOptions, SavedCluster } from './types.ts';

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

interface TreeNode {
  children: Map<string, TreeNode>;
  clusters: Cluster[];
}

interface SourceTree {
  byLength: Map<number, TreeNode>;
  clusters: Map<string, Cluster>;
  /** Exact message → cluster: repeated lines (heartbeats, identical errors) skip tokenising. */
  cache: Map<string, Cluster>;
  /** Lookups and hits in the current sample of CACHE_SAMPLE messages; the cache pauses when it rarely hits. */
  lookups: number;
  hits: number;
  /** Messages left before the paused cache is tried again. */
  pausedFor: number;
}

export const DEFAULT_MINER_OPTIONS: MinerOptions = {
  similarity: 0.7,
  depth: 2,
  maxChildren: 100,
  maxClustersPerSource: 1000,
  minVariants: 3,
};

const CACHE_SIZE = 4096;
/** Every CACHE_SAMPLE messages the cache's hit rate is checked; under CACHE_MIN_HITS it pauses for CACHE_PAUSE. */
const CACHE_SAMPLE = 4096;
const CACHE_MIN_HITS = CACHE_SAMPLE / 20;
const CACHE_PAUSE = 16 * CACHE_SAMPLE;

const newNode = (): TreeNode => ({ children: new Map(), clusters: [] });

export class TemplateMiner {
  private readonly trees = new Map<string, SourceTree>();
  /** The last source's tree: a batch is one source, so this saves a lookup per message. */
  private lastSource: string | undefined;
  private lastTree: SourceTree | undefined;
  private readonly options: MinerOptions;
  private sequence = 0;
  /** Clusters dropped to stay under the cap, since start. */
  evictions = 0;
  /** Called with every evicted cluster (the analyzer drops its statistics). */
  onEvict: ((cluster: Cluster) => void) | undefined;
  /** Called when a cluster is merged into another (the analyzer moves its statistics). */
  onMerge: ((from: Cluster, into: Cluster) => void) | undefined;
  /** Ids of merged clusters → the id they were merged into (entries stored earlier carry the old id). */
  readonly aliases = new Map<string, string>();

  constructor(options: Partial<MinerOptions> = {}) {
    this.options = { ...DEFAULT_MINER_OPTIONS, ...options };
  }

  /** Finds or creates the cluster of `message` from `source`, and counts it at `time`. */
  match(source: string, message: string, time: number): MatchResult {
    const tree = source === this.lastSource ? this.lastTree! : this.tree(source);
    const seq = ++this.sequence;
    // Hashing and storing every message costs more than it saves when lines rarely repeat (access logs
    // with ids in their paths), so the cache pauses itself while it hits under 5 %.
    const caching = tree.pausedFor === 0 || --tree.pausedFor === 0;
    if (caching) {
      const cached = tree.cache.get(message);
      if (++tree.lookups === CACHE_SAMPLE) {
        if (tree.hits < CACHE_MIN_HITS) {
          tree.pausedFor = CACHE_PAUSE;
          tree.cache.clear();
        }
        tree.lookups = 0;
        tree.hits = 0;
      }
      if (cached !== undefined && !cached.evicted && cached.mergedInto === undefined) {
        tree.hits++;
        this.count(cached, time, seq);
        return { cluster: cached, created: false };
      }
    }
    const tokens = tokenize(message);
    const leaf = this.leaf(tree, tokens, false);
    let cluster = leaf === null ? null : this.find(tree, leaf, tokens);
    let created = false;
    if (cluster === null) {
      cluster = this.create(tree, source, tokens, time);
      created = true;
    } else generalise(cluster, tokens);
    this.count(cluster, time, seq);
    if (caching && tree.pausedFor === 0) {
      if (tree.cache.size >= CACHE_SIZE) tree.cache.clear();
      tree.cache.set(message, cluster);
    }
    return { cluster, created };
  }

  /** The id a pattern id stands for now (itself unless its cluster was merged into another). */
  resolve(id: string): string {
    let current = id;
    for (let hops = 0; hops < 16; hops++) {
      const next = this.aliases.get(current);
      if (next === undefined) return current;
      current = next;
    }
    return current;
  }

  get(source: string, id: string): Cluster | undefined {
    return this.trees.get(source)?.clusters.get(id);
  }

  *clusters(source?: string): IterableIterator<Cluster> {
    for (const [name, tree] of this.trees) {
      if (source === undefined || name === source) yield* tree.clusters.values();
    }
  }

  get size(): number {
    let n = 0;
    for (const tree of this.trees.values()) n += tree.clusters.size;
    return n;
  }

  /** Everything needed to rebuild the clusters with the same ids and counts. */
  save(): SavedCluster[] {
    const out: SavedCluster[] = [];
    for (const cluster of this.clusters()) {
      out.push({ id: cluster.id, source: cluster.source, tokens: cluster.tokens, count: cluster.count, firstSeen: cluster.firstSeen, lastSeen: cluster.lastSeen });
    }
    return out;
  }

  /** Restores saved clusters (at start, before any message). */
  load(saved: readonly SavedCluster[]): void {
    // Oldest use first, so the load order is also the eviction order.
    const ordered = [...saved].sort((a, b) => a.lastSeen - b.lastSeen);
    for (const s of ordered) {
      const tree = this.tree(s.source);
      if (tree.clusters.has(s.id)) continue;
      const cluster: Cluster = {
        id: s.id, source: s.source, tokens: [...s.tokens], template: s.tokens.join(' '),
        count: s.count, firstSeen: s.firstSeen, lastSeen: s.lastSeen, lastUsed: ++this.sequence, evicted: false, aux: undefined,
      };
      this.insert(tree, cluster);
    }
  }

  private tree(source: string): SourceTree {
    let tree = this.trees.get(source);
    if (tree === undefined) {
      tree = { byLength: new Map(), clusters: new Map(), cache: new Map(), lookups: 0, hits: 0, pausedFor: 0 };
      this.trees.set(source, tree);
    }
    this.lastSource = source;
    this.lastTree = tree;
    return tree;
  }

  private count(cluster: Cluster, time: number, seq: number): void {
    cluster.count++;
    cluster.lastUsed = seq;
    if (time > cluster.lastSeen) cluster.lastSeen = time;
  }

  /** The leaf for `tokens`; with `create`, the path is made (new tokens past maxChildren go to `<*>`). */
  private leaf(tree: SourceTree, tokens: readonly string[], create: boolean): TreeNode | null {
    let top = tree.byLength.get(tokens.length);
    if (top === undefined) {
      if (!create) return null;
      top = newNode();
      tree.byLength.set(tokens.length, top);
    }
    let node: TreeNode = top;
    const depth = Math.min(this.options.depth, tokens.length);
    for (let d = 0; d < depth; d++) {
      const token = tokens[d]!;
      const key = token.includes(WILDCARD) ? WILDCARD : token;
      let child: TreeNode | undefined = node.children.get(key);
      if (child === undefined && create) {
        const slot = node.children.size < this.options.maxChildren || key === WILDCARD ? key : WILDCARD;
        child = node.children.get(slot);
        if (child === undefined) {
          child = newNode();
          node.children.set(slot, child);
        }
      }
      if (child === undefined) child = node.children.get(WILDCARD);
      if (child === undefined) return null;
      node = child;
    }
    return node;
  }

  /**
   * The cluster `tokens` joins, or null. Two plain words that differ at a position are evidence of two
   * templates ("Starting …" vs "Ending …"), so a cluster is a candidate only where its template has
   * `<*>` at every such position; masked tokens and wildcards agree with anything. Among candidates
   * at or over the similarity threshold the most similar wins (ties: the more general one). When
   * none does, and `minVariants - 1` clusters differ from the message in one and the same word
   * position only, that position is a variable (a user name, a queue): they merge into the oldest,
   * whose template gets `<*>` there, and the message joins it.
   */
  private find(tree: SourceTree, leaf: TreeNode, tokens: readonly string[]): Cluster | null {
    const clusters = leaf.clusters;
    let best: Cluster | null = null;
    let bestSim = -1;
    let bestWild = -1;
    let variants: Cluster[] | null = null;
    let variantAt = -1;
    const n = tokens.length;
    for (let c = 0; c < clusters.length; c++) {
      const cluster = clusters[c]!;
      const template = cluster.tokens;
      let same = 0;
      let wild = 0;
      let neutral = 0;
      let hard = 0;
      let hardAt = -1;
      for (let i = 0; i < n; i++) {
        const t = template[i]!;
        const m = tokens[i]!;
        if (t === m) {
          if (t === WILDCARD) neutral++;
          else same++;
        }
        else if (t === WILDCARD) wild++;
        else if (!t.includes(WILDCARD) && !m.includes(WILDCARD)) {
          hard++;
          hardAt = i;
        }
      }
      if (hard === 0) {
        // Only the template's constant positions are evidence: two bare `<*>` say nothing, and a
        // learned `<*>` takes any word. A template with no constant left takes only fully masked
        // messages, so it never swallows every message of its length.
        const constants = n - neutral - wild;
        const sim = constants === 0 ? (wild === 0 ? 1 : 0) : same / constants;
        if (sim > bestSim || (sim === bestSim && wild > bestWild)) {
          best = cluster;
          bestSim = sim;
          bestWild = wild;
        }
      } else if (hard === 1 && best === null) {
        if (variants === null || (hardAt !== variantAt && variants.length < 2)) {
          variants = [cluster];
          variantAt = hardAt;
        } else if (hardAt === variantAt) variants.push(cluster);
      }
    }
    if (best !== null && bestSim >= this.options.similarity) return best;
    if (variants !== null && variants.length + 1 >= this.options.minVariants) return this.merge(tree, leaf, variants, variantAt);
    return null;
  }

  /** Merges clusters that differ only at `at` into the oldest; the others' ids become its aliases. */
  private merge(tree: SourceTree, leaf: TreeNode, variants: Cluster[], at: number): Cluster {
    const survivor = variants.reduce((a, b) => (b.firstSeen < a.firstSeen ? b : a));
    survivor.tokens[at] = WILDCARD;
    for (const other of variants) {
      if (other === survivor) continue;
      generalise(survivor, other.tokens);
      survivor.count += other.count;
      if (other.firstSeen < survivor.firstSeen) survivor.firstSeen = other.firstSeen;
      if (other.lastSeen > survivor.lastSeen) survivor.lastSeen = other.lastSeen;
      other.evicted = true;
      other.mergedInto = survivor;
      tree.clusters.delete(other.id);
      leaf.clusters.splice(leaf.clusters.indexOf(other), 1);
      this.aliases.set(other.id, survivor.id);
      this.onMerge?.(other, survivor);
    }
    survivor.template = survivor.tokens.join(' ');
    return survivor;
  }

  private create(tree: SourceTree, source: string, tokens: string[], time: number): Cluster {
    const template = tokens.join(' ');
    let id = patternId(source, template);
    for (let n = 1; tree.clusters.has(id); n++) id = patternId(source, `${template}#${n}`);
    if (tree.clusters.size >= this.options.maxClustersPerSource) this.evict(tree);
    const cluster: Cluster = { id, source, tokens, template, count: 0, firstSeen: time, lastSeen: time, lastUsed: 0, evicted: false, aux: undefined };
    this.insert(tree, cluster);
    return cluster;
  }

  private insert(tree: SourceTree, cluster: Cluster): void {
    this.leaf(tree, cluster.tokens, true)!.clusters.push(cluster);
    tree.clusters.set(cluster.id, cluster);
  }

  /** Drops the least recently used tenth at once, so eviction costs amortised O(1) per new cluster. */
  private evict(tree: SourceTree): void {
    const all = [...tree.clusters.values()].sort((a, b) => a.lastUsed - b.lastUsed);
    const drop = Math.max(1, Math.floor(all.length / 10));
    for (let i = 0; i < drop; i++) {
      const cluster = all[i]!;
      cluster.evicted = true;
      tree.clusters.delete(cluster.id);
      const leaf = this.leaf(tree, cluster.tokens, false);
      if (leaf !== null) {
        const at = leaf.clusters.indexOf(cluster);
        if (at >= 0) leaf.clusters.splice(at, 1);
      }
      this.evictions++;
      this.onEvict?.(cluster);
    }
  }
}

/** Turns the positions where `tokens` differ from the template into `<*>` (a `key=` prefix is kept). */
function generalise(cluster: Cluster, tokens: readonly string[]): void {
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
