// A few read buffers shared by every file: bounds memory and concurrent reads however many files are
// followed (the thread pool runs only a handful of reads at once anyway).
import { Buffer } from 'node:buffer';

export class ReadSlots {
  private readonly free: Buffer[] = [];
  private readonly waiting: Array<(buffer: Buffer) => void> = [];

  constructor(count: number, readonly bytes: number) {
    for (let i = 0; i < count; i++) this.free.push(Buffer.allocUnsafe(bytes));
  }

  /** A buffer of `bytes` bytes, once one is free (first come, first served). */
  acquire(): Promise<Buffer> {
    const buffer = this.free.pop();
    if (buffer !== undefined) return Promise.resolve(buffer);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(buffer: Buffer): void {
    const next = this.waiting.shift();
    if (next !== undefined) next(buffer);
    else this.free.push(buffer);
  }
}
