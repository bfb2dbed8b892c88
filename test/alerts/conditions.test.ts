import { describe, expect, it } from 'vitest';
import { compileCondition, parseCondition } from '../../src/alerts/conditions.ts';
import { EntryMatcher } from '../../src/alerts/matcher.ts';
import { entry } from './helpers.ts';

function test(condition: string, metadata: Record<string, unknown>): boolean {
  const parsed = parseCondition(condition);
  if (!parsed.ok) throw new Error(parsed.error);
  return compileCondition(parsed.condition)(entry({ metadata }));
}

describe('where conditions', () => {
  it('compares numbers, reading numeric strings as numbers', () => {
    expect(test('metadata.status >= 500', { status: 503 })).toBe(true);
    expect(test('metadata.status >= 500', { status: '503' })).toBe(true);
    expect(test('metadata.status >= 500', { status: 499 })).toBe(false);
    expect(test('metadata.status>=500', { status: 'n/a' })).toBe(false);
    expect(test('metadata.status < 500', {})).toBe(false);
    expect(test('metadata.status == 404', { status: '404' })).toBe(true);
    expect(test('metadata.ms > 1.5e3', { ms: 2000 })).toBe(true);
  });

  it('compares strings exactly, quoted or bare', () => {
    expect(test('metadata.user == "root"', { user: 'root' })).toBe(true);
    expect(test('metadata.user == root', { user: 'root' })).toBe(true);
    expect(test('metadata.user == "root"', { user: 'Root' })).toBe(false);
    expect(test('metadata.user != "root"', { user: 'alice' })).toBe(true);
    expect(test('metadata.user != "root"', {})).toBe(true);
    expect(test('metadata.msg == "a b"', { msg: 'a b' })).toBe(true);
    expect(test('metadata.ok == true', { ok: true })).toBe(true);
    expect(test('metadata.ok == true', { ok: 'true' })).toBe(false);
  });

  it('matches regexes case-insensitively and tests presence', () => {
    expect(test('metadata.path =~ "^/admin"', { path: '/ADMIN/users' })).toBe(true);
    expect(test('metadata.path !~ "^/admin"', { path: '/home' })).toBe(true);
    expect(test('metadata.path !~ "^/admin"', {})).toBe(true);
    expect(test('metadata.user exists', { user: 'x' })).toBe(true);
    expect(test('metadata.user missing', { user: 'x' })).toBe(false);
  });

  it('runs =~ on the linear-time engine: catastrophic patterns against a 64 KiB hostile field return (V8 would hang)', () => {
    const hostile = { path: `${'a'.repeat(64 * 1024)}!` };
    // (a|a)*$ matches the empty string at the end; the others need an `a` right before it.
    for (const [pattern, matches] of [['(a+)+$', false], ['(a|a)*$', true], ['(.*a){12}$', false]] as const) {
      expect(test(`metadata.path =~ "${pattern}"`, hostile), pattern).toBe(matches);
    }
    expect(test('metadata.path =~ "(a+)+!$"', hostile)).toBe(true);
  });

  it('reads nested metadata and dotted keys', () => {
    expect(test('metadata.http.status >= 500', { http: { status: 502 } })).toBe(true);
    expect(test('metadata.http.status >= 500', { 'http.status': 502 })).toBe(true);
    expect(test('metadata.http.status >= 500', { http: 'flat' })).toBe(false);
  });

  it('explains what is wrong with a condition it cannot read', () => {
    const cases: Array<[string, RegExp]> = [
      ['status >= 500', /"status" is not a field/],
      ['metadata.status >= "high"', /compares numbers/],
      ['metadata.status', /cannot read condition/],
      ['metadata.path =~ "("', /not a valid regular expression/],
      ['metadata.user ==', /cannot read|no value/],
      ['metadata.user == "unterminated', /cannot read the value/],
      // The linear-time engine's refusals (src/safe-regex.ts), named at load.
      ['metadata.path =~ "^(?!/health)"', /lookahead .* not supported/],
      ['metadata.path !~ "(a)\\\\1"', /backreferences/],
    ];
    for (const [text, message] of cases) {
      const parsed = parseCondition(text);
      expect(parsed.ok, text).toBe(false);
      if (!parsed.ok) expect(parsed.error, text).toMatch(message);
    }
  });
});

describe('rule matchers', () => {
  it('combines pattern, minimum level, source glob and conditions with AND', () => {
    const matcher = new EntryMatcher({ pattern: 'failed password', level: 'WARNING', source: 'logs/*.log', where: ['metadata.user != "git"'] });
    const base = { message: 'Failed password for root', level: 'WARNING' as const, source: 'logs/auth.log', metadata: { user: 'root' } };
    expect(matcher.matches(entry(base))).toBe(true);
    expect(matcher.matches(entry({ ...base, level: 'CRITICAL' }))).toBe(true);
    expect(matcher.matches(entry({ ...base, level: 'INFO' }))).toBe(false);
    expect(matcher.matches(entry({ ...base, message: 'Accepted password' }))).toBe(false);
    expect(matcher.matches(entry({ ...base, source: 'logs/old/auth.log' }))).toBe(false);
    expect(matcher.matches(entry({ ...base, metadata: { user: 'git' } }))).toBe(false);
  });

  it('matches sources exactly unless the rule gives a glob', () => {
    expect(new EntryMatcher({ source: 'app.log' }).matches(entry({ source: 'app.log' }))).toBe(true);
    expect(new EntryMatcher({ source: 'app.log' }).matches(entry({ source: 'xapp.log' }))).toBe(false);
    const source = (pattern: string, name: string) => new EntryMatcher({ source: pattern }).matches(entry({ source: name }));
    expect(source('logs/**/*.log', 'logs/a/b/c.log')).toBe(true);
    expect(source('logs/**/*.log', 'logs/c.log')).toBe(true);
    expect(source('web-?.log', 'web-1.log')).toBe(true);
    expect(source('web-[12].log', 'web-3.log')).toBe(false);
    expect(source('a.b', 'aXb')).toBe(false);
  });

  it('reads a rule source in the watch globs\' dialect: braces, escapes, no leading dot', () => {
    const source = (pattern: string, name: string) => new EntryMatcher({ source: pattern }).matches(entry({ source: name }));
    expect(source('logs/{web,api}-*.log', 'logs/api-1.log')).toBe(true);
    expect(source('logs/{web,api}-*.log', 'logs/db-1.log')).toBe(false);
    expect(source('logs/\\*.log', 'logs/*.log')).toBe(true);
    expect(source('logs/\\*.log', 'logs/a.log')).toBe(false);
    expect(source('logs/*.log', 'logs/.hidden.log')).toBe(false);
  });
});
