// A validating scan of JSON object text that builds nothing: it accepts exactly the texts JSON.parse
// accepts as one object (whitespace around it allowed) and notes where the values of a few chosen
// top-level keys are. JSON lines are parsed by this scan; JSON.parse runs later, only for lines whose
// metadata someone reads (see entry.ts).
//
// Why it is shaped so: on the hot path the cost is branch mispredictions at token ends, so the scan is
// a recursive descent (after a key comes `:` and a value, after a value `,` or the close: predictable)
// with tight character loops inside strings and numbers.

/** Kind of a recorded value: the char code its text starts with (`"` `{` `[` `t` `f` `n`, or NUMBER). */
export const STRING = 34;
export const OBJECT = 123;
export const ARRAY = 91;
export const TRUE = 116;
export const FALSE = 102;
export const NULL = 110;
export const NUMBER = 48;

/** What `scan` answers. */
export const NOT_JSON = 0;
export const SCANNED = 1;
/** Nested deeper than the scan follows (only possible in long lines): decide with JSON.parse. */
export const TOO_DEEP = 2;

/** Recursion stops here; a line must be over 2 × this long to nest so deep. */
const MAX_SCAN_DEPTH = 600;
const MAX_KEY_LENGTH = 64;
// Negative positions report failure up the recursion.
const FAIL = -1;
const DEEP = -2;

export class JsonKeyScanner {
  /** Per chosen key (by index): where its value's text starts and ends (`[start, end)`), and its kind. */
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly kind: Uint8Array;
  /** Per chosen key: whether its value, a string, has escapes (decode it with JSON.parse). */
  readonly escapes: Uint8Array;
  /** Deepest nesting of the last scanned text (the object itself is 1). */
  maxDepth = 0;
  private readonly seen: Int32Array;
  private generation = 0;
  private readonly byLength: Array<number[] | undefined> = [];
  private readonly byName = new Map<string, number>();
  /** Whether the last string scanned had an escape. */
  private escaped = false;

  constructor(private readonly keys: readonly string[]) {
    const n = keys.length;
    this.start = new Int32Array(n);
    this.end = new Int32Array(n);
    this.kind = new Uint8Array(n);
    this.escapes = new Uint8Array(n);
    this.seen = new Int32Array(n);
    keys.forEach((key, i) => {
      this.byName.set(key, i);
      if (key.length <= MAX_KEY_LENGTH) (this.byLength[key.length] ??= []).push(i);
    });
  }

  /** Whether key `index` was found at the top level of the last scanned text (its last occurrence counts). */
  has(index: number): boolean {
    return this.seen[index] === this.generation;
  }

  /** Scans `text`, whose `{` is at `from`: NOT_JSON, SCANNED (then `has`, `start`... describe the keys), or TOO_DEEP. */
  scan(text: string, from: number): number {
    if (++this.generation === 0x7fffffff) {
      this.generation = 1;
      this.seen.fill(0);
    }
    this.maxDepth = 1;
    let i = this.object(text, from, 1);
    if (i === DEEP) return TOO_DEEP;
    if (i < 0) return NOT_JSON;
    let c = text.charCodeAt(i);
    while (c === 32 || c === 9 || c === 10 || c === 13) c = text.charCodeAt(++i);
    return i >= text.length ? SCANNED : NOT_JSON;
  }

  /** `text[i]` is `{`: the index after its closing `}`, or FAIL / DEEP. */
  private object(text: string, i: number, depth: number): number {
    let c = text.charCodeAt(++i);
    while (c === 32 || c === 9 || c === 10 || c === 13) c = text.charCodeAt(++i);
    if (c === 125) return i + 1;
    for (;;) {
      if (c !== 34) return FAIL;
      const keyEnd = this.stringEnd(text, i + 1);
      if (keyEnd < 0) return FAIL;
      const key = depth !== 1 ? -1 : this.escaped ? this.lookupEscaped(text, i, keyEnd) : this.lookup(text, i + 1, keyEnd);
      i = keyEnd + 1;
      c = text.charCodeAt(i);
      while (c === 32 || c === 9 || c === 10 || c === 13) c = text.charCodeAt(++i);
      if (c !== 58) return FAIL;
      c = text.charCodeAt(++i);
      while (c === 32 || c === 9 || c === 10 || c === 13) c = text.charCodeAt(++i);
      const valueEnd = this.value(text, i, c, depth);
      if (valueEnd < 0) return valueEnd;
      if (key >= 0) {
        this.seen[key] = this.generation;
        this.start[key] = i;
        this.end[key] = valueEnd;
        this.kind[key] = c === 45 || (c >= 48 && c <= 57) ? NUMBER : c;
        this.escapes[key] = c === 34 && this.escaped ? 1 : 0;
      }
      i = valueEnd;
      c = text.charCodeAt(i);
      while (c === 32 || c === 9 || c === 10 || c === 13) c = text.charCodeAt(++i);
      if (c === 125) return i + 1;
      if (c !== 44) return FAIL;
      c = text.charCodeAt(++i);
      while (c === 32 || c === 9 || c === 10 || c === 13) c = text.charCodeAt(++i);
    }
  }

