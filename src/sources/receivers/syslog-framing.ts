// Syslog over a byte stream (TCP, TLS): cuts frames out of the chunks as they come. Pure.
// RFC 6587 defines two framings and senders use both; each frame says which it is by its first byte:
// - octet counting, `MSG-LEN SP MSG` (a frame that starts with a digit 1-9, as RFC 5425 requires for TLS),
// - non-transparent, the message ends at LF (NUL too, which some old senders use).
// A frame over `maxBytes` is skipped whole (counted), never cut into two messages, and never makes the
// framer buffer more than `maxBytes`.
import { Buffer } from 'node:buffer';

const LF = 10;
const NUL = 0;
const CR = 13;
const SPACE = 32;
/** `MSG-LEN` digits at most (RFC 6587: a length of up to 10 digits is plenty). */
const MAX_LEN_DIGITS = 10;

export interface FramerResult {
  frames: string[];
  /** Frames skipped for being over the size limit. */
  tooLarge: number;
}

export class SyslogFramer {
  private buf: Buffer = Buffer.alloc(0);
  /** Bytes still to throw away of an oversize octet-counted frame. */
  private skip = 0;
  /** An oversize LF-framed frame: throw away up to the next terminator. */
  private discarding = false;
  private readonly decoder = new TextDecoder('utf-8');

  constructor(private readonly maxBytes: number) {}

  /** Frames completed by `chunk`. */
  push(chunk: Uint8Array, out: FramerResult): void {
    const data: Buffer = this.buf.length === 0 ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.concat([this.buf, chunk]);
    let pos = 0;
    const end = data.length;
    while (pos < end) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, end - pos);
        this.skip -= n;
        pos += n;
        continue;
      }
      if (this.discarding) {
        const stop = terminatorAt(data, pos);
        if (stop < 0) {
          pos = end;
          break;
        }
        this.discarding = false;
        pos = stop + 1;
        continue;
      }
      const c = data[pos];
      if (c === LF || c === CR || c === NUL || c === SPACE) {
        // Trailers between octet-counted frames, blank lines: not messages.
        pos++;
        continue;
      }
      if (c >= 49 && c <= 57) {
        const counted = this.octetCounted(data, pos, out);
        if (counted === -1) break; // need more bytes
        if (counted >= 0) {
          pos = counted;
          continue;
        }
        // -2: digits not followed by a space: an LF-framed message that starts with a digit
      }
      const stop = terminatorAt(data, pos);
      if (stop < 0) {
        if (end - pos > this.maxBytes) {
          out.tooLarge++;
          this.discarding = true;
          pos = end;
        }
        break;
      }
      if (stop - pos > this.maxBytes) out.tooLarge++;
      else out.frames.push(this.decoder.decode(data.subarray(pos, stop)));
      pos = stop + 1;
    }
    // Keep only the unfinished frame, copied so the chunk it came in can be freed.
    this.buf = pos >= end ? Buffer.alloc(0) : Buffer.from(data.subarray(pos));
  }

  /** At the end of the stream: an unterminated last LF-framed message is still a message. */
  end(out: FramerResult): void {
    if (this.buf.length > 0 && !this.discarding && this.skip === 0) {
      const c = this.buf[0];
      const looksCounted = c >= 49 && c <= 57 && /^\d{1,10} /.test(this.buf.subarray(0, 12).toString('latin1'));
      // A cut octet-counted frame is incomplete, not a message: dropping it is what its length says.
      if (!looksCounted) out.frames.push(this.decoder.decode(this.buf));
    }
    this.buf = Buffer.alloc(0);
  }

  /** Bytes held for an unfinished frame (bounded by maxBytes plus one chunk). */
  get buffered(): number {
    return this.buf.length;
  }

  /**
   * An octet-counted frame at `pos`: the position after it, -1 when more bytes are needed, -2 when it
   * is not one after all. An oversize frame is counted and skipped.
   */
  private octetCounted(data: Buffer, pos: number, out: FramerResult): number {
    let i = pos;
    let len = 0;
    while (i < data.length && data[i] >= 48 && data[i] <= 57) {
      len = len * 10 + (data[i] - 48);
      i++;
      if (i - pos > MAX_LEN_DIGITS) return -2;
    }
    if (i === data.length) return -1;
    if (data[i] !== SPACE) return -2;
    const start = i + 1;
    if (len > this.maxBytes) {
      out.tooLarge++;
      const available = data.length - start;
      if (available >= len) return start + len;
      this.skip = len - available;
      return data.length;
    }
    if (data.length - start < len) return -1;
    out.frames.push(this.decoder.decode(data.subarray(start, start + len)));
    return start + len;
  }
}

function terminatorAt(data: Buffer, from: number): number {
  const lf = data.indexOf(LF, from);
  // NUL-terminated frames are rare; look for one only up to the LF, so a chunk of many frames stays linear.
  const nul = data.subarray(from, lf < 0 ? data.length : lf).indexOf(NUL);
  return nul >= 0 ? from + nul : lf;
}
