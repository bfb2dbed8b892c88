import { z } from 'zod';

/** How a notifier delivers, resolved: every field of the config's delivery part, defaults applied. */
export interface DeliverySettings {
  groupWait: number;
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  maxBackoffMs: number;
  queueSize: number;
  sendResolved: boolean;
}

/**
 * Delivery fields shared by every channel. They stay optional in the parsed config (a notifier written
 * in code as `{ type: 'console' }` is complete) and get their per-channel defaults from `deliverySettings`.
 * `groupWait` is in seconds like rule durations; the other times are in milliseconds.
 */
const deliveryFields = {
  /** An alert that finds the notifier idle goes out at once; alerts arriving within the next `groupWait`
   * seconds are held and go out together in one message. 0 sends each batch of alerts at once. */
  groupWait: z.number().min(0).max(3600).optional(),
  /** Each attempt is abandoned after this long. */
  timeoutMs: z.number().int().min(100).max(120_000).optional(),
  /** Attempts after the first; a failure that retrying cannot fix (HTTP 4xx other than 408/429) is not retried. */
  retries: z.number().int().min(0).max(20).optional(),
  /** First retry delay; doubles each attempt up to maxBackoffMs, with jitter (half to all of it). */
  backoffMs: z.number().int().min(1).max(600_000).optional(),
  maxBackoffMs: z.number().int().min(1).max(3_600_000).optional(),
  /** Alerts waiting while the channel is slow or down; past it the oldest are dropped, logged and counted. */
  queueSize: z.number().int().min(1).max(100_000).optional(),
  /** Also send the "resolved" alert when a firing alert's condition has cleared. */
  sendResolved: z.boolean().optional(),
};

const DELIVERY_DEFAULTS: DeliverySettings = {
  groupWait: 10,
  timeoutMs: 5000,
  retries: 5,
  backoffMs: 1000,
  maxBackoffMs: 60_000,
  queueSize: 1000,
  sendResolved: true,
};

/** Per-channel differences: the console has nothing to group, and SMTP servers answer slowly. */
const CHANNEL_DEFAULTS: Record<string, Partial<DeliverySettings>> = {
  console: { groupWait: 0 },
  email: { timeoutMs: 15_000 },
};

export function deliverySettings(config: { type: string } & Partial<DeliverySettings>): DeliverySettings {
  const defaults = { ...DELIVERY_DEFAULTS, ...CHANNEL_DEFAULTS[config.type] };
  const given = config as Partial<DeliverySettings>;
  const pick = <K extends keyof DeliverySettings>(key: K): DeliverySettings[K] => (given[key] ?? defaults[key]) as DeliverySettings[K];
  return {
    groupWait: pick('groupWait'),
    timeoutMs: pick('timeoutMs'),
    retries: pick('retries'),
    backoffMs: pick('backoffMs'),
    maxBackoffMs: Math.max(pick('maxBackoffMs'), pick('backoffMs')),
    queueSize: pick('queueSize'),
    sendResolved: pick('sendResolved'),
  };
}

const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' });

export const consoleNotifierSchema = z.strictObject({
  type: z.literal('console'),
  ...deliveryFields,
});

export const webhookNotifierSchema = z.strictObject({
  type: z.literal('webhook'),
  url: httpUrl,
  headers: z.record(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, { message: 'not a valid HTTP header name' }), z.string()).default({}),
  ...deliveryFields,
});

export const slackNotifierSchema = z.strictObject({
  type: z.literal('slack'),
  /** The incoming-webhook URL Slack gives you (https://hooks.slack.com/services/...). */
  url: httpUrl,
  channel: z.string().min(1).optional(),
  username: z.string().min(1).optional(),
  iconEmoji: z.string().regex(/^:[\w+-]+:$/, { message: 'expected an emoji code such as :rotating_light:' }).optional(),
  ...deliveryFields,
});

const emailAddress = z.string().min(3).max(320).regex(/^[^\s<>@,;]+@[^\s<>@,;]+$|^[^<>\r\n]*<[^\s<>@,;]+@[^\s<>@,;]+>$/, {
  message: 'expected an address such as ops@example.com or "LogWatch <logwatch@example.com>"',
});

export const emailNotifierSchema = z.strictObject({
  type: z.literal('email'),
  host: z.string().min(1),
  /** Default 465 when `secure`, else 587. */
  port: z.number().int().min(1).max(65535).optional(),
  /** TLS from the first byte (SMTPS, usually port 465). Otherwise STARTTLS is used when the server offers it. */
  secure: z.boolean().default(false),
  /** Refuse to send unless STARTTLS succeeds. */
  requireTLS: z.boolean().default(false),
  auth: z.strictObject({ user: z.string().min(1), pass: z.string() }).optional(),
  tls: z.strictObject({
    /** Set false only for a server with a self-signed certificate you trust. */
    rejectUnauthorized: z.boolean().default(true),
    servername: z.string().min(1).optional(),
    minVersion: z.enum(['TLSv1.2', 'TLSv1.3']).optional(),
  }).prefault({}),
  from: emailAddress,
  to: z.union([emailAddress, z.array(emailAddress).min(1)]),
  subjectPrefix: z.string().max(100).default('[LogWatch]'),
  ...deliveryFields,
});

export const notifierSchema = z.discriminatedUnion('type', [
  consoleNotifierSchema,
  webhookNotifierSchema,
  slackNotifierSchema,
  emailNotifierSchema,
]);
export type NotifierConfig = z.infer<typeof notifierSchema>;
export type NotifierInput = z.input<typeof notifierSchema>;
export type ConsoleNotifierConfig = z.infer<typeof consoleNotifierSchema>;
export type WebhookNotifierConfig = z.infer<typeof webhookNotifierSchema>;
export type SlackNotifierConfig = z.infer<typeof slackNotifierSchema>;
export type EmailNotifierConfig = z.infer<typeof emailNotifierSchema>;

export const notifiersSchema = z.record(z.string().min(1), notifierSchema);

/**
 * Rule `notify` names that no notifier has, as `[ruleIndex, notifyIndex, name]`: for a cross-section check
 * in the config schema, so a typo fails at startup rather than silently notifying no one.
 */
export function unknownNotifyTargets(
  rules: ReadonlyArray<{ notify?: readonly string[] }>,
  notifiers: Readonly<Record<string, unknown>>,
): Array<[number, number, string]> {
  const missing: Array<[number, number, string]> = [];
  rules.forEach((rule, i) => {
    rule.notify?.forEach((name, j) => {
      if (!Object.hasOwn(notifiers, name)) missing.push([i, j, name]);
    });
  });
  return missing;
}
