// Turns a message into the tokens the template miner compares, with the obvious variables already
// masked to `<*>`. Masking before mining matters twice: lines that differ only in a number land in
// the same cluster at once (the tree routes on tokens, so an unmasked number would open a new branch
// per value), and the tree stays small. One pass over the characters, no regex on the hot path: the
// analyzer runs synchronously for every entry.
//
// What is masked (the whole token, keeping a `key=`/`key:` prefix and surrounding brackets or
// punctuation, so `(uid=0),` becomes `(uid=<*>),`):
//   - any token holding a digit: numbers, IPs (with :port), hex, UUIDs, dates, times, durations,
//     versions, ids like blk_123 (a constant word with a digit, such as `ssh2`, is masked the same way
//     on every line, which costs nothing);
//   - paths (`/var/x`, `./x`, `~/x`, `C:\x`, `dir/file.txt`, `com.app/.Main`), URLs (`scheme://`),
//     e-mail addresses;
//   - quoted strings, spaces inside them included (`"View Lock"`), when the quote opens a token or
//     follows `=`/`:` and closes at a token end (so an apostrophe in `can't` is left alone).
// A run of masked tokens collapses into one (`(stack @0x1 @0x2 @0x3)` → `(stack <*>)`): a list of
// variable length is one variable, not a different template per length.
// JSON objects and logfmt lines are tokenised by their structure: a token per key, `key=<value
// masked as above>`, except the message field, whose words are tokens of their own.

export const WILDCARD = '<*>';
/** Tokens kept per message; the rest becomes one `<*>` (Loki's pattern ingester stops at 80 too). */
export const MAX_TOKENS = 80;
/** Only the first line of an entry is mined (a stack trace's frames are not its template). */
const MAX_CHARS = 2000;
/** Month and weekday names: the words of a date (`at Fri Jun 17 07:07:00 2005`) vary like its digits. */
const DATE_WORDS = new Set(
  'Jan Feb Mar Apr May Jun Jul Aug Sep Sept Oct Nov Dec January February March April June July August September October November December Mon Tue Wed Thu Fri Sat Sun Monday Tuesday Wednesday Thursday Friday Saturday Sunday'
    .split(' ')
    .flatMap((w) => [w, w.toUpperCase()]),
);
/** Units written as a word after a number (`5.2 KB`, `30 ms`): part of the value, not of the template. */
const UNITS = new Set('B KB MB GB TB PB kB KiB MiB GiB TiB b bytes ns us µs ms s sec secs seconds min mins minutes h hrs hours'.split(' '));
const MESSAGE_KEYS = new Set(['msg', 'message', 'event', 'error', 'err', 'log']);

const SPACE = 32;
const TAB = 9;
const DQUOTE = 34;
const SQUOTE = 39;

function isSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === 13;
}

/**
 * The text an entry is mined by: its message, or its raw line when the parser left the message empty
 * (a line whose only words were read as its level): a pattern of nothing would group unrelated lines.
 */
export function minedText(entry: { message: string; raw: string }): string {
  const m = entry.message;
  for (let i = 0; i < m.length; i++) if (!isSpace(m.charCodeAt(i)) && m.charCodeAt(i) !== 10) return m;
  return entry.raw;
}

/** Tokens of the message's first line, variables masked. */
export function tokenize(message: string): string[] {
  let end = message.indexOf('\n');
  if (end < 0) end = message.length;
  if (end > MAX_CHARS) end = MAX_CHARS;
  const first = message.charCodeAt(0);
  if (first === 123 /* { */) {
    const structured = jsonTokens(message, end);
    if (structured !== null) return structured;
  }
  const out: string[] = [];
  scanTokens(message, 0, end, out, true);
  return out;
}

/**
 * Appends the masked tokens of `text[start, end)` to `out`. With `logfmt`, a line made only of
 * `key=value` pairs has its message field expanded into words instead of masked as one quoted string.
 */
