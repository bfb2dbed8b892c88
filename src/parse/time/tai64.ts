// TAI64N labels as daemontools, runit and s6 write them before each line (`@4000000043322583` + 8 hex
// digits of nanoseconds). The label is 2^62 + TAI seconds; like `tai64nlocal`, the 10 s between TAI and
// UTC at the 1970 epoch are taken off (leap seconds since are not: tai64nlocal does not either).

/** Length of a TAI64N label after its `@`: 16 hex digits of seconds, 8 of nanoseconds. */
export const TAI64N_DIGITS = 24;

function hexAt(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(i + k);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 97 && c <= 102) d = c - 87;
    else if (c >= 65 && c <= 70) d = c - 55;
    else return -1;
    v = v * 16 + d;
  }
  return v;
}

/**
 * UTC ms of the TAI64N label whose hex digits start at `i` (after the `@`), NaN when there are not 24
 * hex digits there, the label is not in the 2^62 era, or a hex digit follows.
 */
export function tai64nAt(s: string, i: number): number {
  const high = hexAt(s, i, 8);
  if (high < 0x4000_0000 || high > 0x4000_00ff) return NaN;
  const low = hexAt(s, i + 8, 8);
  const nanos = hexAt(s, i + 16, 8);
  if (low < 0 || nanos < 0 || nanos >= 1e9 || hexAt(s, i + TAI64N_DIGITS, 1) >= 0) return NaN;
  const seconds = (high - 0x4000_0000) * 0x1_0000_0000 + low - 10;
  return seconds * 1000 + Math.floor(nanos / 1e6);
}
