// One notifier's delivery: a bounded queue, grouping, one message in flight, retries with exponential
// backoff and jitter, a timeout per attempt. Nothing here blocks the caller, and every alert that is not
// delivered is counted and logged (dropped from a full queue, given up after retries, or cut by shutdown).
import type { Logger } from '../logger.ts';
import { isoTime, type Alert } from '../types.ts';
import { DeliveryError, type Channel } from './channel.ts';
import type { DeliverySettings } from './config.ts';
import { systemTimers, type Timers as AllTimers } from '../timers.ts';

/** The dispatcher only waits (start, group, backoff, attempt timeout): one-shot timers are all it needs. */
type Timers = Pick<AllTimers, 'setTimeout' | 'clearTimeout'>;

/** Most alerts in one message; a longer queue goes out in several. */
export const MAX_GROUP = 100;

export interface NotifierStatus {
  name: string;
  type: string;
  /** Alerts delivered. */
  sent: number;
  /** Alerts given up on: retries exhausted, a permanent error, or shutdown. */
  failed: number;
  /** Alerts dropped because the queue was full. */
  dropped: number;
  /** Alerts waiting or being sent. */
  queued: number;
  /** Messages delivered (a message carries one or more alerts). */
  messages: number;
  attempts: number;
  retries: number;
  lastError: string | null;
  lastErrorAt: string | null;
  lastSentAt: string | null;
  state: 'idle' | 'grouping' | 'sending' | 'retrying' | 'stopped';
}

export interface DispatcherDeps {
  logger: Logger;
  /** Jitter source, [0, 1). */
  random: () => number;
  now: () => number;
  /** Default: the runtime's timers. */
  timers?: Timers;
}

export class Dispatcher {
  private queue: Alert[] = [];
  private inFlight = 0;
  private sending = false;
  private retrying = false;
  private stopped = false;
  private draining = false;
  private startTimer: unknown;
  private groupTimer: unknown;
  private sleepTimer: unknown;
  private wake: (() => void) | undefined;
  private abort: AbortController | undefined;
  /** The delivery in flight; it never rejects. */
  private current: Promise<void> | undefined;
  private idleWaiters: Array<() => void> = [];
  private sent = 0;
  private failed = 0;
  private dropped = 0;
  private messages = 0;
  private attempts = 0;
  private retries = 0;
  private lastError: string | null = null;
  private lastErrorAt: number | null = null;
  private lastSentAt: number | null = null;
  private readonly timers: Timers;

  constructor(
    readonly name: string,
    readonly type: string,
    private readonly settings: DeliverySettings,
    private readonly channel: Channel,
    private readonly deps: DispatcherDeps,
  ) {
    this.timers = deps.timers ?? systemTimers;
  }

  /** Queues an alert; returns at once. */
  enqueue(alert: Alert): void {
    if (alert.state === 'resolved' && !this.settings.sendResolved) return;
    if (this.stopped) {
      this.failed++;
      this.deps.logger.error(`notifier "${this.name}" is stopped: alert ${alert.rule} #${alert.id} not sent`);
      return;
    }
    if (this.queue.length >= this.settings.queueSize) {
      const lost = this.queue.shift() as Alert;
      this.dropped++;
      // Logged on the first drop and then every 100th, so a flood cannot flood the log too.
      if (this.dropped === 1 || this.dropped % 100 === 0) {
        this.deps.logger.warn(
          `notifier "${this.name}" queue is full (${this.settings.queueSize}): dropped alert ${lost.rule} #${lost.id} ` +
            `(${this.dropped} dropped so far; the channel is slow or failing: ${this.lastError ?? 'no error yet'})`,
        );
      }
    }
    this.queue.push(alert);
    this.kick();
  }

  status(): NotifierStatus {
    return {
      name: this.name,
      type: this.type,
      sent: this.sent,
      failed: this.failed,
      dropped: this.dropped,
      queued: this.queue.length + this.inFlight,
      messages: this.messages,
      attempts: this.attempts,
      retries: this.retries,
      lastError: this.lastError,
      lastErrorAt: this.lastErrorAt === null ? null : isoTime(this.lastErrorAt),
      lastSentAt: this.lastSentAt === null ? null : isoTime(this.lastSentAt),
      state: this.stopped ? 'stopped' : this.retrying ? 'retrying' : this.sending ? 'sending' : this.groupTimer !== undefined ? 'grouping' : 'idle',
    };
  }

