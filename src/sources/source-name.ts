// The one rule for source names that come from clients (every ingest route and receiver uses it).
// Names end up in labels, file names (history store), metrics and terminals, so they are refused, not
// rewritten: a client learns at once that its name is wrong instead of finding its lines elsewhere.

export const MAX_SOURCE_BYTES = 255;

// C0 controls (NUL included), DEL, C1 controls, and bidirectional overrides/isolates, which would let a
// name display as another in the dashboard or a terminal.
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Why `name` is not acceptable as a source name, or null when it is. */
export function sourceNameProblem(name: string): string | null {
  if (name.length === 0) return 'source must not be empty';
  const bytes = new TextEncoder().encode(name).byteLength;
  if (bytes > MAX_SOURCE_BYTES) return `source is ${bytes} bytes long; at most ${MAX_SOURCE_BYTES} bytes (UTF-8) are allowed`;
  const bad = FORBIDDEN.exec(name);
  if (bad !== null) return `source must not contain control characters or bidi overrides (found U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})`;
  if (/[\uD800-\uDFFF]/.test(name.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''))) return 'source is not valid Unicode (lone surrogate)';
  if (name.split(/[/\\]/).some((segment) => segment === '..')) return 'source must not contain ".." path segments';
  return null;
}

const FORBIDDEN_ALL = new RegExp(FORBIDDEN.source, 'g');
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * `name` made acceptable under sourceNameProblem, for names a receiver derives from labels (a Loki
 * stream's `host`/`app`, an OTLP resource, a syslog HOSTNAME): one bad label must not refuse a whole
 * batch of good lines, so the name is repaired instead. Control characters and bidi overrides become
 * `_`, lone surrogates U+FFFD, the name is cut to 255 UTF-8 bytes at a character boundary, and a `..`
 * segment becomes `__`; empty names become `fallback`. A valid name comes back unchanged.
 */
export function sanitizeSourceName(name: string, fallback = 'unknown'): string {
  if (sourceNameProblem(name) === null) return name;
  let out = name.replace(LONE_SURROGATE, '\uFFFD').replace(FORBIDDEN_ALL, '_');
  let bytes = 0;
  let end = 0;
  for (const ch of out) {
    const size = ch.codePointAt(0)! < 0x80 ? 1 : ch.codePointAt(0)! < 0x800 ? 2 : ch.codePointAt(0)! < 0x10000 ? 3 : 4;
    if (bytes + size > MAX_SOURCE_BYTES) break;
    bytes += size;
    end += ch.length;
  }
  out = out.slice(0, end);
  // After the cut: cutting "a/..." can leave a trailing "..".
  out = out
    .split(/([/\\])/)
    .map((part) => (part === '..' ? '__' : part))
    .join('');
  return out.length === 0 ? fallback : out;
}
