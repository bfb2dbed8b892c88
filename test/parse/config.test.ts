import { describe, expect, it } from 'vitest';
import { formatsSchema, timezoneSchema } from '../../src/parse/config.ts';

function issues(input: unknown): string[] {
  const result = formatsSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('custom format config', () => {
  it('accepts a regex with named groups, a layout, a zone', () => {
    expect(issues({ app: { pattern: '^(?<timestamp>\\S+) (?<message>.*)$', timestampFormat: 'YYYY-MM-DD HH:mm:ss.SSS', timezone: 'Europe/Berlin', multiline: false } })).toEqual([]);
  });

  it('names the field of a bad regex', () => {
    const [issue] = issues({ app: { pattern: '(?<message>.*' } });
    expect(issue).toMatch(/^app\.pattern: not a valid regular expression/);
  });

  it('asks for a named group', () => {
    expect(issues({ app: { pattern: '^.*$' } })[0]).toMatch(/^app\.pattern: .*named group/);
  });

  it('rejects a layout without date or time tokens and an unknown zone', () => {
    expect(issues({ app: { pattern: '(?<message>.*)', timestampFormat: '[at] foo' } })[0]).toMatch(/^app\.timestampFormat: /);
    expect(issues({ app: { pattern: '(?<message>.*)', timezone: 'Mars/Base' } })[0]).toMatch(/^app\.timezone: not a known time zone/);
    expect(timezoneSchema.safeParse('+05:30').success).toBe(true);
  });
});
