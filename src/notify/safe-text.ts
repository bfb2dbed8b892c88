// Log text is hostile: these make it safe for each output a channel writes to.

// C0 controls (tab, newline and carriage return included), DEL and C1 controls. Stripping ESC (0x1b)
// also defuses ANSI escape sequences that could rewrite a terminal.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]+/g;
// Bidirectional overrides can make a log line display differently from what it says.
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;

/** One line of plain text: control characters become a space, bidi overrides vanish. */
export function stripControl(text: string): string {
  return text.replace(CONTROL, ' ').replace(BIDI, '');
}

/** Multi-line plain text: line breaks kept, every other control character removed. */
export function stripControlKeepLines(text: string): string {
  return text
    .split(/\r\n|\n|\r/)
    .map((line) => line.replace(/\t/g, '    ').replace(CONTROL, '').replace(BIDI, ''))
    .join('\n');
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an HTML body or attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

/** Slack mrkdwn: only &, < and > are control characters there (`<!channel>`, `<url|text>`). */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts text to `max` characters, marking the cut. */
export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, Math.max(0, max - 1))}…` : text;
}
