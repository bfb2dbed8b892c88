// Regular expressions written by admins (rule patterns, custom formats) or readers (the `q` search) run
// against lines written by anyone. V8's backtracking engine can take exponential time on patterns such
// as (a+)+$ with a hostile line, stalling the whole pipeline. These run on re2js instead: RE2's
// automata in pure JavaScript, linear in the line's length whatever the pattern (README "Security").
// What RE2 cannot do in linear time (lookaround, backreferences) is refused at load with the reason.
import { RE2JS } from 're2js';

export interface SafeRegex {
  readonly source: string;
  /** Whether the pattern matches anywhere in `text` (like RegExp.prototype.test, unanchored). */
  test(text: string): boolean;
  /** The first match's named groups (unmatched groups undefined), or null. */
  exec(text: string): { groups: Record<string, string | undefined> } | null;
}

export class UnsafeRegexError extends Error {}

const HINTS: Array<[RegExp, string]> = [
  [/\(\?<[=!]/, 'lookbehind ((?<= or (?<!) is not supported'],
  [/\(\?[=!]/, 'lookahead ((?= or (?!) is not supported'],
  [/\\[1-9]|\\k</, 'backreferences (\\1, \\k<name>) are not supported'],
  [/\\u[0-9a-fA-F{]/, '\\uXXXX escapes are not supported; write \\x{XXXX} instead'],
  [/\{\d*,?\d{4,}\}/, 'repeat counts above 1000 are not supported'],
];

function explain(source: string, engineMessage: string): string {
  const hint = HINTS.find(([re]) => re.test(source))?.[1];
  return `${hint ?? engineMessage}: LogWatch runs user patterns on re2js, a linear-time (RE2) engine, so that no log line can stall it; rewrite the pattern without it (README "Security")`;
}

/** Compiles `source` for re2js; throws UnsafeRegexError saying what to change. */
export function compileSafeRegex(source: string, options: { ignoreCase?: boolean } = {}): SafeRegex {
  let re: RE2JS;
  try {
    re = RE2JS.compile(source, options.ignoreCase === true ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (err) {
    // Invalid in JavaScript too: a plain syntax error. Valid there: a feature RE2 leaves out on purpose.
    try {
      new RegExp(source, options.ignoreCase === true ? 'i' : '');
    } catch (jsErr) {
      throw new UnsafeRegexError(`not a valid regular expression: ${(jsErr as Error).message}`);
    }
    throw new UnsafeRegexError(explain(source, (err as Error).message.replace(/^error parsing regexp: /, '')));
  }
  return {
    source,
    test: (text) => re.test(text),
    exec: (text) => {
      const m = re.exec(text) as { groups?: Record<string, string | undefined> } | null;
      return m === null ? null : { groups: m.groups ?? {} };
    },
  };
}

/** Why `source` cannot be used, or null (for config validation). */
export function safeRegexProblem(source: string, options: { ignoreCase?: boolean } = {}): string | null {
  try {
    compileSafeRegex(source, options);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}
