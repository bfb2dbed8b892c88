// Scores the parse stage on a real-log corpus (the shared one, or the sample in test/fixtures/corpus)
// exactly as the shared corpus README's "How LogWatch is scored" says. The expected timestamps are read
// here with their own small table of layouts, written independently of src/parse/time/, so that a bug
// there cannot hide itself.
import { readFileSync } from 'node:fs';
import { createParserFactory } from '../../src/parse/index.ts';
import type { LogEntry } from '../../src/types.ts';

export interface ManifestFile {
  path: string;
  format: string;
  lines: number;
  entries: number;
  multiline: boolean;
  truth: string | null;
}

export interface TruthRecord {
  line: number;
  level: string;
  timestamp?: string | number | null;
  status?: number;
}

export interface FileScore {
  path: string;
  format: string;
  detected: string | null;
  multiline: boolean;
  expectedEntries: number;
  entries: number;
  /** Entries starting on a truth record's line / truth records. */
  boundaries: number;
  levelScored: number;
  levelRight: number;
  timeScored: number;
  timeRight: number;
  /** A few mismatches, for the failure message. */
  misses: string[];
}

/** Lines as a tailer sees them: split on \n, no empty last line for a final newline, one \r dropped. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const month = (name: string) => MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;

/** What a written timestamp means: an instant, or (no year) month-day-time fields. */
type Expected =
  | { kind: 'instant'; ms: number; withMs: boolean }
  | { kind: 'yearless'; mo: number; d: number; h: number; mi: number; s: number; ms: number; withMs: boolean };

function fraction(text: string | undefined): number {
  return text === undefined ? 0 : Math.floor(Number(`0.${text}`) * 1000);
}

function instant(y: number, mo: number, d: number, h: number, mi: number, s: number, frac: string | undefined, offsetMinutes = 0): Expected {
  return { kind: 'instant', ms: Date.UTC(y, mo - 1, d, h, mi, s, fraction(frac)) - offsetMinutes * 60_000, withMs: frac !== undefined };
}

function offset(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z') return 0;
  const m = /^([+-])(\d\d):?(\d\d)$/.exec(zone)!;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** Reads the truth's `timestamp` (the text exactly as written, or a JSON number). Null if unknown. */
export function expectedTime(value: string | number): Expected | null {
  if (typeof value === 'number') {
    const ms = value < 1e11 ? value * 1000 : value < 1e14 ? value : value < 1e17 ? value / 1000 : value / 1e6;
    return { kind: 'instant', ms: Math.floor(ms), withMs: value >= 1e11 };
  }
  let m: RegExpExecArray | null;
  const N = Number;
  if ((m = /^(\d{4})[-/](\d\d)[-/](\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?(Z|[+-]\d\d:?\d\d)?$/.exec(value))) {
    return instant(N(m[1]), N(m[2]), N(m[3]), N(m[4]), N(m[5]), N(m[6]), m[7], offset(m[8]));
  }
  if ((m = /^(\d\d)\/([A-Za-z]{3})\/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-]\d{4})$/.exec(value))) {
    return instant(N(m[3]), month(m[2]!), N(m[1]), N(m[4]), N(m[5]), N(m[6]), undefined, offset(m[7]));
  }
  if ((m = /^[A-Za-z]{3} ([A-Za-z]{3}) (\d\d) (\d\d):(\d\d):(\d\d) (\d{4})$/.exec(value))) {
    return instant(N(m[6]), month(m[1]!), N(m[2]), N(m[3]), N(m[4]), N(m[5]), undefined);
  }
  if ((m = /^(\d{4})-(\d\d)-(\d\d)-(\d\d)\.(\d\d)\.(\d\d)\.(\d+)$/.exec(value))) {
    return instant(N(m[1]), N(m[2]), N(m[3]), N(m[4]), N(m[5]), N(m[6]), m[7]);
  }
  if ((m = /^(\d\d)(\d\d)(\d\d) (\d\d)(\d\d)(\d\d)$/.exec(value))) {
    return instant(2000 + N(m[1]), N(m[2]), N(m[3]), N(m[4]), N(m[5]), N(m[6]), undefined);
  }
  if ((m = /^(\d\d)\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)$/.exec(value))) {
    return instant(2000 + N(m[1]), N(m[2]), N(m[3]), N(m[4]), N(m[5]), N(m[6]), undefined);
  }
  if ((m = /^\d{9,10}$/.exec(value))) return { kind: 'instant', ms: N(value) * 1000, withMs: false };
  if ((m = /^([A-Za-z]{3}) +(\d{1,2}) (\d\d):(\d\d):(\d\d)$/.exec(value))) {
    return { kind: 'yearless', mo: month(m[1]!), d: N(m[2]), h: N(m[3]), mi: N(m[4]), s: N(m[5]), ms: 0, withMs: false };
  }
  if ((m = /^(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d+)$/.exec(value)) || (m = /^(\d\d)(\d\d) (\d\d):(\d\d):(\d\d)\.(\d+)$/.exec(value))) {
    return { kind: 'yearless', mo: N(m[1]), d: N(m[2]), h: N(m[3]), mi: N(m[4]), s: N(m[5]), ms: fraction(m[6]), withMs: true };
  }
  return null;
}

