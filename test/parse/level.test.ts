import { describe, expect, it } from 'vitest';
import { levelFromLetter, levelFromNumber, levelFromStatus, levelFromStrongWord, levelFromSyslogSeverity, levelFromValue, levelFromWord } from '../../src/parse/level.ts';

describe('the level table', () => {
  it('maps the words of every format, in any case', () => {
    const cases: Array<[string, string]> = [
      ['trace', 'DEBUG'], ['VERBOSE', 'DEBUG'], ['Debug', 'DEBUG'], ['FINEST', 'DEBUG'], ['trace3', 'DEBUG'],
      ['info', 'INFO'], ['Information', 'INFO'], ['NOTICE', 'INFO'], ['note', 'INFO'],
      ['warn', 'WARNING'], ['WARNING', 'WARNING'], ['Warning', 'WARNING'],
      ['err', 'ERROR'], ['ERROR', 'ERROR'], ['Severe', 'ERROR'], ['eRrOr', 'ERROR'],
      ['crit', 'CRITICAL'], ['Critical', 'CRITICAL'], ['FATAL', 'CRITICAL'], ['alert', 'CRITICAL'],
      ['emerg', 'CRITICAL'], ['EMERGENCY', 'CRITICAL'], ['panic', 'CRITICAL'], ['failure', 'CRITICAL'],
    ];
    for (const [word, level] of cases) expect(levelFromWord(word), word).toBe(level);
  });

  it('knows no level in ordinary words', () => {
    for (const word of ['hello', 'errors', 'information-ish', '', 'in', 'x'.repeat(100)]) expect(levelFromWord(word), word).toBeUndefined();
  });

  it('keeps prose words such as Note and System out of the strong table', () => {
    expect(levelFromStrongWord('Note')).toBeUndefined();
    expect(levelFromStrongWord('system')).toBeUndefined();
    expect(levelFromStrongWord('WARN')).toBe('WARNING');
  });

  it('maps logcat and glog letters', () => {
    const letters: Record<string, string> = { V: 'DEBUG', D: 'DEBUG', I: 'INFO', W: 'WARNING', E: 'ERROR', F: 'CRITICAL', A: 'CRITICAL' };
    for (const [letter, level] of Object.entries(letters)) expect(levelFromLetter(letter.charCodeAt(0))).toBe(level);
    expect(levelFromLetter('X'.charCodeAt(0))).toBeUndefined();
  });

  it('maps syslog severities 0–7', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(levelFromSyslogSeverity)).toEqual(['CRITICAL', 'CRITICAL', 'CRITICAL', 'ERROR', 'WARNING', 'INFO', 'INFO', 'DEBUG']);
  });

  it('maps pino/bunyan numbers and Nextcloud 0–4', () => {
    expect([10, 20, 30, 40, 50, 60, 35].map(levelFromNumber)).toEqual(['DEBUG', 'DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL', 'INFO']);
    expect([0, 1, 2, 3, 4].map(levelFromNumber)).toEqual(['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL']);
    expect(levelFromNumber(7)).toBeUndefined();
    expect(levelFromNumber(-1)).toBeUndefined();
    expect(levelFromNumber(Number.NaN)).toBeUndefined();
  });

  it('reads a level field whatever its type', () => {
    expect(levelFromValue(' warn ')).toBe('WARNING');
    expect(levelFromValue('50')).toBe('ERROR');
    expect(levelFromValue(30)).toBe('INFO');
    expect(levelFromValue({ name: 'info' })).toBeUndefined();
    expect(levelFromValue(null)).toBeUndefined();
  });

  it('derives access-log levels from the status', () => {
    expect([200, 302, 404, 499, 500, 503].map(levelFromStatus)).toEqual(['INFO', 'INFO', 'WARNING', 'WARNING', 'ERROR', 'ERROR']);
  });
});
