import { z } from 'zod';

/** A watched glob: a plain string, or an object that also fixes the parser options of its files. */
export const watchEntrySchema = z.union([
  z.string().min(1),
  z.strictObject({
    path: z.string().min(1).describe('glob of files to tail'),
    format: z.string().min(1).optional().describe('parser to use instead of auto-detection'),
    timezone: z.string().min(1).optional().describe('IANA zone for times written without one'),
  }),
]);
export type WatchEntry = z.infer<typeof watchEntrySchema>;

export const filesSchema = z.strictObject({
  /** Periodic stat scan that catches what fs.watch misses. */
  scanIntervalMs: z.number().int().min(50).max(60_000).default(1000),
  checkpointIntervalMs: z.number().int().min(50).max(60_000).default(1000),
  /** Longer lines are cut at this many bytes, marked and counted. */
  maxLineBytes: z.number().int().min(256).max(16 * 1024 * 1024).default(64 * 1024),
  /** A partial last line is emitted after this long only if its writer never finishes it. */
  partialLineTimeoutMs: z.number().int().min(10).max(600_000).default(5000),
  /** Last lines of each file loaded as history when LogWatch first sees it at startup. */
  backfillLines: z.number().int().min(0).max(1_000_000).default(1000),
  /** How long a file renamed away (rotated) is still followed for late writes. */
  followRotatedMs: z.number().int().min(0).max(3_600_000).default(30_000),
  readChunkBytes: z.number().int().min(4096).max(16 * 1024 * 1024).default(64 * 1024),
});
export type FilesConfig = z.infer<typeof filesSchema>;

export const ingestSourceSchema = z.strictObject({
  format: z.string().min(1).optional(),
  timezone: z.string().min(1).optional(),
});

export const ingestSchema = z.strictObject({
  maxBodyBytes: z.number().int().min(1024).max(1024 * 1024 * 1024).default(1024 * 1024),
  /** Spool files beyond this size are dropped oldest first (the lines are already in the pipeline). */
  spoolMaxBytes: z.number().int().min(1024 * 1024).default(256 * 1024 * 1024),
  /** Parser options per ingest source name. */
  sources: z.record(z.string().min(1), ingestSourceSchema).default({}),
});
export type IngestConfig = z.infer<typeof ingestSchema>;
