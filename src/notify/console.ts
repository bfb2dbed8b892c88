// The console channel: one line per alert on LogWatch's own log.
import type { Logger } from '../logger.ts';
import type { Alert } from '../types.ts';
import type { Channel } from './channel.ts';
import { stripControl, truncate } from './safe-text.ts';

/** One alert as one log line; log text cannot break the line or drive the terminal. */
export function consoleLine(alert: Alert): string {
  const key = alert.key === '' ? '' : ` [${truncate(stripControl(alert.key), 200)}]`;
  const verb = alert.state === 'firing' ? 'ALERT' : 'RESOLVED';
  return `${verb} ${stripControl(alert.rule)}${key} count=${alert.count}: ${truncate(stripControl(alert.message), 1000)}`;
}

export function createConsoleChannel(logger: Logger): Channel {
  return {
    async send(alerts) {
      for (const alert of alerts) {
        if (alert.state === 'firing') logger.warn(consoleLine(alert));
        else logger.info(consoleLine(alert));
      }
    },
  };
}
