import { z } from 'zod';
import { timezoneSchema } from '../parse/config.ts';

/** A watched glob: a plain string, or an object that also fixes the parser options of its files. */
export const watchEntrySchema = z.union([
  z.string().min(1),
  z.strictObject({
    path: z.string().min(1).describe('glob of files to tail'),
    format: z.string().min(1).optional().describe('parser to use instead of auto-detection'),
    timezone: timezoneSchema.optional().describe('IANA zone for times written without one'),
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
  /** History budget shared by all files at one start (the ring buffer holds no more anyway); newest files first. */
  backfillTotalLines: z.number().int().min(0).max(10_000_000).default(10_000),
  /**
   * File descriptors kept open at most. Past it, idle files are closed and reopened (and checked by
   * device + inode) when they grow; on EMFILE the budget shrinks by itself.
   */
  maxOpenFiles: z.number().int().min(8).max(1_000_000).default(2048),
  /** At stop, how long reading the rest of rotated and deleted files may take (they may be gone at the next start). */
  stopTimeoutMs: z.number().int().min(0).max(600_000).default(3000),
});
export type FilesConfig = z.infer<typeof filesSchema>;

export const ingestSourceSchema = z.strictObject({
  format: z.string().min(1).optional(),
  timezone: timezoneSchema.optional(),
});

export const ingestSchema = z.strictObject({
  maxBodyBytes: z.number().int().min(1024).max(1024 * 1024 * 1024).default(1024 * 1024),
  /**
   * Spool files beyond this size are deleted oldest first, never one holding lines not yet processed
   * (those were handed to the pipeline already; the spool is for crash recovery and history).
   */
  spoolMaxBytes: z.number().int().min(1024 * 1024).default(256 * 1024 * 1024),
  /** One spool file grows to this size before the next one starts; whole files are what the cap deletes. */
  spoolSegmentBytes: z.number().int().min(64 * 1024).max(1024 * 1024 * 1024).default(16 * 1024 * 1024),
  /**
   * fsync each group of writes before answering 202. Off: lines survive a crash or kill of LogWatch
   * (they are in the OS page cache) but not a power loss of the machine; on: they survive both, at a
   * cost of one fsync per group of concurrent requests.
   */
  fsync: z.boolean().default(false),
  /** How often the spool's processed-up-to mark is saved. */
  checkpointIntervalMs: z.number().int().min(50).max(60_000).default(1000),
  /** Last spooled lines loaded as history (backfill) at startup. */
  backfillLines: z.number().int().min(0).max(1_000_000).default(1000),
  /**
   * Per client (token name, or address without auth) limits on ingest routes: 429 with Retry-After past
   * them. Generous by default: they stop one runaway client, not normal shippers. `false` turns them off.
   */
  rateLimit: z
    .union([
      z.literal(false),
      z.strictObject({
        requestsPerSecond: z.number().positive().max(1e6).default(200),
        requestBurst: z.number().int().min(1).max(1e7).default(400),
        linesPerSecond: z.number().positive().max(1e8).default(100_000),
        lineBurst: z.number().int().min(1).max(1e9).default(500_000),
        maxClients: z.number().int().min(1).max(1_000_000).default(10_000),
      }),
    ])
    .prefault({}),
  /** Parser options per ingest source name. */
  sources: z.record(z.string().min(1), ingestSourceSchema).default({}),
});
export type IngestConfig = z.infer<typeof ingestSchema>;
