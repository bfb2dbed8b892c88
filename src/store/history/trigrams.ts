// A per-block filter of the character trigrams in the entries' lowercased text, so a substring search
// skips every block that cannot contain the needle: if the needle occurs in a text, each of its
// trigrams does too. One hash per trigram into a bitmap (a one-hash Bloom filter); a false positive
// costs a block read, never a wrong answer. Whole-word tokens would not do: `q` is a substring, and a
// needle may start or end inside a word.

const MAX_BITS = 1 << 16;
const MIN_BITS = 1 << 9;

/** Accumulates trigrams into a 64 Kbit bitmap; `finish` folds it to about two bits per distinct trigram. */
export class TrigramBuilder {
  private readonly bits = new Uint8Array(MAX_BITS >> 3);
  private set = 0;

  add(text: string): void {
    const lower = text.toLowerCase();
    const bits = this.bits;
    let a = lower.charCodeAt(0);
    let b = lower.charCodeAt(1);
    for (let i = 2; i < lower.length; i++) {
      const c = lower.charCodeAt(i);
      const h = trigramHash(a, b, c) & (MAX_BITS - 1);
      const byte = h >> 3;
      const mask = 1 << (h & 7);
      if ((bits[byte] & mask) === 0) {
        bits[byte] |= mask;
        this.set++;
      }
      a = b;
      b = c;
    }
  }

  /** The bitmap, folded (OR of halves) while it stays under half full, so sparse blocks stay small. */
  finish(): Uint8Array {
    let size = MAX_BITS;
    let bits = this.bits;
    while (size > MIN_BITS && this.set * 4 < size) {
      const half = size >> 1;
      const folded = new Uint8Array(half >> 3);
      for (let i = 0; i < folded.length; i++) folded[i] = bits[i] | bits[i + folded.length];
      bits = folded;
      size = half;
    }
    return bits === this.bits ? bits.slice() : bits;
  }
}

function trigramHash(a: number, b: number, c: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 12)) >>> 0;
}

/** The hashes of a needle's trigrams (lowercased); empty when it is too short to prune anything. */
export function needleHashes(needle: string): number[] {
  const lower = needle.toLowerCase();
  const out: number[] = [];
  for (let i = 2; i < lower.length; i++) out.push(trigramHash(lower.charCodeAt(i - 2), lower.charCodeAt(i - 1), lower.charCodeAt(i)));
  return out;
}

/** False only when the block's text cannot contain the needle. */
export function mayContain(bitmap: Uint8Array, hashes: readonly number[]): boolean {
  const mask = bitmap.length * 8 - 1;
  for (const hash of hashes) {
    const h = hash & mask;
    if ((bitmap[h >> 3] & (1 << (h & 7))) === 0) return false;
  }
  return true;
}