function scanTokens(text: string, start: number, end: number, out: string[], logfmt: boolean): void {
  const from = out.length;
  let pairs = 0;
  let words = 0;
  let i = start;
  while (i < end) {
    let c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const tokenStart = i;
    let digit = false;
    let quoted = false;
    let slash = false;
    let at = false;
    let eq = -1;
    while (i < end) {
      c = text.charCodeAt(i);
      if (isSpace(c)) break;
      if (c >= 48 && c <= 57) digit = true;
      else if (c === DQUOTE || c === SQUOTE) {
        const prev = i === tokenStart ? SPACE : text.charCodeAt(i - 1);
        if (prev === SPACE || prev === 61 /* = */ || prev === 58 /* : */ || prev === 40 /* ( */ || prev === 91 /* [ */) {
          const close = closingQuote(text, i + 1, end, c);
          if (close > 0) {
            quoted = true;
            i = close + 1;
            continue;
          }
        }
      } else if (c === 47 /* / */ || c === 92 /* \ */) slash = true;
      else if (c === 64 /* @ */) at = true;
      else if (c === 61 /* = */ && eq < 0) eq = i;
      i++;
    }
    words++;
    if (eq > tokenStart) pairs++;
    if (out.length - from >= MAX_TOKENS) continue;
    let token: string;
    if (digit || quoted || (slash && isPathOrUrl(text, tokenStart, i)) || (at && isEmail(text, tokenStart, i))) {
      token = masked(text, tokenStart, i);
    } else {
      token = text.slice(tokenStart, i);
      const first = text.charCodeAt(tokenStart);
      // Date words start with a capital: most tokens skip the set lookup (hashing a fresh string).
      if (first >= 65 && first <= 90 && i - tokenStart <= 9 && i - tokenStart >= 3 && DATE_WORDS.has(token)) token = WILDCARD;
      else if (i - tokenStart <= 8 && out.length > from && out[out.length - 1] === WILDCARD && isUnit(token)) token = WILDCARD + trailing(token);
    }
    pushCollapsing(out, from, token);
  }
  if (logfmt && pairs >= 2 && pairs === words) {
    // Every token is key=value: re-scan with the message field's words as tokens.
    out.length = from;
    logfmtTokens(text, start, end, out);
  }
  if (out.length - from > MAX_TOKENS) out.length = from + MAX_TOKENS;
}

/** Adds a token; a masked token right after a bare `<*>` replaces it (one variable, any length). */
function pushCollapsing(out: string[], from: number, token: string): void {
  const last = out.length - 1;
  if (last >= from && out[last] === WILDCARD && token.startsWith(WILDCARD)) out[last] = token;
  else out.push(token);
}

function isUnit(token: string): boolean {
  let e = token.length;
  while (e > 0 && isClosing(token.charCodeAt(e - 1))) e--;
  return UNITS.has(e === token.length ? token : token.slice(0, e));
}

function trailing(token: string): string {
  let e = token.length;
  while (e > 0 && isClosing(token.charCodeAt(e - 1))) e--;
  return token.slice(e);
}

/** Index of the quote closing a quoted run that ends a token (followed by space, end or punctuation). */
function closingQuote(text: string, from: number, end: number, quote: number): number {
  for (let j = from; j < end; j++) {
    if (text.charCodeAt(j) !== quote) continue;
    if (j + 1 >= end) return j;
    const next = text.charCodeAt(j + 1);
    if (isSpace(next) || next === 44 || next === 59 || next === 41 || next === 93 || next === 125 || next === 46 || next === 58) return j;
  }
  return -1;
}

function isPathOrUrl(text: string, start: number, end: number): boolean {
  let s = start;
  while (s < end && isOpening(text.charCodeAt(s))) s++;
  const c = text.charCodeAt(s);
  if (c === 47 /* / */) return end - s > 1 && text.charCodeAt(s + 1) !== 47 ? true : text.startsWith('//', s) && end - s > 2;
  if ((c === 46 /* . */ || c === 126 /* ~ */) && text.charCodeAt(s + 1) === 47) return true;
  if (text.charCodeAt(s + 1) === 58 && text.charCodeAt(s + 2) === 92) return true; // C:\
  const scheme = text.indexOf('://', s);
  if (scheme > s && scheme < end) return true;
  // A relative path or a qualified name with a slash (`src/main.ts`, `com.app/.MainActivity`):
  // a slash between characters and a dot somewhere.
  const slash = text.indexOf('/', s + 1);
  if (slash < 0 || slash >= end - 1) return false;
  const dot = text.indexOf('.', s);
  return dot >= 0 && dot < end;
}

function isEmail(text: string, start: number, end: number): boolean {
  const at = text.indexOf('@', start);
  if (at <= start || at >= end - 3) return false;
  const dot = text.indexOf('.', at);
  return dot > at + 1 && dot < end - 1;
}

function isOpening(c: number): boolean {
  return c === 40 || c === 91 || c === 123 || c === 60 || c === DQUOTE || c === SQUOTE;
}

