import { z } from 'zod';

export const streamSchema = z.strictObject({
  /** Events a slow SSE client may have waiting before it is sent `event: dropped`. */
  clientQueueLimit: z.number().int().min(10).max(1_000_000).default(5000),
  /** A client that keeps its queue full this long is disconnected. */
  stalledClientTimeoutMs: z.number().int().min(1000).default(60_000),
  heartbeatMs: z.number().int().min(100).max(15_000).default(15_000),
  statsIntervalMs: z.number().int().min(100).max(600_000).default(5000),
  maxClients: z.number().int().min(1).default(2000),
});
export type StreamConfig = z.infer<typeof streamSchema>;
