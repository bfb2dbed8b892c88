// Loki push bodies as LogWatch sends them (the Loki sink, the agent): JSON, one stream per label set.
// The receiving side is sources/receivers/loki-decode.ts; tests check one against the other and
// against the documented example of the protocol.

export interface PushRecord {
  labels: Record<string, string>;
  /** Time, ms since the epoch. */
  time: number;
  line: string;
}

/** Labels as one key, independent of their order. */
function labelKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.keys(labels).sort().map((k) => [k, labels[k]]));
}

/** `{"streams":[{"stream":{...},"values":[["<ns>","<line>"],...]}]}`; records keep their order within a stream. */
export function encodeLokiPush(records: readonly PushRecord[]): string {
  const streams = new Map<string, { stream: Record<string, string>; values: Array<[string, string]> }>();
  for (const record of records) {
    const key = labelKey(record.labels);
    let stream = streams.get(key);
    if (stream === undefined) {
      stream = { stream: record.labels, values: [] };
      streams.set(key, stream);
    }
    const ms = Math.max(0, Math.floor(record.time));
    stream.values.push([ms === 0 ? '0' : `${ms}000000`, record.line]);
  }
  return JSON.stringify({ streams: [...streams.values()] });
}

/** The push URL of a Loki base URL (`http://loki:3100` → `http://loki:3100/loki/api/v1/push`); a full URL is kept. */
export function lokiPushUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.pathname === '/' || parsed.pathname === '') parsed.pathname = '/loki/api/v1/push';
  return parsed.toString();
}
