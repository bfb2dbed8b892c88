// The unsealed tail on disk: an append-only journal of rows, so an entry is durable (acknowledged)
// once its record is written, long before its segment is sealed. A record is a header line
// "#<firstSeq> <count>" and then <count> rows, one per line. A crash can cut the last record short:
// recovery keeps whole records only (a cut record was never acknowledged: flush() had not resolved)
// and truncates the rest away.
import { Buffer } from 'node:buffer';
import { open, readFile, truncate, type FileHandle } from 'node:fs/promises';

export interface JournalRecovery {
  /** Rows of the whole records, with the sequence number of the first. */
  firstSeq: number;
  rows: string[];
  /** Bytes of whole records (the file is cut to this). */
  validBytes: number;
  size: number;
}

export class Journal {
  private constructor(
    readonly path: string,
    readonly firstSeq: number,
    private readonly handle: FileHandle,
    private size: number,
    private readonly fsync: boolean,
  ) {}

  static async create(path: string, firstSeq: number, fsync: boolean): Promise<Journal> {
    const handle = await open(path, 'a');
    return new Journal(path, firstSeq, handle, 0, fsync);
  }

  get bytes(): number {
    return this.size;
  }

  /** Appends one record; resolves once it is written (and synced, with fsync). */
  async append(firstSeq: number, rows: readonly string[]): Promise<void> {
    const text = `#${firstSeq} ${rows.length}\n${rows.join('\n')}\n`;
    const bytes = Buffer.from(text);
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await this.handle.write(bytes, done, bytes.length - done);
      done += bytesWritten;
    }
    if (this.fsync) await this.handle.datasync();
    this.size += bytes.length;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/** Reads the whole records of a journal and cuts off a record a crash left unfinished. */
export async function recoverJournal(path: string): Promise<JournalRecovery> {
  const bytes = await readFile(path);
  const text = bytes.toString('utf8');
  const rows: string[] = [];
  let firstSeq = -1;
  let expectSeq = -1;
  let pos = 0;
  while (pos < text.length) {
    const headerEnd = text.indexOf('\n', pos);
    if (headerEnd < 0) break;
    const header = /^#(\d+) (\d+)$/.exec(text.slice(pos, headerEnd));
    if (header === null) break;
    const seq = Number(header[1]);
    const count = Number(header[2]);
    if (expectSeq >= 0 && seq !== expectSeq) break;
    const record: string[] = [];
    let at = headerEnd + 1;
    let whole = true;
    for (let i = 0; i < count; i++) {
      const end = text.indexOf('\n', at);
      if (end < 0) {
        whole = false;
        break;
      }
      const row = text.slice(at, end);
      try {
        JSON.parse(row);
      } catch {
        whole = false;
        break;
      }
      record.push(row);
      at = end + 1;
    }
    if (!whole) break;
    if (firstSeq < 0) firstSeq = seq;
    for (const row of record) rows.push(row);
    expectSeq = seq + count;
    pos = at;
  }
  const valid = Buffer.byteLength(text.slice(0, pos));
  if (valid < bytes.length) await truncate(path, valid);
  return { firstSeq: Math.max(firstSeq, 0), rows, validBytes: valid, size: bytes.length };
}
