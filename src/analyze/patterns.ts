import { atLeast, type Level, type LogEntry } from '../types.ts';

export interface PatternCount {
  /** The message with its variable parts (numbers, ids, addresses, quoted strings) replaced by `<*>`. */
  template: string;
  count: number;
  /** Most severe level seen for it. */
  level: Level;
  lastSeen: number;
  /** One real message of this template. */
  example: string;
}

const MAX_MESSAGE = 300;

/** One rewrite of the template chain, tried only when the text holds a character every match needs. */
interface VariablePart {
  re: RegExp;
  /** Characters of which a match must contain at least one: a cheap exact test that skips the regex. */
  needs: (text: string) => boolean;
}

const hasDigit = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
};

// Order matters: the wider shapes first, so an address is not cut into numbers.
const VARIABLE_PARTS: VariablePart[] = [
  { re: /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, needs: (t) => t.includes('-') },
  { re: /\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, needs: (t) => t.includes('.') },
  { re: /\b(?:[0-9a-f]{2}:){5}[0-9a-f]{2}\b/gi, needs: (t) => t.includes(':') },
  { re: /"[^"]*"|'[^']*'/g, needs: (t) => t.includes('"') || t.includes("'") },
  { re: /\b0x[0-9a-f]+\b/gi, needs: (t) => t.includes('0x') || t.includes('0X') },
  { re: /\b[0-9a-f]*\d[0-9a-f]*\b(?=[^a-z]|$)/gi, needs: hasDigit },
  { re: /\d+/g, needs: hasDigit },
];
const RUNS = /(?:<\*>[\s,;:/.-]*){2,}/g;

/** Reduces a message to its template; `timeout after 30s to 10.0.0.1:5432` → `timeout after <*>s to <*>`. */
export function templateOf(message: string): string {
  let text = message.length > MAX_MESSAGE ? message.slice(0, MAX_MESSAGE) : message;
  const newline = text.indexOf('\n');
  if (newline >= 0) text = text.slice(0, newline);
  for (let i = 0; i < VARIABLE_PARTS.length; i++) {
    const part = VARIABLE_PARTS[i]!;
    if (part.needs(text)) text = text.replace(part.re, '<*>');
  }
  return (text.includes('<*>') ? text.replace(RUNS, '<*> ') : text).trim();
}

/** Templates of recent messages: mined levels repeat the same messages, whose template is then a lookup. */
const CACHE_SIZE = 2048;

/**
 * Counts message templates of warnings and worse ("top error messages"). Only those levels are mined:
 * it keeps the hot path free of regex work for the bulk of INFO/DEBUG lines.
 */
export class PatternMiner {
  private readonly counts = new Map<string, PatternCount>();
  private readonly templates = new Map<string, string>();
  private readonly maxTemplates: number;
  private readonly minLevel: Level;

  constructor(options: { maxTemplates?: number; minLevel?: Level } = {}) {
    this.maxTemplates = options.maxTemplates ?? 2000;
    this.minLevel = options.minLevel ?? 'WARNING';
  }

  record(entries: readonly LogEntry[]): void {
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      if (!atLeast(entry.level, this.minLevel)) continue;
      const template = this.template(entry.message);
      let count = this.counts.get(template);
      if (count === undefined) {
        if (this.counts.size >= this.maxTemplates) this.evictRarest();
        count = { template, count: 0, level: entry.level, lastSeen: 0, example: entry.message.slice(0, MAX_MESSAGE) };
        this.counts.set(template, count);
      }
      count.count++;
      if (!atLeast(count.level, entry.level)) count.level = entry.level;
      if (entry.time > count.lastSeen) count.lastSeen = entry.time;
    }
  }

  /** The most frequent templates, most frequent first. */
  top(limit: number): PatternCount[] {
    return [...this.counts.values()].sort((a, b) => b.count - a.count || b.lastSeen - a.lastSeen).slice(0, limit);
  }

  get size(): number {
    return this.counts.size;
  }

  private template(message: string): string {
    let template = this.templates.get(message);
    if (template === undefined) {
      template = templateOf(message);
      // Cleared rather than kept in LRU order: refilling costs what a miss costs anyway.
      if (this.templates.size >= CACHE_SIZE) this.templates.clear();
      this.templates.set(message, template);
    }
    return template;
  }

  private evictRarest(): void {
    // Drop the rarer half at once so eviction stays amortised O(1) per new template.
    const sorted = [...this.counts.values()].sort((a, b) => a.count - b.count || a.lastSeen - b.lastSeen);
    for (let i = 0; i < sorted.length / 2; i++) this.counts.delete(sorted[i].template);
  }
}
