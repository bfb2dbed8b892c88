// Turns bytes read from a file into complete lines. Splitting happens on the byte 0x0A, so offsets stay
// exact whatever the encoding; the unfinished last line is carried to the next read.
import { Buffer } from 'node:buffer';

const LF = 10;
const CR = 13;

/** Appended to a line cut at the limit; says how much was dropped. */
export function truncationMarker(droppedBytes: number): string {
  return ` …[truncated ${droppedBytes} bytes]`;
}

/**
 * Splits a byte stream into lines. Each complete line (terminator and a `\r` before it removed) is
 * appended to `lines`, and the absolute offset just after its `\n` to `ends` (what a checkpoint may
 * advance to once the line is processed). Lines longer than `maxLineBytes` are cut at a character
 * boundary and marked; invalid UTF-8 decodes to U+FFFD and never throws.
 */
export class LineSplitter {
  /** Lines cut at the limit so far. */
  truncatedLines = 0;
  /** The unfinished line: up to `maxLineBytes + 4` bytes kept (enough to cut at a character boundary). */
  private carry: Buffer | null = null;
  private carryLength = 0;
  /** Bytes of the unfinished line beyond what `carry` keeps: counted, not stored. */
  private overflow = 0;
  private lastByte = -1;

  constructor(readonly maxLineBytes: number) {}

  /** Bytes of the unfinished line waiting for its `\n`. */
  get pendingBytes(): number {
    return this.carryLength + this.overflow;
  }

  /** Splits `chunk[0, length)`, which starts at absolute offset `base`. */
  push(chunk: Buffer, length: number, base: number, lines: string[], ends: number[]): void {
    const view = length === chunk.length ? chunk : chunk.subarray(0, length);
    let pos = 0;
    if (this.pendingBytes > 0) {
      const nl = view.indexOf(LF);
      if (nl < 0) {
        this.append(view, 0, length);
        return;
      }
      this.append(view, 0, nl);
      lines.push(this.takeCarry());
      ends.push(base + nl + 1);
      pos = nl + 1;
    }
    const last = view.lastIndexOf(LF);
    if (last >= pos) {
      this.splitComplete(view, pos, last, base, lines, ends);
      pos = last + 1;
    }
    if (pos < length) this.append(view, pos, length);
  }

  /**
   * Emits the unfinished line as if it were complete (its writer never finished it, or its file is
   * gone). Returns false when nothing was pending.
   */
  flushPartial(endOffset: number, lines: string[], ends: number[]): boolean {
    if (this.pendingBytes === 0) return false;
    lines.push(this.takeCarry());
    ends.push(endOffset);
    return true;
  }

  /** Forgets the unfinished line (the file was truncated or rewritten). */
  reset(): void {
    this.carryLength = 0;
    this.overflow = 0;
    this.lastByte = -1;
  }

  /**
   * Hot path: `view[from, lastNl]` holds only complete lines. Each line is decoded on its own, never
   * sliced out of one string of the whole chunk: a slice shares its parent (a JSC substring, a V8
   * SlicedString), so one line kept past the ring (a pattern's sample, an alert's sample, a held entry)
   * would keep its whole 64 KiB chunk alive. Measured on Bun: 1000 kept lines, one per chunk, held
   * 62 MB of heap that way, against nothing now; the split costs 0-15 % more, a small part of a line's cost.
   */
  private splitComplete(view: Buffer, from: number, lastNl: number, base: number, lines: string[], ends: number[]): void {
    const max = this.maxLineBytes;
    let p = from;
    while (p <= lastNl) {
      const nl = view.indexOf(LF, p);
      let e = nl;
      if (e > p && view[e - 1] === CR) e--;
      lines.push(e - p > max ? this.cut(view, p, e) : view.toString('utf8', p, e));
      ends.push(base + nl + 1);
      p = nl + 1;
    }
  }

  /** Decodes `bytes[start, end)` cut at the limit, backing off to the start of a UTF-8 character. */
  private cut(bytes: Buffer, start: number, end: number): string {
    let cut = start + this.maxLineBytes;
    for (let back = 0; back < 3 && cut > start && (bytes[cut] & 0xc0) === 0x80; back++) cut--;
    this.truncatedLines++;
    return bytes.toString('utf8', start, cut) + truncationMarker(end - cut);
  }

  private append(view: Buffer, from: number, to: number): void {
    const n = to - from;
    if (n <= 0) return;
    this.lastByte = view[to - 1];
    const keep = this.maxLineBytes + 4;
    const room = keep - this.carryLength;
    const take = n < room ? n : room;
    if (take > 0 && this.overflow === 0) {
      this.ensureCapacity(this.carryLength + take);
      view.copy(this.carry as Buffer, this.carryLength, from, from + take);
      this.carryLength += take;
      this.overflow += n - take;
    } else {
      this.overflow += n;
    }
  }

  private ensureCapacity(size: number): void {
    const carry = this.carry;
    if (carry !== null && carry.length >= size) return;
    const capacity = Math.min(this.maxLineBytes + 4, Math.max(size, (carry?.length ?? 0) * 2, 256));
    const grown = Buffer.allocUnsafe(capacity);
    if (carry !== null) carry.copy(grown, 0, 0, this.carryLength);
    this.carry = grown;
  }

  /** The carried bytes as one line (a final `\r` removed, cut at the limit), then forgotten. */
  private takeCarry(): string {
    let total = this.carryLength + this.overflow;
    let kept = this.carryLength;
    if (total > 0 && this.lastByte === CR) {
      total--;
      if (this.overflow > 0) this.overflow--;
      else kept--;
    }
    const carry = this.carry;
    let text: string;
    if (carry === null || kept === 0) {
      text = '';
    } else if (total <= this.maxLineBytes) {
      text = carry.toString('utf8', 0, kept);
    } else {
      text = this.cut(carry, 0, total);
    }
    this.reset();
    return text;
  }
}
