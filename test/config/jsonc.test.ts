import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stripJsonComments } from '../../src/config/jsonc.ts';

describe('stripJsonComments', () => {
  it('removes line and block comments outside strings', () => {
    const text = '{\n  // the port\n  "port": 3000, /* inline */ "host": "a//b/*c*/\\"//"\n}';
    expect(JSON.parse(stripJsonComments(text))).toEqual({ port: 3000, host: 'a//b/*c*/"//' });
  });

  it('keeps the length and the line breaks, so parse errors point at the same place', () => {
    const text = '{\n /* a\n b */ "x": 1,\n // c\n "y": 2 }';
    const stripped = stripJsonComments(text);
    expect(stripped).toHaveLength(text.length);
    expect(stripped.split('\n')).toHaveLength(text.split('\n').length);
  });

  it('leaves any JSON without comments unchanged', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value, null, 2);
        expect(stripJsonComments(text)).toBe(text);
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
