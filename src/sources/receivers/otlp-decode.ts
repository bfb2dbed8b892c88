// OTLP/HTTP logs (`POST /v1/logs`), protobuf or JSON, into records. Pure.
// The messages are written here from opentelemetry-proto (collector/logs/v1, logs/v1, common/v1,
// resource/v1), so nothing is fetched or generated at run time. Both encodings are turned into the
// JSON shape (camelCase fields, 64-bit integers as strings), validated once, then mapped:
// severityNumber (else severityText) to the level, body to the line (structured bodies as JSON),
// attributes over resource attributes to metadata, timeUnixNano (else observedTimeUnixNano) to the time.
import { Buffer } from 'node:buffer';
import protobuf from 'protobufjs/light.js';
import { z } from 'zod';
import { sourceName } from './intake.ts';
import { levelOfSeverityNumber, levelOfWord, nanosToMs } from './levels.ts';
import { DecodeError, setField } from './decode.ts';
import type { ReceivedRecord } from './types.ts';

const keyValues = { rule: 'repeated', type: 'KeyValue' } as const;
const root = protobuf.Root.fromJSON({
  nested: {
    otlp: {
      nested: {
        ExportLogsServiceRequest: { fields: { resourceLogs: { rule: 'repeated', type: 'ResourceLogs', id: 1 } } },
        ExportLogsServiceResponse: { fields: { partialSuccess: { type: 'ExportLogsPartialSuccess', id: 1 } } },
        ExportLogsPartialSuccess: { fields: { rejectedLogRecords: { type: 'int64', id: 1 }, errorMessage: { type: 'string', id: 2 } } },
        ResourceLogs: { fields: { resource: { type: 'Resource', id: 1 }, scopeLogs: { rule: 'repeated', type: 'ScopeLogs', id: 2 }, schemaUrl: { type: 'string', id: 3 } } },
        Resource: { fields: { attributes: { ...keyValues, id: 1 }, droppedAttributesCount: { type: 'uint32', id: 2 } } },
        ScopeLogs: { fields: { scope: { type: 'InstrumentationScope', id: 1 }, logRecords: { rule: 'repeated', type: 'LogRecord', id: 2 }, schemaUrl: { type: 'string', id: 3 } } },
        InstrumentationScope: { fields: { name: { type: 'string', id: 1 }, version: { type: 'string', id: 2 }, attributes: { ...keyValues, id: 3 }, droppedAttributesCount: { type: 'uint32', id: 4 } } },
        LogRecord: {
          fields: {
            timeUnixNano: { type: 'fixed64', id: 1 },
            observedTimeUnixNano: { type: 'fixed64', id: 11 },
            severityNumber: { type: 'int32', id: 2 },
            severityText: { type: 'string', id: 3 },
            body: { type: 'AnyValue', id: 5 },
            attributes: { ...keyValues, id: 6 },
            droppedAttributesCount: { type: 'uint32', id: 7 },
            flags: { type: 'fixed32', id: 8 },
            traceId: { type: 'bytes', id: 9 },
            spanId: { type: 'bytes', id: 10 },
            eventName: { type: 'string', id: 12 },
          },
        },
        AnyValue: {
          oneofs: { value: { oneof: ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'] } },
          fields: {
            stringValue: { type: 'string', id: 1 },
            boolValue: { type: 'bool', id: 2 },
            intValue: { type: 'int64', id: 3 },
            doubleValue: { type: 'double', id: 4 },
            arrayValue: { type: 'ArrayValue', id: 5 },
            kvlistValue: { type: 'KeyValueList', id: 6 },
            bytesValue: { type: 'bytes', id: 7 },
          },
        },
        ArrayValue: { fields: { values: { rule: 'repeated', type: 'AnyValue', id: 1 } } },
        KeyValueList: { fields: { values: { ...keyValues, id: 1 } } },
        // google.rpc.Status: the body of an OTLP error response.
        Status: { fields: { code: { type: 'int32', id: 1 }, message: { type: 'string', id: 2 } } },
        KeyValue: { fields: { key: { type: 'string', id: 1 }, value: { type: 'AnyValue', id: 2 } } },
      },
    },
  },
});
export const ExportLogsServiceRequest = root.lookupType('otlp.ExportLogsServiceRequest');
export const ExportLogsServiceResponse = root.lookupType('otlp.ExportLogsServiceResponse');
const Status = root.lookupType('otlp.Status');

/** An OTLP error body (google.rpc.Status); the JSON form also has LogWatch's usual `error` field. */
export function otlpStatus(code: number, message: string, encoding: 'json' | 'protobuf'): Uint8Array | string {
  if (encoding === 'json') return JSON.stringify({ error: message, code, message });
  return Status.encode(Status.fromObject({ code, message })).finish();
}

// Unknown fields are ignored, as OTLP asks of receivers; AnyValue is checked where it is converted.
const nanos = z.union([z.string(), z.number()]).optional();
const keyValueList = z.array(z.object({ key: z.string(), value: z.unknown().optional() })).optional();
const logRecord = z.object({
  timeUnixNano: nanos,
  observedTimeUnixNano: nanos,
  severityNumber: z.union([z.number().int(), z.string()]).optional(),
  severityText: z.string().optional(),
  body: z.unknown().optional(),
  attributes: keyValueList,
  traceId: z.string().optional(),
  spanId: z.string().optional(),
  eventName: z.string().optional(),
});
const requestSchema = z.object({
  resourceLogs: z
    .array(
      z.object({
        resource: z.object({ attributes: keyValueList }).optional(),
        scopeLogs: z.array(z.object({ scope: z.object({ name: z.string().optional(), version: z.string().optional() }).optional(), logRecords: z.array(logRecord).optional() })).optional(),
      }),
    )
    .optional(),
});
type Request = z.infer<typeof requestSchema>;

/** SeverityNumber names, for senders whose JSON writes the enum by name. */
const SEVERITY_NAMES = ['UNSPECIFIED', 'TRACE', 'TRACE2', 'TRACE3', 'TRACE4', 'DEBUG', 'DEBUG2', 'DEBUG3', 'DEBUG4', 'INFO', 'INFO2', 'INFO3', 'INFO4', 'WARN', 'WARN2', 'WARN3', 'WARN4', 'ERROR', 'ERROR2', 'ERROR3', 'ERROR4', 'FATAL', 'FATAL2', 'FATAL3', 'FATAL4'];

export interface OtlpResult {
  records: ReceivedRecord[];
  /** Records refused (partial success), with why. */
  rejected: number;
  rejectedReason: string;
}

export interface OtlpOptions {
  /** Records whose line is longer are rejected (reported as partial success). */
  maxRecordBytes: number;
}

export function decodeOtlpJson(body: unknown, options: OtlpOptions): OtlpResult {
  const parsed = requestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DecodeError(`${issue.path.length === 0 ? 'body' : issue.path.join('.')}: ${issue.message} (expected an OTLP ExportLogsServiceRequest: {"resourceLogs":[{"scopeLogs":[{"logRecords":[...]}]}]})`);
  }
  return mapRequest(parsed.data, options, (id) => id);
}

export function decodeOtlpProtobuf(body: Uint8Array, options: OtlpOptions): OtlpResult {
  let object: unknown;
  try {
    object = ExportLogsServiceRequest.toObject(ExportLogsServiceRequest.decode(body), { longs: String, enums: Number, bytes: String, defaults: false, oneofs: false });
  } catch (err) {
    throw new DecodeError(`the body is not an OTLP ExportLogsServiceRequest in protobuf (${(err as Error).message})`);
  }
  // Protobuf ids are bytes (here base64); the JSON encoding and LogWatch's metadata write them as hex.
  return mapRequest(object as Request, options, (id) => Buffer.from(id, 'base64').toString('hex'));
}

/** The response body for a request that had `rejected` records refused (empty when none was). */
export function otlpResponse(result: Pick<OtlpResult, 'rejected' | 'rejectedReason'>, encoding: 'json' | 'protobuf'): Uint8Array | string {
  const partial = result.rejected > 0 ? { partialSuccess: { rejectedLogRecords: String(result.rejected), errorMessage: result.rejectedReason } } : {};
  if (encoding === 'json') return JSON.stringify(partial);
  return ExportLogsServiceResponse.encode(ExportLogsServiceResponse.fromObject(partial)).finish();
}

function mapRequest(request: Request, options: OtlpOptions, hexId: (id: string) => string): OtlpResult {
  const result: OtlpResult = { records: [], rejected: 0, rejectedReason: '' };
  (request.resourceLogs ?? []).forEach((resourceLogs, r) => {
    const resource = attributes(resourceLogs.resource?.attributes, `resourceLogs.${r}.resource.attributes`);
    const host = resource['host.name'];
    const service = resource['service.name'];
    (resourceLogs.scopeLogs ?? []).forEach((scopeLogs, s) => {
      const scope = scopeLogs.scope?.name;
      const source = sourceName(typeof host === 'string' ? host : undefined, typeof service === 'string' ? service : scope, 'otlp', 'unknown_service');
      (scopeLogs.logRecords ?? []).forEach((log, l) => {
        const where = `resourceLogs.${r}.scopeLogs.${s}.logRecords.${l}`;
        const metadata: Record<string, unknown> = { ...resource };
        if (scope !== undefined && scope !== '') metadata['otel.scope.name'] = scope;
        const own = attributes(log.attributes, `${where}.attributes`);
        for (const key of Object.keys(own)) setField(metadata, key, own[key]);
        if (log.traceId !== undefined && log.traceId !== '') metadata.trace_id = hexId(log.traceId);
        if (log.spanId !== undefined && log.spanId !== '') metadata.span_id = hexId(log.spanId);
        if (log.eventName !== undefined && log.eventName !== '') metadata.event_name = log.eventName;
        if (log.severityText !== undefined && log.severityText !== '') metadata.severity_text = log.severityText;
        const body = log.body === undefined ? null : anyValue(log.body, `${where}.body`);
        const line = body === null ? '' : typeof body === 'string' ? body : JSON.stringify(body);
        if (line.length > options.maxRecordBytes && Buffer.byteLength(line) > options.maxRecordBytes) {
          result.rejected++;
          result.rejectedReason = `log records with a body over ${options.maxRecordBytes} bytes were rejected (${where})`;
          return;
        }
        const record: ReceivedRecord = { source, line, metadata };
        const time = nanosToMs(log.timeUnixNano);
        const observed = nanosToMs(log.observedTimeUnixNano);
        if (time > 0) record.time = time;
        else if (observed > 0) record.time = observed;
        const level = severity(log.severityNumber) ?? (log.severityText === undefined ? undefined : levelOfWord(log.severityText));
        if (level !== undefined) record.level = level;
        result.records.push(record);
      });
    });
  });
  return result;
}

function severity(value: number | string | undefined): ReturnType<typeof levelOfSeverityNumber> {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return levelOfSeverityNumber(value);
  const name = value.replace(/^SEVERITY_NUMBER_/, '');
  const index = SEVERITY_NAMES.indexOf(name);
  return index >= 0 ? levelOfSeverityNumber(index) : levelOfSeverityNumber(Number(value));
}

function attributes(list: Array<{ key: string; value?: unknown }> | undefined, where: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (list === undefined) return out;
  list.forEach((kv, i) => setField(out, kv.key, kv.value === undefined ? null : anyValue(kv.value, `${where}.${i}.value`)));
  return out;
}

const MAX_DEPTH = 32;

/** An OTLP AnyValue as plain JSON; ints beyond 2^53 stay decimal strings, bytes stay base64. */
function anyValue(value: unknown, where: string, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new DecodeError(`${where}: values nested deeper than ${MAX_DEPTH}`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DecodeError(`${where}: expected an AnyValue object such as {"stringValue":"..."}`);
  const v = value as Record<string, unknown>;
  if (v.stringValue !== undefined) return typed(v.stringValue, 'string', where);
  if (v.boolValue !== undefined) return typed(v.boolValue, 'boolean', where);
  if (v.intValue !== undefined) {
    const n = typeof v.intValue === 'number' ? v.intValue : Number(typed(v.intValue, 'string', where));
    if (!Number.isInteger(n)) throw new DecodeError(`${where}.intValue: not an integer`);
    return Number.isSafeInteger(n) ? n : String(v.intValue);
  }
  if (v.doubleValue !== undefined) {
    const n = typeof v.doubleValue === 'number' ? v.doubleValue : Number(typed(v.doubleValue, 'string', where));
    return Number.isFinite(n) ? n : String(v.doubleValue);
  }
  if (v.bytesValue !== undefined) return typed(v.bytesValue, 'string', where);
  if (v.arrayValue !== undefined) {
    const values = (v.arrayValue as { values?: unknown } | null)?.values ?? [];
    if (!Array.isArray(values)) throw new DecodeError(`${where}.arrayValue.values: expected an array`);
    return values.map((item, i) => anyValue(item, `${where}.arrayValue.values.${i}`, depth + 1));
  }
  if (v.kvlistValue !== undefined) {
    const values = (v.kvlistValue as { values?: unknown } | null)?.values ?? [];
    if (!Array.isArray(values)) throw new DecodeError(`${where}.kvlistValue.values: expected an array`);
    const out: Record<string, unknown> = {};
    values.forEach((kv: unknown, i) => {
      const pair = kv as { key?: unknown; value?: unknown } | null;
      if (typeof pair?.key !== 'string') throw new DecodeError(`${where}.kvlistValue.values.${i}.key: expected a string`);
      setField(out, pair.key, pair.value === undefined ? null : anyValue(pair.value, `${where}.kvlistValue.values.${i}.value`, depth + 1));
    });
    return out;
  }
  return null;
}

function typed(value: unknown, type: 'string' | 'boolean', where: string): string | boolean {
  if (typeof value !== type) throw new DecodeError(`${where}: expected a ${type}, got ${typeof value}`);
  return value as string | boolean;
}
