/** A minimal SSE client for tests: parses `id:`/`event:`/`data:` blocks and `:` comments. */
export interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

export class SseReader {
  readonly events: SseEvent[] = [];
  private buffer = '';
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private ended = false;

  constructor(body: ReadableStream<Uint8Array>) {
    this.reader = body.getReader();
  }

  static async connect(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
    const res = await fetch(url, { headers: { Accept: 'text/event-stream', ...headers } });
    if (!res.ok || res.body === null) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
    return new SseReader(res.body);
  }

  /** Reads until `done(events)` holds; throws with what arrived when the time runs out. */
  async until(done: (events: SseEvent[]) => boolean, timeoutMs = 5000): Promise<SseEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.events)) {
      if (this.ended) throw new Error(`stream ended; got ${JSON.stringify(this.events).slice(-800)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; got ${JSON.stringify(this.events).slice(-800)}`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const chunk = await Promise.race([
        this.reader.read(),
        new Promise<null>((resolve) => {
          timer = setTimeout(() => resolve(null), left);
        }),
      ]);
      clearTimeout(timer);
      if (chunk === null) continue;
      if (chunk.done) {
        this.ended = true;
        continue;
      }
      this.feed(this.decoder.decode(chunk.value, { stream: true }));
    }
    return this.events;
  }

  /** Parsed `data` of every `event: log`. */
  logs<T = { id: number; message: string; level: string; raw: string; source: string }>(): T[] {
    return this.events.filter((e) => e.event === 'log').map((e) => JSON.parse(e.data ?? 'null') as T);
  }

  ofType<T = Record<string, unknown>>(type: string): T[] {
    return this.events.filter((e) => e.event === type).map((e) => JSON.parse(e.data ?? 'null') as T);
  }

  async close(): Promise<void> {
    await this.reader.cancel().catch(() => {});
  }

  private feed(text: string): void {
    this.buffer += text;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const event: SseEvent = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) {
          event.comment = line.slice(1).trim();
          continue;
        }
        const colon = line.indexOf(':');
        if (colon < 0) continue;
        const key = line.slice(0, colon);
        const value = line.slice(colon + 1).replace(/^ /, '');
        if (key === 'id' || key === 'event' || key === 'data') event[key] = event[key] === undefined ? value : `${event[key]}\n${value}`;
      }
      this.events.push(event);
    }
  }
}
