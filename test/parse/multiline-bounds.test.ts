// A flood of continuation lines cannot grow one entry without end.
import { describe, expect, it } from 'vitest';
import { MAX_ENTRY_CHARS, MAX_ENTRY_LINES } from '../../src/parse/source-parser.ts';
import type { LogEntry } from '../../src/types.ts';
import { newParser, NOW } from './helpers.ts';

const PY = (n: number) => `2026-11-30 10:15:0${n},000 - app - ERROR - message ${n}`;

function feed(lines: string[]): LogEntry[] {
  const parser = newParser();
  const out: LogEntry[] = [];
  for (let i = 0; i < lines.length; i += 500) parser.push({ lines: lines.slice(i, i + 500), receivedAt: NOW }, out);
  parser.flush(out);
  return out;
}

describe('multi-line entries are bounded', () => {
  it(`by ${MAX_ENTRY_LINES} lines: the rest start new entries and no line is lost`, () => {
    const frames = Array.from({ length: 3500 }, (_, i) => `    at frame ${i}`);
    const entries = feed([PY(1), PY(2), ...frames, PY(3)]);
    const lines = entries.flatMap((e) => e.raw.split('\n'));
    expect(lines).toEqual([PY(1), PY(2), ...frames, PY(3)]);
    expect(Math.max(...entries.map((e) => e.raw.split('\n').length))).toBe(MAX_ENTRY_LINES);
    expect(entries.length).toBe(2 + Math.ceil(3501 / MAX_ENTRY_LINES) + 0);
  });

  it(`by ${MAX_ENTRY_CHARS} characters`, () => {
    const long = ` ${'x'.repeat(60_000)}`;
    const entries = feed([PY(1), ...Array.from({ length: 40 }, () => long)]);
    expect(entries.every((e) => e.raw.length <= MAX_ENTRY_CHARS)).toBe(true);
    expect(entries.reduce((n, e) => n + e.raw.split('\n').length, 0)).toBe(41);
  });
});