function timeMatches(entryTime: number, expected: Expected): boolean {
  if (expected.kind === 'instant') {
    return expected.withMs ? Math.floor(entryTime) === expected.ms : Math.floor(entryTime / 1000) === Math.floor(expected.ms / 1000);
  }
  const d = new Date(entryTime);
  return (
    d.getUTCMonth() + 1 === expected.mo && d.getUTCDate() === expected.d && d.getUTCHours() === expected.h &&
    d.getUTCMinutes() === expected.mi && d.getUTCSeconds() === expected.s &&
    (!expected.withMs || d.getUTCMilliseconds() === expected.ms)
  );
}

function expectedLevel(record: TruthRecord): string | null {
  if (typeof record.status === 'number') return record.status >= 500 ? 'ERROR' : record.status >= 400 ? 'WARNING' : 'INFO';
  return record.level === 'UNKNOWN' ? null : record.level;
}

/** Batches of about `bytes` worth of lines, as a tailer reading 64 KiB chunks hands them over. */
export function batches(lines: string[], bytes: number): string[][] {
  const out: string[][] = [];
  let batch: string[] = [];
  let size = 0;
  for (const line of lines) {
    batch.push(line);
    size += line.length + 1;
    if (size >= bytes) {
      out.push(batch);
      batch = [];
      size = 0;
    }
  }
  if (batch.length > 0) out.push(batch);
  return out;
}

/** Runs one corpus file through a SourceParser as a source would, and scores it against its truth. */
export function scoreFile(corpusDir: URL, file: ManifestFile, now: number): FileScore {
  const text = readFileSync(new URL(file.path, corpusDir), 'utf8');
  const truth = readFileSync(new URL(file.truth!, corpusDir), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as TruthRecord);
  const lines = splitLines(text);

  const factory = createParserFactory({ formats: {}, parse: { multilineTimeoutMs: 250, detectLines: 20 }, clock: () => now });
  const parser = factory.create({ source: file.path });
  const entries: LogEntry[] = [];
  for (const batch of batches(lines, 64 * 1024)) parser.push({ lines: batch, receivedAt: now, timezone: 'UTC' }, entries);
  parser.flush(entries);

  // Where each entry starts: the next line, from where the previous entry ended, equal to its first raw line.
  const byStart = new Map<number, LogEntry>();
  let next = 0;
  for (const entry of entries) {
    const rawLines = entry.raw.split('\n');
    let at = next;
    while (at < lines.length && lines[at] !== rawLines[0]) at++;
    if (at >= lines.length) break;
    byStart.set(at + 1, entry);
    next = at + rawLines.length;
  }

  const score: FileScore = {
    path: file.path, format: file.format, detected: parser.format, multiline: file.multiline,
    expectedEntries: truth.length, entries: entries.length, boundaries: 0,
    levelScored: 0, levelRight: 0, timeScored: 0, timeRight: 0, misses: [],
  };
  const miss = (text: string) => {
    if (score.misses.length < 5) score.misses.push(text);
  };
  for (const record of truth) {
    const entry = byStart.get(record.line);
    if (entry !== undefined) score.boundaries++;
    else miss(`line ${record.line}: no entry starts here`);
    const level = expectedLevel(record);
    if (level !== null) {
      score.levelScored++;
      if (entry?.level === level) score.levelRight++;
      else if (entry !== undefined) miss(`line ${record.line}: level ${entry.level}, expected ${level}`);
    }
    if (record.timestamp !== undefined && record.timestamp !== null) {
      score.timeScored++;
      const expected = expectedTime(record.timestamp);
      if (expected === null) miss(`line ${record.line}: the test cannot read timestamp ${JSON.stringify(record.timestamp)}`);
      else if (entry !== undefined && timeMatches(entry.time, expected)) score.timeRight++;
      else if (entry !== undefined) miss(`line ${record.line}: time ${new Date(entry.time).toISOString()}, written ${JSON.stringify(record.timestamp)}`);
    }
  }
  return score;
}

export function percent(right: number, scored: number): number {
  return scored === 0 ? 100 : (100 * right) / scored;
}

/** The per-file table (markdown). */
export function scoreTable(scores: readonly FileScore[]): string {
  const rows = scores.map((s) => {
    const level = s.levelScored === 0 ? 'n/a' : `${percent(s.levelRight, s.levelScored).toFixed(2)} %`;
    const time = s.timeScored === 0 ? 'n/a' : `${percent(s.timeRight, s.timeScored).toFixed(2)} %`;
    return `| ${s.path} | ${s.format} | ${s.detected ?? '-'} | ${s.expectedEntries}/${s.entries} | ${level} | ${time} |`;
  });
  return ['| file | corpus format | detected | entries expected/got | level | timestamp |', '|---|---|---|---|---|---|', ...rows].join('\n');
}
