import { z } from 'zod';
import { DEFAULT_RULES, rulesSchema } from '../alerts/config.ts';
import { analyzeSchema } from '../analyze/config.ts';
import { notifiersSchema, unknownNotifyTargets } from '../notify/config.ts';
import { formatsSchema, parseSchema } from '../parse/config.ts';
import { forwardSchema } from '../forward/config.ts';
import { BUILTIN_FORMATS } from '../parse/index.ts';
import { filesSchema, ingestSchema, watchEntrySchema } from '../sources/config.ts';
import { receiversSchema, syslogSchema } from '../sources/receivers/config.ts';
import { authSchema } from '../web/auth/config.ts';
import { historySchema } from '../store/history/config.ts';
import { streamSchema } from '../web/config.ts';

/** The whole configuration. Each stage owns the schema of its own section. */
export const configSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(3000),
  stateDir: z.string().min(1).default('./.logwatch'),
  /** A token with every role: once set, reading, changing and ingesting all need it (README "Security"). */
  token: z.string().min(1).optional(),
  /** Users and tokens by role (read, admin, ingest). */
  auth: authSchema.optional(),
  /** Serve HTTPS with this certificate and key (PEM file paths), for setups without a TLS reverse proxy. */
  tls: z.strictObject({ cert: z.string().min(1), key: z.string().min(1) }).optional(),
  watch: z.array(watchEntrySchema).default(['./logs/*.log']),
  files: filesSchema.prefault({}),
  ingest: ingestSchema.prefault({}),
  buffer: z.strictObject({ capacity: z.number().int().min(10).max(10_000_000).default(10_000) }).prefault({}),
  parse: parseSchema.prefault({}),
  formats: formatsSchema.default({}),
  rules: rulesSchema.default(DEFAULT_RULES),
  notifiers: notifiersSchema.prefault({ console: { type: 'console' } }),
  stream: streamSchema.prefault({}),
  analyze: analyzeSchema.prefault({}),
  /** Syslog listeners; off unless a port is given. */
  syslog: syslogSchema.optional(),
  /** The HTTP receivers (Loki push, OTLP logs) and their limits. */
  receivers: receiversSchema.prefault({}),
  /** Forwarding sinks (Loki push). */
  forward: forwardSchema.prefault({}),
  history: historySchema.prefault({}),
}).superRefine((config, ctx) => {
  const known = new Set([...BUILTIN_FORMATS, ...Object.keys(config.formats)]);
  const checkFormat = (format: string | undefined, path: PropertyKey[]) => {
    if (format !== undefined && !known.has(format)) {
      ctx.addIssue({ code: 'custom', path, message: `unknown format "${format}"; use one of ${[...known].join(', ')}` });
    }
  };
  config.watch.forEach((entry, i) => {
    if (typeof entry !== 'string') checkFormat(entry.format, ['watch', i, 'format']);
  });
  for (const [name, source] of Object.entries(config.ingest.sources)) checkFormat(source.format, ['ingest', 'sources', name, 'format']);
  for (const [i, j, name] of unknownNotifyTargets(config.rules, config.notifiers)) {
    ctx.addIssue({
      code: 'custom',
      path: ['rules', i, 'notify', j],
      message: `rule "${config.rules[i].name}" notifies "${name}", but no notifier has that name (defined: ${Object.keys(config.notifiers).join(', ') || 'none'})`,
    });
  }
});

export type Config = z.infer<typeof configSchema>;
/** What a config file may contain (every field optional where it has a default). */
export type ConfigInput = z.input<typeof configSchema>;
