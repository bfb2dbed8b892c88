// ASCII digit scanning shared by the time shapes and the format parsers: read fixed-width numbers by
// char code, with no substring or Number() allocation on the hot path. -1 means "not digits here".

/** Value of `n` ASCII digits at `i`, or -1 if any of them is not a digit. */
export function digitsAt(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(i + k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Value of the two digits at `i` (0–99), or -1. The hot paths' way to read a date field. */
export function twoDigitsAt(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

export function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Milliseconds of a fraction whose digits are `s[i, end)` (at least one); digits beyond ms are cut. */
export function fractionMs(s: string, i: number, end: number): number {
  const n = end - i;
  const a = s.charCodeAt(i) - 48;
  if (n === 1) return a * 100;
  const b = s.charCodeAt(i + 1) - 48;
  if (n === 2) return a * 100 + b * 10;
  return a * 100 + b * 10 + s.charCodeAt(i + 2) - 48;
}

/** Index after the run of digits starting at `i`. */
export function skipDigits(s: string, i: number): number {
  while (isDigitCode(s.charCodeAt(i))) i++;
  return i;
}

/** A word character by the scanner's rules ([0-9A-Za-z_]): timestamps start only at a word boundary. */
export function isWordCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
