// Public face of the notify stage. PLACEHOLDER: replaced by the real dispatcher.
import type { Alert } from '../types.ts';
import type { Logger } from '../logger.ts';
import type { NotifierConfig } from './config.ts';

export interface NotifierStatus {
  name: string;
  type: string;
  sent: number;
  failed: number;
  queued: number;
  lastError: string | null;
}

export interface Notifiers {
  /** Queues an alert for the named notifiers (all when `names` is undefined); never blocks. */
  dispatch(alert: Alert, names?: readonly string[]): void;
  status(): NotifierStatus[];
  /** Waits (bounded) for queued notifications on shutdown. */
  close(timeoutMs?: number): Promise<void>;
}

export function createNotifiers(configs: Record<string, NotifierConfig>, logger: Logger): Notifiers {
  return {
    dispatch(alert) {
      if (configs.console !== undefined && !alert.silenced) logger.warn(`ALERT ${alert.rule}: ${alert.message}`);
    },
    status: () => [],
    close: async () => {},
  };
}