  /** `text[i]` is `[`: the index after its closing `]`, or FAIL / DEEP. */
  private array(text: string, i: number, depth: number): number {
    let c = text.charCodeAt(++i);
    while (c === 32 || c === 9 || c === 10 || c === 13) c = text.charCodeAt(++i);
    if (c === 93) return i + 1;
    for (;;) {
      const valueEnd = this.value(text, i, c, depth);
      if (valueEnd < 0) return valueEnd;
      i = valueEnd;
      c = text.charCodeAt(i);
      while (c === 32 || c === 9 || c === 10 || c === 13) c = text.charCodeAt(++i);
      if (c === 93) return i + 1;
      if (c !== 44) return FAIL;
      c = text.charCodeAt(++i);
      while (c === 32 || c === 9 || c === 10 || c === 13) c = text.charCodeAt(++i);
    }
  }

  /** A value starting at `i` (its first char code `c`) inside a container at `depth`: the index after it. */
  private value(text: string, i: number, c: number, depth: number): number {
    if (c === 34) {
      const end = this.stringEnd(text, i + 1);
      return end < 0 ? FAIL : end + 1;
    }
    if (c === 123 || c === 91) {
      if (depth === MAX_SCAN_DEPTH) return DEEP;
      if (depth >= this.maxDepth) this.maxDepth = depth + 1;
      return c === 123 ? this.object(text, i, depth + 1) : this.array(text, i, depth + 1);
    }
    if (c === 45 || (c >= 48 && c <= 57)) return numberEnd(text, i);
    if (c === 116) return text.charCodeAt(i + 1) === 114 && text.charCodeAt(i + 2) === 117 && text.charCodeAt(i + 3) === 101 ? i + 4 : FAIL;
    if (c === 102) {
      return text.charCodeAt(i + 1) === 97 && text.charCodeAt(i + 2) === 108 && text.charCodeAt(i + 3) === 115 && text.charCodeAt(i + 4) === 101 ? i + 5 : FAIL;
    }
    if (c === 110) return text.charCodeAt(i + 1) === 117 && text.charCodeAt(i + 2) === 108 && text.charCodeAt(i + 3) === 108 ? i + 4 : FAIL;
    return FAIL;
  }

  /** Index of the closing quote of a string whose content starts at `j`, or FAIL when it is not valid JSON. */
  private stringEnd(text: string, j: number): number {
    this.escaped = false;
    for (;;) {
      let c = text.charCodeAt(j);
      // Plain characters: anything from space up but the quote and the backslash (letters first: most common).
      while (c > 92 || (c > 34 && c < 92) || c === 32 || c === 33) c = text.charCodeAt(++j);
      if (c === 34) return j;
      if (c !== 92) return FAIL; // a control character, or the end of the text
      this.escaped = true;
      const e = text.charCodeAt(j + 1);
      if (e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116) j += 2;
      else if (e === 117) {
        for (let k = 2; k < 6; k++) if (!isHex(text.charCodeAt(j + k))) return FAIL;
        j += 6;
      } else return FAIL;
    }
  }

  /** The chosen key spelled by `text[start, end)`, or -1. */
  private lookup(text: string, start: number, end: number): number {
    const length = end - start;
    if (length > MAX_KEY_LENGTH) return -1;
    const candidates = this.byLength[length];
    if (candidates === undefined) return -1;
    const first = text.charCodeAt(start);
    for (let k = 0; k < candidates.length; k++) {
      const index = candidates[k]!;
      const key = this.keys[index]!;
      if (key.charCodeAt(0) !== first) continue;
      let m = 1;
      while (m < length && key.charCodeAt(m) === text.charCodeAt(start + m)) m++;
      if (m === length) return index;
    }
    return -1;
  }

  /** A key written with escapes: decoded, then looked up. */
  private lookupEscaped(text: string, quote: number, end: number): number {
    return this.byName.get(JSON.parse(text.slice(quote, end + 1)) as string) ?? -1;
  }
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** Index after the JSON number starting at `i`, or FAIL when there is none. */
function numberEnd(text: string, i: number): number {
  let c = text.charCodeAt(i);
  if (c === 45) c = text.charCodeAt(++i);
  if (c === 48) c = text.charCodeAt(++i);
  else if (c >= 49 && c <= 57) {
    do c = text.charCodeAt(++i);
    while (c >= 48 && c <= 57);
  } else return FAIL;
  if (c === 46) {
    c = text.charCodeAt(++i);
    if (!(c >= 48 && c <= 57)) return FAIL;
    do c = text.charCodeAt(++i);
    while (c >= 48 && c <= 57);
  }
  if (c === 101 || c === 69) {
    c = text.charCodeAt(++i);
    if (c === 43 || c === 45) c = text.charCodeAt(++i);
    if (!(c >= 48 && c <= 57)) return FAIL;
    do c = text.charCodeAt(++i);
    while (c >= 48 && c <= 57);
  }
  return i;
}
