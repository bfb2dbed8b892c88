// The matchers of a rule (pattern, level, source, where), compiled once into one test per entry.
// Cheapest checks run first: a level compare, a cached source decision, conditions, then the regex.
import { compileSafeRegex, type SafeRegex } from '../safe-regex.ts';
import { atLeast, type Level, type LogEntry } from '../types.ts';
import { compileNameMatcher } from '../glob.ts';
import { compileCondition, parseCondition, type EntryTest } from './conditions.ts';
import type { RuleConfig } from './config.ts';

/** Characters taken literally in a regex source (outside a class or escape) that can join a literal run. */
const LITERAL_CHAR = /[A-Za-z0-9 _\-:\/=,'"%@#!&~`<>;]/;
const QUANTIFIER = /[?*{]/;
/** Shorter literals filter too little to pay for the check. */
const MIN_LITERAL = 3;

/**
 * The longest literal (lowercase ASCII) that every match of a case-insensitive regex must contain, or
 * undefined when that cannot be proved simply: any top-level `|`, and every group, class, escape or
 * anchor ends a run; a character made optional by `?`, `*` or `{0,` is left out.
 * Safe under the `i` flag without the `u` flag, where an ASCII letter only ever matches its ASCII case pair.
 */
export function requiredLiteral(source: string): string | undefined {
  let best = '';
  let run = '';
  let depth = 0;
  let inClass = false;
  const endRun = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      endRun();
      const escaped = source[i + 1] ?? '';
      i++;
      // \x41, \u0041, \u{41}, \cJ, \k<name>, \12: what follows is part of the escape, not text.
      if (/[xucpPk0-9]/.test(escaped)) while (i + 1 < source.length && /[0-9A-Za-z_{}<>]/.test(source[i + 1])) i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      endRun();
      inClass = true;
      continue;
    }
    if (c === '(') {
      endRun();
      depth++;
      continue;
    }
    if (c === ')') {
      depth--;
      continue;
    }
    if (depth > 0) continue;
    if (c === '|') return undefined;
    if (c === '{') {
      // A count such as {2,5} (or a literal brace, which is rare): skipped either way.
      endRun();
      const close = source.indexOf('}', i);
      i = close === -1 ? source.length : close;
      continue;
    }
    if (LITERAL_CHAR.test(c)) {
      const next = source[i + 1];
      if (next !== undefined && QUANTIFIER.test(next)) {
        // Optional (`a?`, `a*`, `a{0,2}`) or repeated a counted number of times: leave it out.
        endRun();
        continue;
      }
      run += c.toLowerCase();
      if (next === '+') endRun();
      continue;
    }
    endRun();
  }
  endRun();
  return best.length >= MIN_LITERAL ? best : undefined;
}

/** `source` split at its top-level `|` (not inside a group, a class or after a backslash). */
function topLevelBranches(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(source.slice(start, i));
      start = i + 1;
    }
  }
  out.push(source.slice(start));
  return out;
}

/**
 * Literals of which every match must contain at least one: one per top-level alternative
 * (`connection failed|connection refused`), or undefined when some alternative has none.
 * The regex (linear-time, but slower than V8's) then runs only on lines holding one of them.
 */
export function requiredLiterals(source: string): string[] | undefined {
  const literals: string[] = [];
  for (const branch of topLevelBranches(source)) {
    const literal = requiredLiteral(branch);
    if (literal === undefined) return undefined;
    literals.push(literal);
  }
  return literals;
}

/**
 * What the matchers of every rule share for one entry: its message lowercased once (for the literal
 * prefilters), whichever rule asks first. One object is reused for all entries of a batch.
 */
export class MatchContext {
  entry: LogEntry | undefined = undefined;
  private lower: string | undefined = undefined;

  reset(entry: LogEntry): void {
    this.entry = entry;
    this.lower = undefined;
  }

  lowerMessage(): string {
    if (this.lower === undefined) this.lower = (this.entry as LogEntry).message.toLowerCase();
    return this.lower;
  }
}

export class EntryMatcher {
  private readonly minLevel: Level | undefined;
  private readonly source: ((name: string) => boolean) | undefined;
  private readonly conditions: EntryTest[];
  private readonly pattern: SafeRegex | undefined;
  private readonly literals: string[] | undefined;

  constructor(rule: Pick<RuleConfig, 'pattern' | 'level' | 'source' | 'where'>) {
    // UNKNOWN ranks lowest: a minimum of UNKNOWN is no level test at all.
    this.minLevel = rule.level === 'UNKNOWN' ? undefined : rule.level;
    this.source = rule.source === undefined ? undefined : compileNameMatcher(rule.source);
    this.conditions = (rule.where ?? []).map((text) => {
      const parsed = parseCondition(text);
      // The config schema has already rejected bad conditions; this guards code that skips it.
      if (!parsed.ok) throw new Error(parsed.error);
      return compileCondition(parsed.condition);
    });
    // Linear-time engine: the pattern is an admin's, the message anyone's (src/safe-regex.ts).
    this.pattern = rule.pattern === undefined ? undefined : compileSafeRegex(rule.pattern, { ignoreCase: true });
    this.literals = rule.pattern === undefined ? undefined : requiredLiterals(rule.pattern);
  }

  /** `context` carries the same entry, lowercased on demand and shared with the other rules. */
  matches(entry: LogEntry, context?: MatchContext): boolean {
    if (this.minLevel !== undefined && !atLeast(entry.level, this.minLevel)) return false;
    if (this.source !== undefined && !this.source(entry.source)) return false;
    const conditions = this.conditions;
    for (let i = 0; i < conditions.length; i++) if (!conditions[i](entry)) return false;
    if (this.pattern === undefined) return true;
    const literals = this.literals;
    if (literals !== undefined && context !== undefined) {
      const lower = context.lowerMessage();
      let found = false;
      for (let i = 0; i < literals.length && !found; i++) found = lower.includes(literals[i]);
      if (!found) return false;
    }
    return this.pattern.test(entry.message);
  }
}
