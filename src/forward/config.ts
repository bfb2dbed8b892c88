// Config of the forwarding sinks: `forward: { loki: { url, labels, tenant } }`.
import { z } from 'zod';

const httpUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}, 'expected an http:// or https:// URL');

/** Retry and backlog settings shared by the Loki sink and the agent. */
export const deliverySchema = {
  /** Per request. */
  timeoutMs: z.number().int().min(100).max(600_000).default(10_000),
  backoffMs: z.number().int().min(10).max(600_000).default(500),
  maxBackoffMs: z.number().int().min(10).max(3_600_000).default(30_000),
  /** A batch is sent when it holds this many bytes of lines, or `batchWaitMs` after its first line. */
  batchBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(512 * 1024),
  batchWaitMs: z.number().int().min(0).max(60_000).default(1000),
  /** Batches waiting at most (bytes); beyond, the sink drops and counts, the agent stops reading until it drains. */
  maxBacklogBytes: z.number().int().min(64 * 1024).max(16 * 1024 * 1024 * 1024).default(64 * 1024 * 1024),
};

export const lokiSinkSchema = z.strictObject({
  /** Loki's base URL (`http://loki:3100`) or its push URL; VictoriaLogs: `http://vl:9428/insert/loki/api/v1/push`. */
  url: httpUrl,
  /** Static labels of every stream; `source` and `level` are added per entry. Keep them few: every value is a stream. */
  labels: z.record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'a Loki label name: letters, digits, _'), z.string()).default({ job: 'logwatch' }),
  /** Multi-tenant Loki: sent as X-Scope-OrgID. */
  tenant: z.string().min(1).optional(),
  /** Extra request headers (Authorization for a Loki behind a proxy). */
  headers: z.record(z.string(), z.string()).default({}),
  ...deliverySchema,
});
export type LokiSinkConfig = z.infer<typeof lokiSinkSchema>;

export const forwardSchema = z.strictObject({
  loki: lokiSinkSchema.optional(),
});
export type ForwardConfig = z.infer<typeof forwardSchema>;

/** `logwatch agent`: tails files and ships them to a central LogWatch (or any Loki push endpoint). */
export const agentSchema = z.strictObject({
  /** The central LogWatch (`http://central:3000`) or a Loki push URL. */
  url: httpUrl,
  /** Sent as `Authorization: Bearer <token>`. */
  token: z.string().min(1).optional(),
  /** Labels of every stream; `filename` is added per file. The central names the source `<host>:<filename>`. */
  labels: z.record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'a Loki label name: letters, digits, _'), z.string()),
  /** At stop, how long the agent keeps trying to send what it read before it exits (the rest is sent at its next start). */
  stopTimeoutMs: z.number().int().min(0).max(600_000).default(5000),
  ...deliverySchema,
});
export type AgentConfig = z.infer<typeof agentSchema>;
