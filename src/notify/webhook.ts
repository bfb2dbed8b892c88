// The webhook channel: the alerts as JSON, POSTed to a URL of your choice.
import { toAlertJson, type Alert, type AlertJson } from '../types.ts';
import { postJson, type Channel, type FetchLike } from './channel.ts';
import type { WebhookNotifierConfig } from './config.ts';

/** The body of every webhook POST, one or many alerts alike. */
export interface WebhookPayload {
  version: 1;
  /** The notifier's name in the config. */
  notifier: string;
  /** "firing" when any alert in it fires, else "resolved". */
  status: 'firing' | 'resolved';
  alerts: AlertJson[];
}

export function webhookPayload(name: string, alerts: readonly Alert[]): WebhookPayload {
  return {
    version: 1,
    notifier: name,
    status: alerts.some((a) => a.state === 'firing') ? 'firing' : 'resolved',
    alerts: alerts.map(toAlertJson),
  };
}

export function createWebhookChannel(name: string, config: WebhookNotifierConfig, fetchFn: FetchLike): Channel {
  return {
    send: (alerts, signal) => postJson(fetchFn, config.url, webhookPayload(name, alerts), config.headers, signal),
  };
}