  /** Sends what is queued without waiting for groups; resolves when empty or after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    this.draining = true;
    if (this.groupTimer !== undefined) {
      this.timers.clearTimeout(this.groupTimer);
      this.groupTimer = undefined;
    }
    this.kick();
    if (this.isIdle()) return;
    await new Promise<void>((resolve) => {
      const timer = this.timers.setTimeout(resolve, timeoutMs);
      this.idleWaiters.push(() => {
        this.timers.clearTimeout(timer);
        resolve();
      });
    });
  }

  /**
   * Stops at once: the attempt in flight is aborted and whatever is still queued is counted as failed.
   * Resolves once the aborted attempt has been accounted for too.
   */
  stop(): Promise<void> {
    if (this.stopped) return this.current ?? Promise.resolve();
    this.stopped = true;
    for (const timer of [this.startTimer, this.groupTimer, this.sleepTimer]) if (timer !== undefined) this.timers.clearTimeout(timer);
    this.startTimer = this.groupTimer = this.sleepTimer = undefined;
    this.abort?.abort();
    this.wake?.();
    const left = this.queue.length;
    this.queue = [];
    if (left > 0) {
      this.failed += left;
      this.deps.logger.error(`notifier "${this.name}": ${left} alert(s) not sent at shutdown`);
    }
    this.channel.close?.();
    this.notifyIdle();
    return this.current ?? Promise.resolve();
  }

  private isIdle(): boolean {
    return this.queue.length === 0 && !this.sending;
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Starts a send unless one is running, about to start, or a group is still collecting. */
  private kick(): void {
    if (this.stopped || this.sending || this.startTimer !== undefined || this.groupTimer !== undefined) return;
    if (this.queue.length === 0) return;
    // On the next turn of the event loop: the alerts of one batch (emitted together) share a message.
    this.startTimer = this.timers.setTimeout(() => {
      this.startTimer = undefined;
      void this.flush();
    }, 0);
  }

  private async flush(): Promise<void> {
    if (this.stopped || this.sending || this.queue.length === 0) return;
    this.sending = true;
    const group = this.queue.splice(0, MAX_GROUP);
    this.inFlight = group.length;
    this.current = this.deliver(group);
    try {
      await this.current;
    } finally {
      this.sending = false;
      this.inFlight = 0;
      this.current = undefined;
    }
    if (this.stopped) return;
    const waitMs = this.settings.groupWait * 1000;
    if (!this.draining && waitMs > 0) {
      // Alerts arriving in the next groupWait go out together when it ends.
      this.groupTimer = this.timers.setTimeout(() => {
        this.groupTimer = undefined;
        if (this.queue.length > 0) void this.flush();
        else this.notifyIdle();
      }, waitMs);
      unref(this.groupTimer);
    } else this.kick();
    if (this.isIdle()) this.notifyIdle();
  }

  private async deliver(group: Alert[]): Promise<void> {
    const { retries, timeoutMs } = this.settings;
    for (let attempt = 1; ; attempt++) {
      this.attempts++;
      try {
        await this.attempt(group, timeoutMs);
        this.sent += group.length;
        this.messages++;
        this.lastSentAt = this.deps.now();
        if (attempt > 1) this.deps.logger.info(`notifier "${this.name}": delivered after ${attempt} attempts`);
        return;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.lastError = message;
        this.lastErrorAt = this.deps.now();
        const permanent = err instanceof DeliveryError && err.permanent;
        if (permanent || attempt > retries || this.stopped) {
          this.failed += group.length;
          const why = this.stopped ? 'shutting down' : permanent ? 'not retried' : `after ${attempt} attempts`;
          this.deps.logger.error(`notifier "${this.name}": gave up on ${describeGroup(group)} (${why}): ${message}`);
          return;
        }
        const delay = this.backoff(attempt);
        this.retries++;
        this.deps.logger.warn(`notifier "${this.name}": attempt ${attempt} failed (${message}); retrying in ${delay} ms`);
        this.retrying = true;
        await this.sleep(delay);
        this.retrying = false;
      }
    }
  }

  /** One attempt, abandoned after `timeoutMs` whether or not the channel honours the signal. */
  private attempt(group: readonly Alert[], timeoutMs: number): Promise<void> {
    const controller = new AbortController();
    this.abort = controller;
    let timer: unknown;
    const timedOut = new Promise<never>((_, reject) => {
      timer = this.timers.setTimeout(() => {
        controller.abort();
        reject(new DeliveryError(`timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      unref(timer);
    });
    const sending = Promise.resolve().then(() => this.channel.send(group, controller.signal));
    return Promise.race([sending, timedOut]).finally(() => {
      this.timers.clearTimeout(timer);
      this.abort = undefined;
      sending.catch(() => undefined);
    });
  }

  /** Exponential backoff with "equal jitter": half the delay fixed, half random, so retries spread out. */
  private backoff(attempt: number): number {
    const { backoffMs, maxBackoffMs } = this.settings;
    const delay = Math.min(maxBackoffMs, backoffMs * 2 ** (attempt - 1));
    return Math.round(delay / 2 + this.deps.random() * (delay / 2));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        resolve();
      };
      this.sleepTimer = this.timers.setTimeout(() => {
        this.sleepTimer = undefined;
        this.wake?.();
      }, ms);
      unref(this.sleepTimer);
    });
  }
}

function describeGroup(group: readonly Alert[]): string {
  const rules = [...new Set(group.map((a) => a.rule))].slice(0, 5).join(', ');
  return `${group.length} alert(s) (${rules})`;
}

function unref(timer: unknown): void {
  (timer as { unref?: () => void }).unref?.();
}
