// Timestamp layouts for custom formats (`timestampFormat`), in the moment/dayjs token style:
// YYYY YY MMMM MMM MM M DD D HH H hh h mm m ss s S…S (fraction) A a Z ZZ X (epoch s) x (epoch ms)
// dddd ddd (weekday, ignored); text in [brackets] is literal.
import { monthFromName } from './time/calendar.ts';
import { epochToMs } from './time/epoch.ts';
import type { TimeResolver } from './time/resolver.ts';

type Field = 'year' | 'year2' | 'month' | 'monthName' | 'day' | 'hour' | 'hour12' | 'minute' | 'second' | 'fraction' | 'ampm' | 'zone' | 'epochS' | 'epochMs' | 'weekday';

export interface TimestampLayout {
  readonly source: string;
  readonly re: RegExp;
  readonly fields: readonly Field[];
}

const TOKENS: ReadonlyArray<readonly [string, Field, string]> = [
  ['YYYY', 'year', '(\\d{4})'],
  ['YY', 'year2', '(\\d{2})'],
  ['MMMM', 'monthName', '([A-Za-z]{3,9})'],
  ['MMM', 'monthName', '([A-Za-z]{3})'],
  ['MM', 'month', '(\\d{2})'],
  ['M', 'month', '(\\d{1,2})'],
  ['DD', 'day', '(\\d{2})'],
  ['D', 'day', '(\\d{1,2})'],
  ['dddd', 'weekday', '([A-Za-z]+)'],
  ['ddd', 'weekday', '([A-Za-z]{3})'],
  ['HH', 'hour', '(\\d{2})'],
  ['H', 'hour', '(\\d{1,2})'],
  ['hh', 'hour12', '(\\d{2})'],
  ['h', 'hour12', '(\\d{1,2})'],
  ['mm', 'minute', '(\\d{2})'],
  ['m', 'minute', '(\\d{1,2})'],
  ['ss', 'second', '(\\d{2})'],
  ['s', 'second', '(\\d{1,2})'],
  ['A', 'ampm', '([AaPp][Mm])'],
  ['a', 'ampm', '([AaPp][Mm])'],
  ['ZZ', 'zone', '(Z|[+-]\\d{4})'],
  ['Z', 'zone', '(Z|[+-]\\d\\d:?\\d\\d)'],
  ['X', 'epochS', '(\\d+(?:\\.\\d+)?)'],
  ['x', 'epochMs', '(\\d+)'],
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Compiles a layout; throws an Error saying what is wrong when it has no date or time field. */
export function compileLayout(layout: string): TimestampLayout {
  let pattern = '';
  const fields: Field[] = [];
  let i = 0;
  while (i < layout.length) {
    if (layout[i] === '[') {
      const close = layout.indexOf(']', i);
      if (close < 0) throw new Error(`unclosed [ at position ${i + 1}; put literal text in [brackets]`);
      pattern += escapeRegExp(layout.slice(i + 1, close));
      i = close + 1;
      continue;
    }
    if (layout[i] === 'S') {
      let j = i;
      while (layout[j] === 'S') j++;
      pattern += `(\\d{${j - i}})`;
      fields.push('fraction');
      i = j;
      continue;
    }
    const token = TOKENS.find(([text]) => layout.startsWith(text, i));
    if (token !== undefined) {
      pattern += token[2];
      fields.push(token[1]);
      i += token[0].length;
    } else {
      pattern += /\s/.test(layout[i]!) ? '\\s+' : escapeRegExp(layout[i]!);
      i++;
    }
  }
  const has = (f: Field) => fields.includes(f);
  if (!has('epochS') && !has('epochMs') && !has('hour') && !has('hour12') && !has('day')) {
    throw new Error('the layout has no date or time token (e.g. YYYY-MM-DD HH:mm:ss.SSS)');
  }
  return { source: layout, re: new RegExp(`^\\s*${pattern}\\s*$`), fields };
}

/** UTC ms of `text` read with `layout`; NaN when it does not fit. */
export function parseWithLayout(text: string, layout: TimestampLayout, r: TimeResolver): number {
  const m = layout.re.exec(text);
  if (m === null) return NaN;
  let year = -1;
  let month = 1;
  let day = -1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let ms = 0;
  let pm: boolean | undefined;
  let offset = NaN;
  for (let k = 0; k < layout.fields.length; k++) {
    const v = m[k + 1]!;
    switch (layout.fields[k]) {
      case 'year': year = Number(v); break;
      case 'year2': year = 2000 + Number(v); break;
      case 'month': month = Number(v); break;
      case 'monthName': month = monthFromName(v); break;
      case 'day': day = Number(v); break;
      case 'hour': hour = Number(v); break;
      case 'hour12': hour = Number(v) % 12; break;
      case 'minute': minute = Number(v); break;
      case 'second': second = Number(v); break;
      case 'fraction': ms = Math.floor(Number(`0.${v}`) * 1000); break;
      case 'ampm': pm = (v.charCodeAt(0) | 32) === 112; break;
      case 'zone': offset = v === 'Z' ? 0 : (v[0] === '-' ? -1 : 1) * (Number(v.slice(1, 3)) * 60 + Number(v.slice(-2))); break;
      case 'epochS': return epochToMs(Number(v));
      case 'epochMs': return Number(v);
      case 'weekday': break;
    }
  }
  if (pm === true) hour += 12;
  if (day < 0) return r.timeOfDay(hour, minute, second, ms, offset);
  if (year < 0) return r.yearless(month, day, hour, minute, second, ms, offset);
  return r.fields(year, month, day, hour, minute, second, ms, offset);
}
