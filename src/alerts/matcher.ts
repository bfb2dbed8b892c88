// The matchers of a rule (pattern, level, source, where), compiled once into one test per entry.
// Cheapest checks run first: a level compare, a cached source decision, conditions, then the regex.
import { LEVEL_RANK, type LogEntry } from '../types.ts';
import { compileCondition, parseCondition, type EntryTest } from './conditions.ts';
import type { RuleConfig } from './config.ts';

/** True when the text has glob metacharacters (`*`, `?`, `[...]`). */
export function isGlob(text: string): boolean {
  return /[*?[]/.test(text);
}

/**
 * `*` matches within one path segment, `**` across segments, `?` one character, `[abc]` a class.
 * Anchored at both ends, so `logs/*.log` does not match `old/logs/a.log`.
 */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          out += '(?:.*/)?';
        } else out += '.*';
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) out += '\\[';
      else {
        const body = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
        out += body.startsWith('!') ? `[^${body.slice(1)}]` : `[${body}]`;
        i = end;
      }
    } else out += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** Exact string or glob; each distinct value's answer is cached (sources are few, lines are many). */
export function compileNameMatcher(spec: string, cacheLimit = 10_000): (name: string) => boolean {
  if (!isGlob(spec)) return (name) => name === spec;
  const re = globToRegExp(spec);
  const cache = new Map<string, boolean>();
  return (name) => {
    let hit = cache.get(name);
    if (hit === undefined) {
      hit = re.test(name);
      if (cache.size >= cacheLimit) cache.clear();
      cache.set(name, hit);
    }
    return hit;
  };
}

export class EntryMatcher {
  private readonly minRank: number;
  private readonly source: ((name: string) => boolean) | undefined;
  private readonly conditions: EntryTest[];
  private readonly pattern: RegExp | undefined;

  constructor(rule: Pick<RuleConfig, 'pattern' | 'level' | 'source' | 'where'>) {
    this.minRank = rule.level === undefined ? 0 : LEVEL_RANK[rule.level];
    this.source = rule.source === undefined ? undefined : compileNameMatcher(rule.source);
    this.conditions = (rule.where ?? []).map((text) => {
      const parsed = parseCondition(text);
      // The config schema has already rejected bad conditions; this guards code that skips it.
      if (!parsed.ok) throw new Error(parsed.error);
      return compileCondition(parsed.condition);
    });
    this.pattern = rule.pattern === undefined ? undefined : new RegExp(rule.pattern, 'i');
  }

  matches(entry: LogEntry): boolean {
    if (this.minRank !== 0 && LEVEL_RANK[entry.level] < this.minRank) return false;
    if (this.source !== undefined && !this.source(entry.source)) return false;
    const conditions = this.conditions;
    for (let i = 0; i < conditions.length; i++) if (!conditions[i](entry)) return false;
    return this.pattern === undefined || this.pattern.test(entry.message);
  }
}