function isClosing(c: number): boolean {
  return c === 41 || c === 93 || c === 125 || c === 62 || c === 44 || c === 59 || c === 46 || c === 58 || c === 33 || c === 63 || c === DQUOTE || c === SQUOTE;
}

function isKeyChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45 || c === 46;
}

/** `<lead><key=>` + `<*>` + `<trailing punctuation>` of the token `text[start, end)`. */
function masked(text: string, start: number, end: number): string {
  let s = start;
  while (s < end && isOpening(text.charCodeAt(s))) s++;
  // A key is letters (no digits: `blk_12:` is a value) followed by `=` or `:`.
  let k = s;
  while (k < end && isKeyChar(text.charCodeAt(k))) k++;
  const sep = text.charCodeAt(k);
  // `https://…` and `C:\…` are one value, not a key.
  const url = sep === 58 && (text.charCodeAt(k + 1) === 47 || text.charCodeAt(k + 1) === 92);
  const keyEnd = k > s && k < end - 1 && (sep === 61 || (sep === 58 && !url)) ? k + 1 : s;
  let e = end;
  while (e > keyEnd && isClosing(text.charCodeAt(e - 1))) e--;
  // A quoted value keeps no closing quote of its own: `"a b"` and `"a"` mask alike.
  let v = keyEnd;
  while (v < e && isOpening(text.charCodeAt(v))) v++;
  if (e <= v) return text.slice(start, end);
  if (start === v && e === end) return WILDCARD;
  return text.slice(start, v) + WILDCARD + text.slice(e, end);
}

/** logfmt: `key=<*>` per pair, the message field's words as tokens. */
function logfmtTokens(text: string, start: number, end: number, out: string[]): void {
  const from = out.length;
  let i = start;
  while (i < end) {
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    if (i >= end) break;
    const keyStart = i;
    while (i < end && text.charCodeAt(i) !== 61 && !isSpace(text.charCodeAt(i))) i++;
    const key = text.slice(keyStart, i);
    i++; // '='
    let valueStart = i;
    let valueEnd: number;
    if (text.charCodeAt(i) === DQUOTE) {
      const close = text.indexOf('"', i + 1);
      valueStart = i + 1;
      valueEnd = close < 0 || close > end ? end : close;
      i = valueEnd + 1;
    } else {
      while (i < end && !isSpace(text.charCodeAt(i))) i++;
      valueEnd = i;
    }
    if (MESSAGE_KEYS.has(key.toLowerCase())) {
      out.push(`${key}=`);
      scanTokens(text, valueStart, valueEnd, out, false);
    } else {
      out.push(`${key}=${valueToken(text.slice(valueStart, valueEnd))}`);
    }
    if (out.length - from >= MAX_TOKENS) break;
  }
}

/** A value as a token: kept when it is one word without digits (a level, a method), else `<*>`. */
function valueToken(value: string): string {
  const inner: string[] = [];
  scanTokens(value, 0, value.length, inner, false);
  return inner.length === 1 && !inner[0]!.includes(WILDCARD) && value.length <= 32 ? inner[0]! : WILDCARD;
}

/** A JSON object's tokens (`key=<value>` per field, nested keys dotted), or null when it is not one. */
function jsonTokens(message: string, end: number): string[] | null {
  let value: unknown;
  try {
    value = JSON.parse(end < message.length ? message.slice(0, end) : message);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const out: string[] = [];
  jsonFields(value as Record<string, unknown>, '', out, 0);
  if (out.length > MAX_TOKENS) out.length = MAX_TOKENS;
  return out;
}

function jsonFields(object: Record<string, unknown>, prefix: string, out: string[], depth: number): void {
  for (const key of Object.keys(object)) {
    if (out.length >= MAX_TOKENS) return;
    const value = object[key];
    const name = prefix + key;
    if (typeof value === 'string' && MESSAGE_KEYS.has(key.toLowerCase())) {
      out.push(`${name}=`);
      scanTokens(value, 0, Math.min(value.length, MAX_CHARS), out, false);
    } else if (typeof value === 'string') out.push(`${name}=${valueToken(value)}`);
    else if (typeof value === 'number') out.push(`${name}=${WILDCARD}`);
    else if (value !== null && typeof value === 'object' && !Array.isArray(value) && depth < 2) {
      jsonFields(value as Record<string, unknown>, `${name}.`, out, depth + 1);
    } else if (value === null || typeof value === 'boolean') out.push(`${name}=${String(value)}`);
    else out.push(`${name}=${WILDCARD}`);
  }
}
