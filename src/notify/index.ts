// Public face of the notify stage: one dispatcher per configured notifier, fed by the pipeline.
import type { Logger } from '../logger.ts';
import type { Alert, Clock } from '../types.ts';
import type { Channel, FetchLike } from './channel.ts';
import { deliverySettings, notifierSchema, type NotifierConfig } from './config.ts';
import { createConsoleChannel } from './console.ts';
import { Dispatcher, type NotifierStatus } from './dispatcher.ts';
import { createEmailChannel } from './email.ts';
import { createSlackChannel } from './slack.ts';
import { createWebhookChannel } from './webhook.ts';

export type { NotifierStatus } from './dispatcher.ts';
export type { NotifierConfig, NotifierInput } from './config.ts';
export { notifierSchema, notifiersSchema, unknownNotifyTargets } from './config.ts';
export type { WebhookPayload } from './webhook.ts';

/** What changed on a reload. Changed and removed notifiers finish what they hold in the background. */
export interface NotifiersReloadSummary {
  kept: string[];
  changed: string[];
  added: string[];
  removed: string[];
}

export interface Notifiers {
  /** Queues an alert for the named notifiers (all when `names` is undefined); never blocks, never throws. */
  dispatch(alert: Alert, names?: readonly string[]): void;
  status(): NotifierStatus[];
  /** Replaces the notifiers (already validated); unchanged ones keep their queues and counters. */
  reload(configs: Record<string, NotifierConfig>): NotifiersReloadSummary;
  /** Sends what is queued (groups are not waited for) for at most `timeoutMs`, then stops. */
  close(timeoutMs?: number): Promise<void>;
}

export interface NotifiersOptions {
  /** HTTP client for webhook and Slack (default: the global fetch). */
  fetch?: FetchLike;
  /** Jitter source for retry delays (default Math.random). */
  random?: () => number;
  clock?: Clock;
  /** How long a replaced notifier may take to send what it still holds. Default 30 000. */
  retireTimeoutMs?: number;
}

interface Entry {
  fingerprint: string;
  dispatcher: Dispatcher;
}

class NotifierSet implements Notifiers {
  private entries = new Map<string, Entry>();
  private readonly warnedUnknown = new Set<string>();

  constructor(
    configs: Record<string, NotifierConfig>,
    private readonly logger: Logger,
    private readonly options: Required<NotifiersOptions>,
  ) {
    for (const [name, config] of Object.entries(configs)) this.add(name, config);
  }

  dispatch(alert: Alert, names?: readonly string[]): void {
    if (alert.silenced) return;
    try {
      if (names === undefined) {
        for (const entry of this.entries.values()) entry.dispatcher.enqueue(alert);
        return;
      }
      for (const name of names) {
        const entry = this.entries.get(name);
        if (entry !== undefined) entry.dispatcher.enqueue(alert);
        else if (!this.warnedUnknown.has(name)) {
          this.warnedUnknown.add(name);
          this.logger.warn(`rule "${alert.rule}" notifies "${name}", but no notifier has that name: add it under "notifiers" or fix the rule`);
        }
      }
    } catch (err) {
      // The pipeline must never see a notifier fail.
      this.logger.error(`dispatching alert ${alert.rule} #${alert.id} failed: ${(err as Error).message}`);
    }
  }

  status(): NotifierStatus[] {
    return [...this.entries.values()].map((entry) => entry.dispatcher.status());
  }

  reload(configs: Record<string, NotifierConfig>): NotifiersReloadSummary {
    const summary: NotifiersReloadSummary = { kept: [], changed: [], added: [], removed: [] };
    const previous = this.entries;
    this.entries = new Map();
    this.warnedUnknown.clear();
    for (const [name, config] of Object.entries(configs)) {
      const old = previous.get(name);
      const normalized = this.normalize(name, config);
      if (normalized === undefined) continue;
      if (old !== undefined && old.fingerprint === JSON.stringify(normalized)) {
        this.entries.set(name, old);
        summary.kept.push(name);
        continue;
      }
      if (old !== undefined) {
        this.retire(old);
        summary.changed.push(name);
      } else summary.added.push(name);
      this.add(name, normalized);
    }
    for (const [name, entry] of previous) {
      if (configs[name] === undefined) {
        this.retire(entry);
        summary.removed.push(name);
      }
    }
    return summary;
  }

  async close(timeoutMs = 5000): Promise<void> {
    const dispatchers = [...this.entries.values()].map((entry) => entry.dispatcher);
    await Promise.all(dispatchers.map((d) => d.drain(timeoutMs)));
    await Promise.all(dispatchers.map((d) => d.stop()));
  }

  private add(name: string, config: NotifierConfig): void {
    const normalized = this.normalize(name, config);
    if (normalized === undefined) return;
    const dispatcher = new Dispatcher(name, normalized.type, deliverySettings(normalized), this.channel(name, normalized), {
      logger: this.logger,
      random: this.options.random,
      now: this.options.clock,
    });
    this.entries.set(name, { fingerprint: JSON.stringify(normalized), dispatcher });
  }

  /** Applies the schema's defaults to a config built in code; the config loader has validated file configs. */
  private normalize(name: string, config: NotifierConfig): NotifierConfig | undefined {
    const result = notifierSchema.safeParse(config);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    this.logger.error(`notifier "${name}" is not valid (${issue.path.join('.')}: ${issue.message}); it is disabled`);
    return undefined;
  }

  private channel(name: string, config: NotifierConfig): Channel {
    switch (config.type) {
      case 'console': return createConsoleChannel(this.logger);
      case 'webhook': return createWebhookChannel(name, config, this.options.fetch);
      case 'slack': return createSlackChannel(config, this.options.fetch);
      case 'email': return createEmailChannel(config, deliverySettings(config).timeoutMs);
    }
  }

  /** A replaced notifier finishes what it holds in the background, then stops. */
  private retire(entry: Entry): void {
    void entry.dispatcher.drain(this.options.retireTimeoutMs).then(() => entry.dispatcher.stop());
  }
}

export function createNotifiers(configs: Record<string, NotifierConfig>, logger: Logger, options: NotifiersOptions = {}): Notifiers {
  return new NotifierSet(configs, logger, {
    fetch: options.fetch ?? ((url, init) => fetch(url, init)),
    random: options.random ?? Math.random,
    clock: options.clock ?? (() => Date.now()),
    retireTimeoutMs: options.retireTimeoutMs ?? 30_000,
  });
}
