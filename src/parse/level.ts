// The one table that turns what log lines write for severity into LogWatch's levels: words of every
// format (case-insensitive), single letters (logcat, glog), numbers (syslog severities, pino/bunyan,
// Nextcloud) and HTTP statuses.
import type { Level } from '../types.ts';

/** Words whose meaning is unambiguous wherever they stand. */
const WORDS: Readonly<Record<string, Level>> = {
  // DEBUG
  trace: 'DEBUG', trc: 'DEBUG', trac: 'DEBUG', verbose: 'DEBUG', vrb: 'DEBUG', debug: 'DEBUG', dbg: 'DEBUG',
  debu: 'DEBUG', fine: 'DEBUG', finer: 'DEBUG', finest: 'DEBUG',
  trace1: 'DEBUG', trace2: 'DEBUG', trace3: 'DEBUG', trace4: 'DEBUG', trace5: 'DEBUG', trace6: 'DEBUG',
  trace7: 'DEBUG', trace8: 'DEBUG', debug1: 'DEBUG', debug2: 'DEBUG', debug3: 'DEBUG', debug4: 'DEBUG',
  debug5: 'DEBUG',
  // INFO
  info: 'INFO', inf: 'INFO', information: 'INFO', informational: 'INFO', notice: 'INFO',
  // WARNING
  warn: 'WARNING', warning: 'WARNING', wrn: 'WARNING', warnung: 'WARNING',
  // ERROR
  error: 'ERROR', err: 'ERROR', erro: 'ERROR', eror: 'ERROR', severe: 'ERROR',
  // CRITICAL
  crit: 'CRITICAL', critical: 'CRITICAL', crt: 'CRITICAL', fatal: 'CRITICAL', fata: 'CRITICAL', ftl: 'CRITICAL',
  alert: 'CRITICAL', emerg: 'CRITICAL', emergency: 'CRITICAL', panic: 'CRITICAL', pani: 'CRITICAL',
  dpanic: 'CRITICAL',
};

/**
 * Words that are levels in some formats (MySQL `[Note]`/`[System]`, PostgreSQL `LOG:`, BGL `FAILURE`,
 * JUL `CONFIG`) but ordinary words in free text: a scanner accepts them only where a level must stand.
 */
const WEAK_WORDS: Readonly<Record<string, Level>> = {
  note: 'INFO', system: 'INFO', log: 'INFO', config: 'INFO', failure: 'CRITICAL',
};

const STRONG = new Map<string, Level>();
const ALL = new Map<string, Level>();
for (const [table, strong] of [[WORDS, true], [WEAK_WORDS, false]] as const) {
  for (const [word, level] of Object.entries(table)) {
    // The spellings logs actually use, so the common case needs no toLowerCase().
    for (const spelling of [word, word.toUpperCase(), word[0]!.toUpperCase() + word.slice(1)]) {
      ALL.set(spelling, level);
      if (strong) STRONG.set(spelling, level);
    }
  }
}

const LONGEST_WORD = 13;

/** Level of a severity word (`warn`, `ERROR`, `Note`, `emerg`...), any case; undefined if not one. */
export function levelFromWord(word: string): Level | undefined {
  const level = ALL.get(word);
  if (level !== undefined || word.length > LONGEST_WORD) return level;
  return ALL.get(word.toLowerCase());
}

/** Like levelFromWord, but only for words that are never ordinary prose (`error`, not `note`). */
export function levelFromStrongWord(word: string): Level | undefined {
  const level = STRONG.get(word);
  if (level !== undefined || word.length > LONGEST_WORD) return level;
  return STRONG.get(word.toLowerCase());
}

/** Android logcat and glog/klog single-letter levels (`V D I W E F A`). */
export function levelFromLetter(code: number): Level | undefined {
  switch (code) {
    case 86: // V
    case 68: // D
      return 'DEBUG';
    case 73: // I
      return 'INFO';
    case 87: // W
      return 'WARNING';
    case 69: // E
      return 'ERROR';
    case 70: // F
    case 65: // A (logcat assert)
      return 'CRITICAL';
    default:
      return undefined;
  }
}

/** Syslog severity 0–7 (the low three bits of PRI). */
export function levelFromSyslogSeverity(severity: number): Level {
  if (severity <= 2) return 'CRITICAL';
  if (severity === 3) return 'ERROR';
  if (severity === 4) return 'WARNING';
  if (severity <= 6) return 'INFO';
  return 'DEBUG';
}

/**
 * A numeric level in a JSON line: pino/bunyan 10–60 (10 trace, 20 debug, 30 info, 40 warn, 50 error,
 * 60 fatal; values between round down), Nextcloud 0–4 (debug, info, warning, error, fatal).
 */
export function levelFromNumber(n: number): Level | undefined {
  if (!Number.isFinite(n) || n < 0) return undefined;
  if (n >= 10) {
    if (n < 30) return 'DEBUG';
    if (n < 40) return 'INFO';
    if (n < 50) return 'WARNING';
    if (n < 60) return 'ERROR';
    return 'CRITICAL';
  }
  switch (Math.floor(n)) {
    case 0: return 'DEBUG';
    case 1: return 'INFO';
    case 2: return 'WARNING';
    case 3: return 'ERROR';
    case 4: return 'CRITICAL';
    default: return undefined;
  }
}

/** Level of a value found in a level field: a word, a numeric string, or a number. */
export function levelFromValue(value: unknown): Level | undefined {
  if (typeof value === 'string') {
    const level = levelFromWord(value);
    if (level !== undefined) return level;
    const trimmed = value.trim();
    if (trimmed.length === 0) return undefined;
    if (trimmed !== value) return levelFromValue(trimmed);
    const n = Number(trimmed);
    return Number.isFinite(n) ? levelFromNumber(n) : undefined;
  }
  if (typeof value === 'number') return levelFromNumber(value);
  return undefined;
}

/** Access logs: 5xx ERROR, 4xx WARNING, anything else INFO. */
export function levelFromStatus(status: number): Level {
  if (status >= 500) return 'ERROR';
  if (status >= 400) return 'WARNING';
  return 'INFO';
}
