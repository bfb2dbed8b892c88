// The level of a line no format reads, from a level word standing alone near its start (as Grafana
// Loki's detected level and Dozzle do): `job-42 ERROR payment gateway timeout` is an error even with
// no format around it. The rules keep prose out: a word inside another word (`errorHandler`,
// `errors`) never counts, nor does a word past the first few tokens, nor a lower-case word that is
// not marked as a level (`no error found`). README "Log formats" documents the list and the rules.
import type { Level } from '../types.ts';

/** Only the first tokens count, and only within the first characters. */
export const KEYWORD_MAX_TOKENS = 6;
export const KEYWORD_MAX_CHARS = 80;

/** Level words; upper case counts standing alone, any other case only when marked (see below). */
const WORDS: ReadonlyMap<string, Level> = new Map([
  ['fatal', 'CRITICAL'], ['critical', 'CRITICAL'], ['crit', 'CRITICAL'], ['emerg', 'CRITICAL'],
  ['emergency', 'CRITICAL'], ['alert', 'CRITICAL'], ['panic', 'CRITICAL'],
  ['error', 'ERROR'], ['err', 'ERROR'], ['severe', 'ERROR'], ['exception', 'ERROR'], ['traceback', 'ERROR'],
  ['warn', 'WARNING'], ['warning', 'WARNING'],
  ['info', 'INFO'], ['notice', 'INFO'],
  ['debug', 'DEBUG'], ['trace', 'DEBUG'], ['verbose', 'DEBUG'],
]);

/** Words that count capitalised and standing alone too: they open a Java or Python failure. */
const CAPITALISED_ALONE: ReadonlySet<string> = new Set(['Exception', 'Traceback']);

const isSpace = (c: number) => c === 32 || c === 9;
const OPENERS = '[(<{"\'';
const CLOSERS = '])>}"\'';

function isUpperCase(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c < 65 || c > 90) return false;
  }
  return true;
}

/**
 * The level of the first level word among the line's first KEYWORD_MAX_TOKENS whitespace-separated
 * tokens (each starting within KEYWORD_MAX_CHARS), or undefined. A token is the word with at most one
 * bracket or quote before and after it (a pair when both) and one `:` `,` `;` `|` after that. It counts when the word is a level word
 * and either is upper case (`ERROR`, `[WARN]`, `FATAL:`), or is marked as a level: enclosed in brackets
 * (`[warn]`, `(Error)`, `<info>`) or followed by a colon (`error:`, `Warning:`). `Exception` and
 * `Traceback` count capitalised and standing alone (`Exception in thread "main"`).
 */
export function levelFromKeywords(line: string): Level | undefined {
  const n = line.length;
  let i = 0;
  for (let k = 0; k < KEYWORD_MAX_TOKENS; k++) {
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (i >= n || i >= KEYWORD_MAX_CHARS) return undefined;
    const start = i;
    while (i < n && !isSpace(line.charCodeAt(i))) i++;
    const level = tokenLevel(line.slice(start, i));
    if (level !== undefined) return level;
  }
  return undefined;
}

function tokenLevel(token: string): Level | undefined {
  let from = 0;
  let to = token.length;
  const opener = OPENERS.indexOf(token[0] ?? '');
  if (opener >= 0) from = 1;
  let last = token[to - 1];
  const colon = last === ':';
  if (colon || last === ',' || last === ';' || last === '|') last = token[--to - 1];
  const closer = last === undefined || to <= from ? -1 : CLOSERS.indexOf(last);
  if (closer >= 0) {
    // `[warn]` and `"error"` pair; `[warn)` is no token of ours.
    if (opener >= 0 && closer !== opener) return undefined;
    to--;
  }
  if (to - from < 3 || to - from > 9) return undefined;
  const word = token.slice(from, to);
  const level = WORDS.get(word.toLowerCase());
  if (level === undefined) return undefined;
  const bracketed = opener >= 0 && opener <= 2 && closer === opener;
  if (isUpperCase(word) || colon || bracketed || CAPITALISED_ALONE.has(word)) return level;
  return undefined;
}
