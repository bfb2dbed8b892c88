// Zone abbreviations written after a time (`2025-08-13 01:45:01.123 PDT`, `Sat Apr 27 03:33:07 PDT 2013`).
// Dropping one silently shifts every entry by hours, the worst kind of wrong. Only abbreviations with one
// meaning in practice get an offset; one that means several zones (IST: India, Ireland or Israel) or that
// this table does not know is reported as guessed, so the entry keeps its text (`timezone_text`) and is
// marked (`timestamp_zone_guessed`) while its time is read in the source's zone.
import { levelFromWord } from '../level.ts';

/** Minutes east of UTC of the unambiguous abbreviations. */
export const ZONE_ABBREVIATIONS: ReadonlyMap<string, number> = new Map([
  ['UTC', 0], ['GMT', 0], ['UT', 0], ['Z', 0],
  ['EST', -300], ['EDT', -240], ['CST', -360], ['CDT', -300],
  ['MST', -420], ['MDT', -360], ['PST', -480], ['PDT', -420],
  ['AKST', -540], ['AKDT', -480], ['HST', -600],
  ['CET', 60], ['CEST', 120], ['MET', 60], ['MEST', 120], ['BST', 60],
  ['WET', 0], ['WEST', 60], ['EET', 120], ['EEST', 180],
  ['JST', 540], ['KST', 540], ['AEST', 600], ['AEDT', 660], ['ACST', 570], ['ACDT', 630], ['AWST', 480],
  ['NZST', 720], ['NZDT', 780],
]);

/**
 * Abbreviations seen in logs whose offset is not certain (several zones, or rules that changed): read
 * as guessed. `MSK` was +04:00 from 2011 to 2014; `IST`, `AST`, `ADT` and `SST` name several zones.
 */
const AMBIGUOUS = new Set(['IST', 'AST', 'ADT', 'SST', 'MSK', 'MSD', 'CAT', 'EAT', 'WAT', 'ART', 'BRT', 'SGT', 'HKT', 'PHT', 'WIB', 'ICT', 'NST', 'NDT', 'ChST', 'SAST', 'PKT', 'GST']);

/** Result of zoneAbbreviationAt: the offset, or NaN with `guessed` text when the abbreviation is not certain. */
export interface ZoneAbbreviation {
  /** Minutes east of UTC, NaN when guessed. */
  offset: number;
  /** The abbreviation read when its offset is not known; '' otherwise. */
  guessed: string;
  /** Index after the abbreviation. */
  end: number;
  /**
   * False for a word that only looks like a zone (capitals ending in T, in no list): it is noted as guessed
   * but left in the text, since it may be the first word of the message (`RST received`).
   */
  consumed: boolean;
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

function isWordCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/**
 * The zone abbreviation of 2–5 capitals at `i` (known, or in the ambiguous list, or any word of 3–4
 * capitals ending in `T` as zone abbreviations do) followed by a non-word character; null if none.
 * `out` is reused. Words such as `INFO` or `LOG` are never taken: they end in no `T` and are not listed.
 */
export function zoneAbbreviationAt(s: string, i: number, out: ZoneAbbreviation): ZoneAbbreviation | null {
  let j = i;
  while (j - i < 6 && (isUpper(s.charCodeAt(j)) || (j > i && s.charCodeAt(j) === 104 /* h, ChST */))) j++;
  const n = j - i;
  if (n < 2 || n > 5 || isWordCode(s.charCodeAt(j))) return null;
  const text = s.slice(i, j);
  const offset = ZONE_ABBREVIATIONS.get(text);
  out.end = j;
  out.consumed = true;
  if (offset !== undefined) {
    out.offset = offset;
    out.guessed = '';
    return out;
  }
  out.consumed = AMBIGUOUS.has(text);
  if (out.consumed || (n >= 3 && n <= 4 && s.charCodeAt(j - 1) === 84 /* T */ && !NOT_ZONES.has(text) && levelFromWord(text) === undefined)) {
    out.offset = NaN;
    out.guessed = text;
    return out;
  }
  return null;
}

/** Capital words ending in T that follow a time in logs and are no zone. */
const NOT_ZONES = new Set(['GET', 'PUT', 'POST', 'SET', 'EXIT', 'WAIT', 'INIT', 'ALERT', 'START', 'TEXT', 'HTTP', 'HOST', 'PORT', 'LIST', 'TEST', 'OUT', 'NOT', 'BOOT', 'LAST', 'EDIT', 'SENT', 'CERT', 'STAT', 'QUIT', 'SORT', 'REST', 'HIT', 'ACT', 'CUT', 'LOT', 'BIT', 'FIT', 'HEAT', 'MEET', 'ACKT']);
