// Month names in English, French, German and Spanish, full and abbreviated (with or without the
// abbreviation's dot), as C libraries write `%b`/`%B` under those locales: localised syslog
// (`août 19 11:08:37`), German Java logs (`12. Okt. 2024`), Spanish servers (`dic 3`). Without this
// table such lines get the receive time, which hides when they were written.

const NAMES: Readonly<Record<string, number>> = {};

function add(month: number, ...names: string[]): void {
  for (const name of names) (NAMES as Record<string, number>)[name] = month;
}

// English.
add(1, 'jan', 'january'); add(2, 'feb', 'february'); add(3, 'mar', 'march'); add(4, 'apr', 'april');
add(5, 'may'); add(6, 'jun', 'june'); add(7, 'jul', 'july'); add(8, 'aug', 'august');
add(9, 'sep', 'sept', 'september'); add(10, 'oct', 'october'); add(11, 'nov', 'november'); add(12, 'dec', 'december');
// French (glibc fr_FR `%b`: janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc.).
add(1, 'janv', 'janvier'); add(2, 'févr', 'fevr', 'février', 'fevrier', 'fév', 'fev'); add(3, 'mars');
add(4, 'avr', 'avril'); add(5, 'mai'); add(6, 'juin'); add(7, 'juil', 'juillet'); add(8, 'août', 'aout', 'aoû');
add(9, 'septembre'); add(10, 'octobre'); add(11, 'novembre'); add(12, 'déc', 'décembre', 'decembre');
// German (de_DE: Jan Feb Mär Apr Mai Jun Jul Aug Sep Okt Nov Dez; `Mrz` in some locales).
add(1, 'januar', 'jän', 'jänner'); add(2, 'februar'); add(3, 'mär', 'märz', 'mrz', 'maerz');
add(6, 'juni'); add(7, 'juli'); add(10, 'okt', 'oktober'); add(12, 'dez', 'dezember');
// Spanish (es_ES: ene feb mar abr may jun jul ago sep oct nov dic; `set`/`setiembre` in Latin America).
add(1, 'ene', 'enero'); add(2, 'febrero'); add(3, 'marzo'); add(4, 'abr', 'abril'); add(5, 'mayo');
add(6, 'junio'); add(7, 'julio'); add(8, 'ago', 'agosto'); add(9, 'set', 'septiembre', 'setiembre');
add(10, 'octubre'); add(11, 'noviembre'); add(12, 'dic', 'diciembre');

/** Month number (1–12) of a month name or abbreviation in any of the four languages, any case, with or without a trailing dot; 0 if none. */
export function monthFromAnyName(name: string): number {
  let text = name.toLowerCase();
  if (text.charCodeAt(text.length - 1) === 46) text = text.slice(0, -1);
  return NAMES[text] ?? 0;
}

/** The longest names first, so that an alternation takes `juillet` before `juil`. */
const ALTERNATION = Object.keys(NAMES).sort((a, b) => b.length - a.length).join('|');

/** A regex source matching any month name of the table (case-insensitive use; optional trailing dot). */
export const ANY_MONTH_RE = `(?:${ALTERNATION})\\.?`;

const AT = new RegExp(`(${ANY_MONTH_RE})(?![\\p{L}])`, 'iuy');

/** Length of the month name at `i` (a trailing dot included) and its number, or 0: sets `monthNameEnd`. */
export let monthNameEnd = 0;
export function monthNameAt(s: string, i: number): number {
  AT.lastIndex = i;
  const m = AT.exec(s);
  if (m === null) return 0;
  monthNameEnd = i + m[1]!.length;
  return monthFromAnyName(m[1]!);
}
