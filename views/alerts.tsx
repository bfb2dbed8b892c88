/** @jsxImportSource hono/jsx */
// Alerts (firing and resolved, with their sample lines) and the rules with their live state.
import type { RuleStatus } from '../src/alerts/index.ts';
import { isoTime, type Alert } from '../src/types.ts';
import { clockTime, firstLine, formatCount, relativeTime } from './format.ts';
import type { AlertsModel } from './model.ts';
import { LevelBadge, shortSource } from './tail.tsx';

/** Firing alerts this recent show their sample lines without a click. */
const OPEN_FIRING = 3;

function StateBadge({ alert }: { alert: Alert }) {
  return (
    <>
      <span class={`badge state-${alert.state}`}>{alert.state === 'firing' ? 'Firing' : 'Resolved'}</span>
      {alert.silenced === true ? <span class="badge state-silenced">Silenced</span> : null}
    </>
  );
}

function AlertItem({ alert, now, open }: { alert: Alert; now: number; open: boolean }) {
  return (
    <li class={`alert state-${alert.state}${alert.silenced === true ? ' silenced' : ''}`} id={`alert-${alert.id}`}>
      <details open={open}>
        <summary>
          <span class="alert-head">
            <StateBadge alert={alert} />
            <span class="alert-rule">{alert.rule}</span>
            {alert.key !== '' ? <span class="alert-key" title="group key">{alert.key}</span> : null}
            <time class="alert-time muted" datetime={isoTime(alert.time)} title={isoTime(alert.time)}>
              {relativeTime(alert.time, now)}
            </time>
          </span>
          <span class="alert-msg">{alert.message}</span>
        </summary>
        <div class="alert-body">
          <p class="muted small alert-facts">
            {`${formatCount(alert.count)} matching ${alert.count === 1 ? 'line' : 'lines'} · ${alert.state} at ${isoTime(alert.time)}`}
            {alert.state === 'firing' && alert.silenced !== true ? (
              <SilenceButton rule={alert.rule} alertKey={alert.key} label={`Silence ${alert.rule}${alert.key !== '' ? ` for ${alert.key}` : ''}`} />
            ) : null}
          </p>
          {alert.logs.length > 0 ? (
            <ol class="samples" aria-label="Sample lines">
              {alert.logs.map((entry) => (
                <li>
                  <time datetime={isoTime(entry.time)} data-clock="ms">{clockTime(entry.time)}</time>
                  <LevelBadge level={entry.level} />
                  <span class="src" title={entry.source}>{shortSource(entry.source)}</span>
                  <code class="sample-msg">{firstLine(entry.message, 300)}</code>
                </li>
              ))}
            </ol>
          ) : null}
        </div>
      </details>
    </li>
  );
}

export function AlertsList({ alerts }: { alerts: AlertsModel }) {
  if (alerts.recent.length === 0) {
    return <p class="empty-note">No alerts yet. They appear here the moment a rule fires.</p>;
  }
  let openLeft = OPEN_FIRING;
  return (
    <ol class="alerts" aria-label="Recent alerts, newest first">
      {alerts.recent.map((alert) => {
        const open = alert.state === 'firing' && alert.silenced !== true && openLeft > 0;
        if (open) openLeft--;
        return <AlertItem alert={alert} now={alerts.now} open={open} />;
      })}
    </ol>
  );
}

/** `level ≥ ERROR · /timeout/ · ≥ 3 in 60 s · by source`: a rule's condition in one line. */
export function ruleCondition(rule: RuleStatus): string {
  const c = rule.config;
  const parts: string[] = [];
  if (c.level !== undefined) parts.push(`level ≥ ${c.level}`);
  if (c.pattern !== undefined) parts.push(`/${c.pattern}/`);
  if (c.source !== undefined) parts.push(`source ${c.source}`);
  for (const condition of c.where ?? []) parts.push(condition);
  switch (c.type) {
    case 'rate':
      parts.push(`${c.factor ?? 3}× the average of ${c.baseline ?? 5} windows of ${c.window} s`);
      break;
    case 'absence':
      parts.push(`fewer than ${c.threshold} in ${c.window} s`);
      break;
    case 'new_value':
      parts.push(`new ${c.field ?? 'value'}`);
      break;
    default:
      parts.push(`≥ ${c.threshold} in ${c.window} s`);
  }
  if (c.groupBy !== undefined) parts.push(`by ${c.groupBy}`);
  return parts.join(' · ');
}

/** Prefills the silence form (dashboard.js) with a rule and key. */
export function SilenceButton({ rule, alertKey, label }: { rule: string; alertKey: string; label: string }) {
  return (
    <button type="button" class="link-btn" data-silence-rule={rule} data-silence-key={alertKey} aria-label={label}>
      Silence…
    </button>
  );
}

export function RulesTable({ rules, now }: { rules: readonly RuleStatus[]; now: number }) {
  if (rules.length === 0) return <p class="empty-note">No alert rules configured.</p>;
  return (
    <ul class="rule-list" aria-label="Alert rules and their state">
      {rules.map((rule) => {
        const keys = rule.firing.filter((key) => key !== '');
        const firing = rule.firingCount > 0;
        return (
          <li class={`rule ${firing ? 'state-firing' : 'state-ok'}`}>
            <div class="rule-head">
              <span class="rule-name">{rule.name}</span>
              <span class={`badge ${firing ? 'state-firing' : 'state-ok'}`}>
                {firing ? (rule.firingCount > 1 ? `Firing ×${formatCount(rule.firingCount)}` : 'Firing') : 'OK'}
              </span>
              <span class="rule-matches muted small">{`${formatCount(rule.matches)} ${rule.matches === 1 ? 'match' : 'matches'}`}</span>
            </div>
            <code class="rule-cond">{`${rule.type} · ${ruleCondition(rule)}`}</code>
            <div class="rule-foot muted small">
              <span>{rule.lastFiredAt === null ? 'never fired' : `last fired ${relativeTime(rule.lastFiredAt, now)}`}</span>
              {keys.slice(0, 5).map((key) => <span class="alert-key">{key}</span>)}
              {keys.length > 5 ? <span>{`+${formatCount(rule.firingCount - 5)} more`}</span> : null}
              {firing ? <SilenceButton rule={rule.name} alertKey={keys.length === 1 ? keys[0] : ''} label={`Silence ${rule.name}`} /> : null}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
