import { z } from 'zod';
import { DEFAULT_RULES, rulesSchema } from '../alerts/config.ts';
import { notifiersSchema } from '../notify/config.ts';
import { formatsSchema, parseSchema } from '../parse/config.ts';
import { filesSchema, ingestSchema, watchEntrySchema } from '../sources/config.ts';
import { streamSchema } from '../web/config.ts';

/** The whole configuration. Each stage owns the schema of its own section. */
export const configSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(3000),
  stateDir: z.string().min(1).default('./.logwatch'),
  /** When set, ingestion requires `Authorization: Bearer <token>`. */
  token: z.string().min(1).optional(),
  watch: z.array(watchEntrySchema).default(['./logs/*.log']),
  files: filesSchema.prefault({}),
  ingest: ingestSchema.prefault({}),
  buffer: z.strictObject({ capacity: z.number().int().min(10).max(10_000_000).default(10_000) }).prefault({}),
  parse: parseSchema.prefault({}),
  formats: formatsSchema.default({}),
  rules: rulesSchema.default(DEFAULT_RULES),
  notifiers: notifiersSchema.default({ console: { type: 'console' } }),
  stream: streamSchema.prefault({}),
});

export type Config = z.infer<typeof configSchema>;
/** What a config file may contain (every field optional where it has a default). */
export type ConfigInput = z.input<typeof configSchema>;
