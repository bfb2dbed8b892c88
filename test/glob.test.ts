// The one glob dialect (src/glob.ts) that watch globs and rule `source` matchers share: examples from
// the README, then a model test against a naive backtracking matcher written from the dialect's rules.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandBraces, globRegExp, isGlob, segmentRegExp } from '../src/glob.ts';

const matches = (pattern: string, path: string) => globRegExp(pattern).test(path);

describe('the glob dialect', () => {
  it('reads *, ? and classes within one segment', () => {
    expect(matches('logs/*.log', 'logs/app.log')).toBe(true);
    expect(matches('logs/*.log', 'logs/a/app.log')).toBe(false);
    expect(matches('logs/*.log', 'old/logs/app.log')).toBe(false);
    expect(matches('web-?.log', 'web-1.log')).toBe(true);
    expect(matches('web-?.log', 'web-10.log')).toBe(false);
    expect(matches('web-[12].log', 'web-2.log')).toBe(true);
    expect(matches('web-[!12].log', 'web-2.log')).toBe(false);
    expect(matches('web-[^12].log', 'web-3.log')).toBe(true);
    expect(matches('web-[a-c].log', 'web-b.log')).toBe(true);
    expect(matches('x[]]y', 'x]y')).toBe(true);
    expect(matches('a.b', 'aXb')).toBe(false);
  });

  it('reads ** as any number of directories, and as every file below at the end', () => {
    expect(matches('logs/**/*.log', 'logs/c.log')).toBe(true);
    expect(matches('logs/**/*.log', 'logs/a/b/c.log')).toBe(true);
    expect(matches('logs/**/*.log', 'logs/.git/c.log')).toBe(false);
    expect(matches('logs/**', 'logs/a/b/c.txt')).toBe(true);
    expect(matches('**/x.log', 'x.log')).toBe(true);
    expect(matches('logs/a**', 'logs/ab/c')).toBe(false);
  });

  it('expands braces within a segment, nested too; {a} and unclosed braces are literal', () => {
    expect(expandBraces('a{b,c{d,e}}f')).toEqual(['abf', 'acdf', 'acef']);
    expect(matches('logs/{web,api}-*.log', 'logs/api-1.log')).toBe(true);
    expect(matches('logs/{web,api}-*.log', 'logs/db-1.log')).toBe(false);
    expect(matches('app{1}.log', 'app{1}.log')).toBe(true);
    expect(matches('app{1,2.log', 'app{1,2.log')).toBe(true);
    expect(matches('app.{log,}', 'app.')).toBe(true);
  });

  it('takes an escaped character literally, and an unclosed [ as text', () => {
    expect(matches('a\\*b', 'a*b')).toBe(true);
    expect(matches('a\\*b', 'axb')).toBe(false);
    expect(matches('a\\{b,c}', 'a{b,c}')).toBe(true);
    expect(matches('a[b', 'a[b')).toBe(true);
  });

  it('never lets a wildcard match a leading dot', () => {
    expect(matches('logs/*', 'logs/.hidden')).toBe(false);
    expect(matches('logs/?hidden', 'logs/.hidden')).toBe(false);
    expect(matches('logs/[.]hidden', 'logs/.hidden')).toBe(false);
    expect(matches('logs/{*,x}', 'logs/.hidden')).toBe(false);
    expect(matches('logs/.*', 'logs/.hidden')).toBe(true);
    expect(matches('logs/{.h,x}idden', 'logs/.hidden')).toBe(true);
  });

  it('says which texts are globs (anything else names one source exactly)', () => {
    for (const text of ['*.log', 'a?', '[ab]', '{a,b}', 'a\\b']) expect(isGlob(text)).toBe(true);
    expect(isGlob('logs/app.log')).toBe(false);
  });

  it('gives the walker the same answer per segment as the whole-path matcher', () => {
    expect(segmentRegExp('*.{log,txt}').test('a.txt')).toBe(true);
    expect(segmentRegExp('*.{log,txt}').test('.a.txt')).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------
// The model: brace expansion into brace-free patterns, then plain backtracking, segment by segment.

/** Index of the `]` closing a class at `open` (`!`/`^` negates; the first member may be `]`), or -1. */
function modelClassEnd(p: string, open: number): number {
  let j = open + 1;
  if (p[j] === '!' || p[j] === '^') j++;
  for (let first = true; j < p.length; first = false) {
    if (p[j] === '\\') j += 2;
    else if (p[j] === ']' && !first) return j;
    else j++;
  }
  return -1;
}

/** All brace-free expansions, written as a tiny parser: text | `{` alt (`,` alt)+ `}`. */
function modelExpand(p: string): string[] {
  // Find the first group that is closed and has a top-level comma.
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '\\') { i++; continue; }
    if (p[i] === '[') { const e = modelClassEnd(p, i); if (e >= 0) i = e; continue; }
    if (p[i] !== '{') continue;
    let depth = 0;
    const commas: number[] = [];
    let close = -1;
    for (let j = i; j < p.length && close < 0; j++) {
      if (p[j] === '\\') { j++; continue; }
      if (p[j] === '[') { const e = modelClassEnd(p, j); if (e >= 0) j = e; continue; }
      if (p[j] === '{') depth++;
      else if (p[j] === '}') { depth--; if (depth === 0) close = j; }
      else if (p[j] === ',' && depth === 1) commas.push(j);
    }
    if (close < 0 || commas.length === 0) continue;
    const cuts = [i, ...commas, close];
    const out: string[] = [];
    for (let k = 0; k + 1 < cuts.length; k++) out.push(...modelExpand(p.slice(0, i) + p.slice(cuts[k]! + 1, cuts[k + 1]) + p.slice(close + 1)));
    return out;
  }
  return [p];
}

type Tok = { t: 'char'; c: string } | { t: 'star' } | { t: 'one' } | { t: 'class'; test: (c: string) => boolean };

function tokens(p: string): Tok[] {
  const out: Tok[] = [];
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\' && i + 1 < p.length) out.push({ t: 'char', c: p[++i]! });
    else if (c === '*') out.push({ t: 'star' });
    else if (c === '?') out.push({ t: 'one' });
    else if (c === '[' && modelClassEnd(p, i) >= 0) {
      const end = modelClassEnd(p, i);
      let j = i + 1;
      const negate = p[j] === '!' || p[j] === '^';
      if (negate) j++;
      const members: Array<[string, string]> = [];
      const read = () => (p[j] === '\\' && j + 1 < end ? p[(j += 2) - 1]! : p[j++]!);
      while (j < end) {
        const lo = read();
        if (p[j] === '-' && j + 1 < end) { j++; members.push([lo, read()]); } else members.push([lo, lo]);
      }
      const inClass = (ch: string) => members.some(([lo, hi]) => lo <= ch && ch <= hi);
      out.push({ t: 'class', test: (ch) => ch !== '/' && (negate ? !inClass(ch) : inClass(ch)) });
      i = end;
    } else out.push({ t: 'char', c });
  }
  return out;
}

function matchTokens(ts: Tok[], i: number, s: string, j: number): boolean {
  if (i === ts.length) return j === s.length;
  const tok = ts[i]!;
  if (tok.t === 'star') {
    for (let k = j; k <= s.length; k++) if (matchTokens(ts, i + 1, s, k)) return true;
    return false;
  }
  if (j >= s.length) return false;
  const ok = tok.t === 'char' ? s[j] === tok.c : tok.t === 'one' ? true : tok.test(s[j]!);
  return ok && matchTokens(ts, i + 1, s, j + 1);
}

function modelSegment(segment: string, name: string): boolean {
  return modelExpand(segment).some((alt) => {
    const ts = tokens(alt);
    if (name.startsWith('.') && ts.length > 0 && ts[0]!.t !== 'char') return false;
    return matchTokens(ts, 0, name, 0);
  });
}

function modelPath(pattern: string, path: string): boolean {
  const ps = pattern.split('/');
  const names = path.split('/');
  const dir = (n: string) => n.length > 0 && !n.startsWith('.');
  const go = (i: number, j: number): boolean => {
    if (i === ps.length) return j === names.length;
    if (ps[i] === '**') {
      if (i === ps.length - 1) {
        const rest = names.slice(j);
        return rest.length >= 1 && rest.slice(0, -1).every(dir) && !rest[rest.length - 1]!.startsWith('.');
      }
      for (let k = j; k <= names.length; k++) {
        if (k > j && !dir(names[k - 1]!)) return false;
        if (go(i + 1, k)) return true;
      }
      return false;
    }
    return j < names.length && modelSegment(ps[i]!, names[j]!) && go(i + 1, j + 1);
  };
  return go(0, 0);
}

describe('the glob dialect against its model', () => {
  const patternPiece = fc.constantFrom('a', 'b', '.', '-', '*', '?', '[ab]', '[!a]', '[a-b]', '[]a]', '{a,b}', '{,a}', '{a,{b,.}}', '\\*', '\\{', '/', '**', '[', '{', '}', ',');
  const pathPiece = fc.constantFrom('a', 'b', '.', '-', '*', '{', ']', ',', '/');

  it('matches whole paths exactly as the naive matcher does', () => {
    fc.assert(
      fc.property(fc.array(patternPiece, { maxLength: 7 }), fc.array(pathPiece, { maxLength: 8 }), (pieces, chars) => {
        const pattern = pieces.join('');
        const path = chars.join('');
        expect(matches(pattern, path), `${pattern} vs ${path}`).toBe(modelPath(pattern, path));
      }),
      { numRuns: 3000 },
    );
  });

  it('matches a pattern against the paths it was made from (positive cases are not rare)', () => {
    // Replacing each wildcard piece by a sample it accepts gives a path the pattern must match.
    const pair = fc.array(fc.constantFrom<[string, string]>(['a', 'a'], ['*', 'ab'], ['?', 'b'], ['[ab]', 'a'], ['{a,b}', 'b'], ['/', '/'], ['\\*', '*'], ['-', '-']), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(pair, (pairs) => {
        const pattern = pairs.map(([p]) => p).join('');
        const path = pairs.map(([, s]) => s).join('');
        expect(modelPath(pattern, path)).toBe(true);
        expect(matches(pattern, path), `${pattern} vs ${path}`).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
