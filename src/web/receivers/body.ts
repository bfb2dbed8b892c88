// Request bodies of the receivers: read within a byte limit, gunzipped within another (a small gzip
// body can expand a thousandfold; the decoded limit stops that before memory does).
import { DecodeError } from '../../sources/receivers/decode.ts';

/** Reads the body; over `limit` bytes is a too_large DecodeError (checked on Content-Length first). */
export async function readLimited(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit, 'body');
  if (request.body === null) return new Uint8Array(0);
  return collect(request.body, limit, 'body');
}

/** The body as sent, gunzipped when `Content-Encoding: gzip`; other encodings are refused. */
export async function decodedBody(request: Request, limit: number, decodedLimit: number): Promise<Uint8Array> {
  const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip' && encoding !== '') {
    throw new DecodeError(`unsupported Content-Encoding "${encoding}": send gzip or an uncompressed body`, 'unsupported');
  }
  const body = await readLimited(request, limit);
  if (encoding !== 'gzip') return body;
  const stream = new Blob([body as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  try {
    return await collect(stream, decodedLimit, 'gunzipped body');
  } catch (err) {
    if (err instanceof DecodeError) throw err;
    throw new DecodeError(`the body is not valid gzip (${(err as Error).message})`);
  }
}

async function collect(stream: ReadableStream<Uint8Array>, limit: number, what: string): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit, what);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

function tooLarge(limit: number, what: string): DecodeError {
  return new DecodeError(`${what} larger than ${limit} bytes; send smaller batches`, 'too_large');
}

/** The media type of a Content-Type header, lower case without parameters ('' when absent). */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/** A JSON body; a body that is not JSON is the sender's fault (400), said in the protocol's own error. */
export function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(body));
  } catch (err) {
    throw new DecodeError(`body: invalid JSON: ${(err as Error).message}`);
  }
}
