// Display formatting shared by the views. Pure functions of their input: no clock, no locale of the host.

const countFormat = new Intl.NumberFormat('en-US');

/** `12345` → `12,345`. */
export function formatCount(n: number): string {
  return countFormat.format(n);
}

/** `1234` → `1.2k`, `2500000` → `2.5M`: for axis labels and tight spaces. */
export function formatCompact(n: number): string {
  const abs = Math.abs(n);
  if (abs < 1000) return String(Math.round(n));
  if (abs < 1_000_000) return `${trim1(n / 1000)}k`;
  if (abs < 1_000_000_000) return `${trim1(n / 1_000_000)}M`;
  return `${trim1(n / 1_000_000_000)}G`;
}

function trim1(n: number): string {
  return (Math.abs(n) < 10 ? n.toFixed(1) : Math.round(n).toString()).replace(/\.0$/, '');
}

/** `HH:MM:SS.mmm` in UTC (the dashboard shows every time in UTC, so rows from any host line up). */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '--:--:--.---';
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0')}`;
}

/** `HH:MM` in UTC. */
export function clockMinute(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '--:--';
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `5s ago`, `3m ago`, `2h ago`, `4d ago`; `just now` under a second; a future time reads `in 5s`. */
export function relativeTime(ms: number, now: number): string {
  const diff = now - ms;
  const text = duration(Math.abs(diff));
  if (text === '0s') return 'just now';
  return diff >= 0 ? `${text} ago` : `in ${text}`;
}

/** A span of time in its largest whole unit: `45s`, `12m`, `3h`, `2d`. */
export function duration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

/** `0 B`, `12.3 KiB`, `4.0 MiB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** Lines per second as people read it: `120/s`, `2.5/s`, `3/min`, `0`. */
export function formatRate(perSecond: number): string {
  if (perSecond <= 0) return '0';
  if (perSecond >= 100) return `${formatCount(Math.round(perSecond))}/s`;
  if (perSecond >= 1) return `${trim1(perSecond)}/s`;
  const perMinute = perSecond * 60;
  return perMinute >= 1 ? `${trim1(perMinute)}/min` : '<1/min';
}

/** A metadata value as text: strings as they are, anything else as JSON (never throws). */
export function metadataText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The first line of a message, for one-line summaries. */
export function firstLine(text: string, max = 400): string {
  const newline = text.indexOf('\n');
  const line = newline >= 0 ? text.slice(0, newline) : text;
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** Cuts very long text for display, saying how much was left out. */
export function clip(text: string, max: number): { text: string; omitted: number } {
  return text.length > max ? { text: text.slice(0, max), omitted: text.length - max } : { text, omitted: 0 };
}
