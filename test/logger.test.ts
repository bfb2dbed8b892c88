import { describe, expect, it } from 'vitest';
import { createConsoleLogger } from '../src/logger.ts';

describe('console logger', () => {
  it('never writes terminal escapes, carriage returns or bidi overrides from a message', () => {
    const lines: string[] = [];
    const logger = createConsoleLogger((line) => lines.push(line));
    logger.error('webhook said: \u001b[2J\u001b]0;pwned\u0007 \u009b31m fake\rOK \u202etxt.exe\ttab\nsecond line');
    const out = lines.join('');
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(out).toContain('\ttab\nsecond line\n');
    expect(out).toContain('\ufffd[2J');
  });
});
