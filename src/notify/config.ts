import { z } from 'zod';

const consoleSchema = z.strictObject({ type: z.literal('console') });

const webhookSchema = z.strictObject({
  type: z.literal('webhook'),
  url: z.url(),
  headers: z.record(z.string(), z.string()).default({}),
  timeoutMs: z.number().int().min(100).max(120_000).default(5000),
});

export const notifierSchema = z.discriminatedUnion('type', [consoleSchema, webhookSchema]);
export type NotifierConfig = z.infer<typeof notifierSchema>;

export const notifiersSchema = z.record(z.string().min(1), notifierSchema);
