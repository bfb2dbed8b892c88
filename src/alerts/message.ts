// Alert messages: a rule's `message` template with its {placeholders} filled, or the sentence of its type.
import type { RuleConfig } from './config.ts';

/** Longest piece of a log message copied into an alert message. */
const MESSAGE_EXCERPT = 200;

/** Fills `{name}` placeholders from `values`; unknown names stay as written. */
export function alertMessage(config: RuleConfig, values: Record<string, string>): string {
  const template = config.message ?? defaultTemplate(config);
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

function defaultTemplate(config: RuleConfig): string {
  const grouped = config.groupBy !== undefined;
  const forKey = grouped ? ' for {field}={key}' : '';
  switch (config.type) {
    case 'threshold':
      if (config.threshold === 1) return grouped ? '{message} ({field}={key})' : '{message}';
      return `{count} matching entries in {window}s (threshold {threshold})${forKey}`;
    case 'rate':
      return `{count} matching entries in {window}s, over {factor}× the average of {average} in the previous {baseline} windows${forKey}`;
    case 'absence':
      return config.threshold === 1
        ? `no matching entry in the last {window}s${forKey}`
        : `only {count} matching entries in the last {window}s (expected at least {threshold})${forKey}`;
    case 'new_value':
      return 'new value of {field}: {key}';
    default:
      // new_pattern, pattern_spike, pattern_stopped: what the analyzer found, in its words.
      return '{anomaly}';
  }
}

export function excerpt(text: string): string {
  const line = text.length > MESSAGE_EXCERPT ? `${text.slice(0, MESSAGE_EXCERPT)}…` : text;
  return line.replace(/\s+/g, ' ').trim();
}

export function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
