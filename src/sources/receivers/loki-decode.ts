// The Loki push API body (`POST /loki/api/v1/push`), into records. Pure.
// - JSON: `{"streams":[{"stream":{labels},"values":[["<ns>","<line>"],["<ns>","<line>",{structured metadata}]]}]}`
// - protobuf: `logproto.PushRequest`, snappy block compressed (what Promtail, Grafana Alloy and Vector's
//   loki sink send). The message definition is written here (from Loki's pkg/push/push.proto), so
//   nothing is fetched or generated at run time.
// Labels and structured metadata go to metadata; the stream's labels name the source (`host:app`).
import protobuf from 'protobufjs/light.js';
import snappy from 'snappyjs';
import { z } from 'zod';
import { DecodeError, setField } from './decode.ts';
import { sourceName } from './intake.ts';
import { levelOfWord, nanosToMs } from './levels.ts';
import type { ReceivedRecord } from './types.ts';

const root = protobuf.Root.fromJSON({
  nested: {
    logproto: {
      nested: {
        PushRequest: { fields: { streams: { rule: 'repeated', type: 'StreamAdapter', id: 1 } } },
        StreamAdapter: {
          fields: {
            labels: { type: 'string', id: 1 },
            entries: { rule: 'repeated', type: 'EntryAdapter', id: 2 },
            hash: { type: 'uint64', id: 3 },
          },
        },
        EntryAdapter: {
          fields: {
            timestamp: { type: 'Timestamp', id: 1 },
            line: { type: 'string', id: 2 },
            structuredMetadata: { rule: 'repeated', type: 'LabelPairAdapter', id: 3 },
          },
        },
        LabelPairAdapter: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        // google.protobuf.Timestamp
        Timestamp: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
      },
    },
  },
});
/** Exported for tests and the Loki sink, which speak the same message. */
export const PushRequest = root.lookupType('logproto.PushRequest');

const labelsSchema = z.record(z.string(), z.string());
const valueSchema = z.union([
  z.tuple([z.union([z.string(), z.number()]), z.string()]),
  z.tuple([z.union([z.string(), z.number()]), z.string(), labelsSchema]),
]);
const pushSchema = z.strictObject({
  streams: z.array(z.object({ stream: labelsSchema, values: z.array(valueSchema) })),
});

/** Where a stream's records go: `host:app` from the usual labels of Promtail, Alloy, Vector and LogWatch's agent. */
export function lokiSource(labels: Record<string, string>): string {
  const host = labels.host ?? labels.hostname ?? labels.node_name ?? labels.instance;
  const app = labels.filename ?? labels.service_name ?? labels.job ?? labels.app ?? labels.container ?? labels.unit;
  return sourceName(host, app, 'loki', 'default');
}

function record(labels: Record<string, string>, source: string, ns: string | number, line: string, structured: Record<string, string> | undefined): ReceivedRecord {
  const metadata: Record<string, unknown> = { ...labels };
  if (structured !== undefined) for (const key of Object.keys(structured)) setField(metadata, key, structured[key]);
  const out: ReceivedRecord = { source, line, metadata };
  const time = nanosToMs(ns);
  if (time === time) out.time = time;
  const level = metadata.level ?? metadata.detected_level ?? metadata.severity;
  if (typeof level === 'string') {
    const mapped = levelOfWord(level);
    if (mapped !== undefined) out.level = mapped;
  }
  return out;
}

/** A JSON push body (already parsed). */
export function decodeLokiJson(body: unknown): ReceivedRecord[] {
  const parsed = pushSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length === 0 ? 'body' : issue.path.join('.');
    throw new DecodeError(`${where}: ${issue.message} (expected {"streams":[{"stream":{...},"values":[["<unix ns>","<line>"]]}]})`);
  }
  const out: ReceivedRecord[] = [];
  parsed.data.streams.forEach((stream, s) => {
    const source = lokiSource(stream.stream);
    stream.values.forEach((value, v) => {
      if (nanosToMs(value[0]) !== nanosToMs(value[0])) throw new DecodeError(`streams.${s}.values.${v}.0: "${String(value[0]).slice(0, 40)}" is not a Unix time in nanoseconds`);
      out.push(record(stream.stream, source, value[0], value[1], value[2]));
    });
  });
  return out;
}

