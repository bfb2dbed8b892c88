// The one glob dialect of LogWatch, for watch globs (sources/glob.ts walks directories with it) and for
// a rule's `source` (alerts/matcher.ts tests source names with it), so that a path that a watch glob
// picks up is matched the same way by a rule with the same pattern. Pure: pattern in, RegExp out.
//
//   `*`       any run of characters within one path segment (not `/`)
//   `?`       one character, not `/`
//   `[abc]`   one of a class (ranges `a-z`; `[!abc]` or `[^abc]` negates; `]` first is literal), never `/`
//   `{a,b}`   alternatives within one segment, nested too; `{a}` without a comma is literal text
//   `**`      as a whole segment: zero or more directories (never ones whose name starts with `.`);
//             as the last segment: every file below
//   `\x`      the character x literally (`\*`, `\{`, `\\`)
//   A `*`, `?` or `[...]` never matches a leading `.` of a segment (as in a shell); write the dot.
// An unclosed `[` or `{` is literal text. Braces expand first, so `{*,a}` starting a segment still
// leaves dot files out.

/** True when the text has anything this dialect reads specially (else it names itself exactly). */
export function isGlob(text: string): boolean {
  return /[*?[{\\]/.test(text);
}

/** Splits a path pattern into its segments at `/`. */
export function globSegments(pattern: string): string[] {
  return pattern.split('/');
}

/** Index of the `]` that closes the class opening at `open`, or -1 when it is not closed. */
function classEnd(s: string, open: number): number {
  let j = open + 1;
  if (s[j] === '!' || s[j] === '^') j++;
  let first = true;
  while (j < s.length) {
    const c = s[j];
    if (c === '\\') {
      j += 2;
    } else if (c === ']' && !first) {
      return j;
    } else {
      j++;
    }
    first = false;
  }
  return -1;
}

/** Index of the `}` closing the group opening at `open` (escapes and classes skipped), or -1. */
function braceEnd(s: string, open: number): number {
  let depth = 0;
  for (let j = open; j < s.length; j++) {
    const c = s[j];
    if (c === '\\') j++;
    else if (c === '[') {
      const end = classEnd(s, j);
      if (end >= 0) j = end;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return j;
  }
  return -1;
}

/** The body of a brace group cut at its top-level commas; one part means there was no comma. */
function splitAlternatives(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let j = 0; j < body.length; j++) {
    const c = body[j];
    if (c === '\\') j++;
    else if (c === '[') {
      const end = classEnd(body, j);
      if (end >= 0) j = end;
    } else if (c === '{') {
      const end = braceEnd(body, j);
      if (end >= 0) j = end;
    } else if (c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(body.slice(from, j));
      from = j + 1;
    }
  }
  parts.push(body.slice(from));
  return parts;
}

/** The brace-free alternatives of one segment, escapes left in place for the compiler. */
export function expandBraces(segment: string): string[] {
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '\\') {
      i++;
    } else if (c === '[') {
      const end = classEnd(segment, i);
      if (end >= 0) i = end;
    } else if (c === '{') {
      const end = braceEnd(segment, i);
      if (end < 0) continue;
      const alternatives = splitAlternatives(segment.slice(i + 1, end));
      if (alternatives.length < 2) continue;
      const head = segment.slice(0, i);
      const tail = segment.slice(end + 1);
      // The head holds no group that expands (this is the first), so expanding each whole is exact.
      return alternatives.flatMap((alternative) => expandBraces(head + alternative + tail));
    }
  }
  return [segment];
}

/** A class `[...]` spanning `s[open, end]` as regex source; never matches `/`. */
function classSource(s: string, open: number, end: number): string {
  let j = open + 1;
  const negate = s[j] === '!' || s[j] === '^';
  if (negate) j++;
  const items: string[] = [];
  const read = (): string => (s[j] === '\\' && j + 1 < end ? s[(j += 2) - 1]! : s[j++]!);
  while (j < end) {
    const low = read();
    if (s[j] === '-' && j + 1 < end) {
      j++;
      const high = read();
      // A reversed range names no character; RegExp would throw on it.
      if (low <= high) items.push(`${classChar(low)}-${classChar(high)}`);
    } else if (low !== '/') {
      items.push(classChar(low));
    }
  }
  if (negate) return `[^/${items.join('')}]`;
  return items.length === 0 ? '(?!)' : `(?!/)[${items.join('')}]`;
}

function classChar(c: string): string {
  return /[A-Za-z0-9]/.test(c) ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Regex source (no anchors) of one brace-free alternative of a segment. */
function alternativeSource(alt: string): string {
  let re = '';
  for (let i = 0; i < alt.length; i++) {
    const c = alt[i]!;
    // A wildcard at the start of a segment never matches a leading dot.
    const guard = i === 0 ? '(?!\\.)' : '';
    if (c === '\\' && i + 1 < alt.length) {
      re += literal(alt[++i]!);
    } else if (c === '*') {
      re += `${guard}[^/]*`;
    } else if (c === '?') {
      re += `${guard}[^/]`;
    } else if (c === '[') {
      const end = classEnd(alt, i);
      if (end < 0) {
        re += literal(c);
      } else {
        re += guard + classSource(alt, i, end);
        i = end;
      }
    } else {
      re += literal(c);
    }
  }
  return re;
}

function literal(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

/** Regex source (no anchors) of one path segment: its brace alternatives, each compiled. */
export function segmentSource(segment: string): string {
  const alternatives = expandBraces(segment).map(alternativeSource);
  return alternatives.length === 1 ? alternatives[0]! : `(?:${alternatives.join('|')})`;
}

/** One path segment as an anchored RegExp (what the directory walker tests names with). */
export function segmentRegExp(segment: string): RegExp {
  return new RegExp(`^${segmentSource(segment)}$`);
}

/** A whole path pattern as an anchored RegExp: `logs/*.log` matches `logs/a.log`, not `old/logs/a.log`. */
export function globRegExp(pattern: string): RegExp {
  const segments = globSegments(pattern);
  let re = '';
  segments.forEach((segment, k) => {
    const last = k === segments.length - 1;
    if (segment === '**') {
      re += '(?:(?!\\.)[^/]+/)*';
      if (last) re += '(?!\\.)[^/]*';
    } else {
      re += segmentSource(segment) + (last ? '' : '/');
    }
  });
  return new RegExp(`^${re}$`);
}

/**
 * Exact string or glob: the matcher of rule `source` fields and history's source filter. Each distinct
 * value's answer is cached (sources are few, lines are many).
 */
export function compileNameMatcher(spec: string, cacheLimit = 10_000): (name: string) => boolean {
  if (!isGlob(spec)) return (name) => name === spec;
  const re = globRegExp(spec);
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
