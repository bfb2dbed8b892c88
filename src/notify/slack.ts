// The Slack channel: an incoming-webhook message with the rule, key, count and sample lines of each alert.
import { isoTime, type Alert } from '../types.ts';
import { postJson, type Channel, type FetchLike } from './channel.ts';
import type { SlackNotifierConfig } from './config.ts';
import { escapeSlack, stripControl, stripControlKeepLines, truncate } from './safe-text.ts';

/** Slack rejects a message with more than 50 blocks and a section text over 3000 characters. */
const MAX_ALERT_BLOCKS = 20;
const MAX_SECTION = 2900;
const SAMPLE_LINE = 300;

interface TextObject {
  type: 'mrkdwn';
  text: string;
}
type Block = { type: 'section'; text: TextObject } | { type: 'context'; elements: TextObject[] } | { type: 'divider' };

export interface SlackPayload {
  /** The notification and fallback text. */
  text: string;
  blocks: Block[];
  channel?: string;
  username?: string;
  icon_emoji?: string;
}

/** Log text goes into Slack only escaped, and sample lines only inside a code block they cannot close. */
function code(text: string): string {
  return escapeSlack(text).replace(/```/g, "'''");
}

function section(alert: Alert): string {
  const head = alert.state === 'firing' ? ':rotating_light: *FIRING*' : ':white_check_mark: *RESOLVED*';
  const key = alert.key === '' ? '' : ` · key \`${code(truncate(stripControl(alert.key), 200))}\``;
  let text = `${head} *${escapeSlack(stripControl(alert.rule))}*${key} · count *${alert.count}*\n` +
    `${escapeSlack(truncate(stripControl(alert.message), 500))}\n_${isoTime(alert.time)}_`;
  if (alert.logs.length > 0) {
    const lines = alert.logs.map((entry) => truncate(stripControlKeepLines(entry.raw).replace(/\n/g, ' ⏎ '), SAMPLE_LINE));
    text += `\n\`\`\`${code(lines.join('\n'))}\`\`\``;
  }
  return truncate(text, MAX_SECTION);
}

export function slackPayload(alerts: readonly Alert[], config: Pick<SlackNotifierConfig, 'channel' | 'username' | 'iconEmoji'>): SlackPayload {
  const firing = alerts.filter((a) => a.state === 'firing').length;
  const rules = [...new Set(alerts.map((a) => stripControl(a.rule)))];
  const summary = alerts.length === 1
    ? `${firing === 1 ? 'FIRING' : 'RESOLVED'}: ${rules[0]}${alerts[0].key === '' ? '' : ` (${truncate(stripControl(alerts[0].key), 100)})`}`
    : `${alerts.length} alerts (${firing} firing): ${truncate(rules.join(', '), 200)}`;
  const blocks: Block[] = [];
  alerts.slice(0, MAX_ALERT_BLOCKS).forEach((alert, i) => {
    if (i > 0) blocks.push({ type: 'divider' });
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: section(alert) } });
  });
  if (alerts.length > MAX_ALERT_BLOCKS) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${alerts.length - MAX_ALERT_BLOCKS} more alerts (see LogWatch)` }] });
  }
  const payload: SlackPayload = { text: `LogWatch ${escapeSlack(summary)}`, blocks };
  if (config.channel !== undefined) payload.channel = config.channel;
  if (config.username !== undefined) payload.username = config.username;
  if (config.iconEmoji !== undefined) payload.icon_emoji = config.iconEmoji;
  return payload;
}

export function createSlackChannel(config: SlackNotifierConfig, fetchFn: FetchLike): Channel {
  return {
    send: (alerts, signal) => postJson(fetchFn, config.url, slackPayload(alerts, config), {}, signal),
  };
}
