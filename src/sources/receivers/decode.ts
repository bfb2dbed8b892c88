// What the receivers' decoders share: the error a client must fix, and safe field assignment.

/** A body the client must fix: a 400 (malformed), 413 (too large) or 415 (unsupported) with this message. */
export class DecodeError extends Error {
  constructor(
    message: string,
    readonly reason: 'malformed' | 'too_large' | 'unsupported' = 'malformed',
  ) {
    super(message);
  }
}

/** `target[key] = value`, where a key named `__proto__` stays a plain field (labels are the sender's text). */
export function setField(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
