import { z } from 'zod';

export const streamSchema = z.strictObject({
  /** Bytes a slow SSE client may have waiting before events are dropped for it (it is then sent `event: dropped`). */
  clientQueueBytes: z.number().int().min(16 * 1024).max(256 * 1024 * 1024).default(1024 * 1024),
  /** A client that keeps its queue full this long is disconnected. */
  stalledClientTimeoutMs: z.number().int().min(1000).default(60_000),
  heartbeatMs: z.number().int().min(100).max(15_000).default(15_000),
  statsIntervalMs: z.number().int().min(100).max(600_000).default(5000),
  maxClients: z.number().int().min(1).default(2000),
});
export type StreamConfig = z.infer<typeof streamSchema>;