/** A protobuf push body, snappy block compressed; `maxBytes` bounds the decompressed size. */
export function decodeLokiProtobuf(body: Uint8Array, maxBytes: number): ReceivedRecord[] {
  let raw: Uint8Array;
  try {
    raw = snappy.uncompress(body, maxBytes);
  } catch (err) {
    const message = (err as Error).message;
    if (/too big/.test(message)) throw new DecodeError(`the body decompresses to more than ${maxBytes} bytes; send smaller batches`, 'too_large');
    throw new DecodeError(`the body is not snappy block compressed protobuf (${message})`);
  }
  let request: { streams?: Array<{ labels?: string; entries?: Array<{ timestamp?: { seconds?: string; nanos?: number }; line?: string; structuredMetadata?: Array<{ name?: string; value?: string }> }> }> };
  try {
    request = PushRequest.toObject(PushRequest.decode(raw), { longs: String, defaults: false }) as typeof request;
  } catch (err) {
    throw new DecodeError(`the body is not a logproto.PushRequest (${(err as Error).message})`);
  }
  const out: ReceivedRecord[] = [];
  (request.streams ?? []).forEach((stream, s) => {
    const labels = parseLabels(stream.labels ?? '', `streams.${s}.labels`);
    const source = lokiSource(labels);
    for (const entry of stream.entries ?? []) {
      const seconds = Number(entry.timestamp?.seconds ?? 0);
      const ms = seconds * 1000 + Math.floor((entry.timestamp?.nanos ?? 0) / 1e6);
      let structured: Record<string, string> | undefined;
      if (entry.structuredMetadata !== undefined && entry.structuredMetadata.length > 0) {
        structured = {};
        for (const pair of entry.structuredMetadata) setField(structured, pair.name ?? '', pair.value ?? '');
      }
      out.push(record(labels, source, ms * 1e6, entry.line ?? '', structured));
    }
  });
  return out;
}

/** A Prometheus label set as Loki's protobuf carries it: `{job="x", filename="/var/log/a \"b\".log"}`. */
export function parseLabels(text: string, where = 'labels'): Record<string, string> {
  const labels: Record<string, string> = {};
  const s = text.trim();
  const set = (name: string, value: string) => setField(labels, name, value);
  if (s === '' || s === '{}') return labels;
  const fail = (why: string): never => {
    throw new DecodeError(`${where}: ${why} in ${JSON.stringify(s.slice(0, 200))} (expected {name="value", ...})`);
  };
  if (s[0] !== '{' || s[s.length - 1] !== '}') fail('not enclosed in braces');
  let i = 1;
  const end = s.length - 1;
  while (i < end) {
    while (s[i] === ' ' || s[i] === ',') i++;
    if (i >= end) break;
    const nameStart = i;
    while (i < end && /[A-Za-z0-9_.]/.test(s[i]!)) i++;
    const name = s.slice(nameStart, i);
    if (name === '') fail(`a label name expected at ${i}`);
    while (s[i] === ' ') i++;
    if (s[i] !== '=') fail(`"=" expected after ${name}`);
    i++;
    while (s[i] === ' ') i++;
    if (s[i] !== '"') fail(`a quoted value expected for ${name}`);
    i++;
    let value = '';
    for (; i < end && s[i] !== '"'; i++) {
      if (s[i] === '\\' && i + 1 < end) {
        i++;
        value += s[i] === 'n' ? '\n' : s[i] === 't' ? '\t' : s[i];
      } else value += s[i];
    }
    if (s[i] !== '"') fail(`unterminated value of ${name}`);
    i++;
    set(name, value);
  }
  return labels;
}
