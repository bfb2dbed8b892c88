// The per-key states of a rule, bounded: past `capacity` keys the least recently seen is evicted.

export interface TrackedKey {
  readonly key: string;
  /** Seen since it last reached the front of the eviction order (second-chance / CLOCK approximation of LRU). */
  referenced: boolean;
}

/**
 * A Map in insertion order used as a CLOCK queue: touching a key only sets a flag (no reordering per
 * match); eviction looks at the front, moves referenced keys to the back and removes the first that
 * is not. Each touch pays for at most one move, so eviction is O(1) amortised.
 */
export class KeyTable<S extends TrackedKey> {
  evicted = 0;
  private readonly map = new Map<string, S>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.map.size;
  }

  /** The state of `key`, marked as recently seen. */
  touch(key: string): S | undefined {
    const state = this.map.get(key);
    if (state !== undefined) state.referenced = true;
    return state;
  }

  peek(key: string): S | undefined {
    return this.map.get(key);
  }

  /** Adds a new key, evicting first when full; returns the evicted state, if any. */
  insert(state: S): S | undefined {
    const evicted = this.map.size >= this.capacity ? this.evictOne() : undefined;
    this.map.set(state.key, state);
    return evicted;
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  values(): IterableIterator<S> {
    return this.map.values();
  }

  private evictOne(): S | undefined {
    // Bounded: after one full pass every flag is cleared, so the front is taken regardless.
    for (let pass = this.map.size; pass > 0; pass--) {
      const front = this.map.values().next().value as S;
      if (!front.referenced) return this.remove(front);
      front.referenced = false;
      this.map.delete(front.key);
      this.map.set(front.key, front);
    }
    return this.remove(this.map.values().next().value as S);
  }

  private remove(state: S): S {
    this.map.delete(state.key);
    this.evicted++;
    return state;
  }
}
