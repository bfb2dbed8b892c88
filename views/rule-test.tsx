/** @jsxImportSource hono/jsx */
// "Test on history": an existing rule replayed over a range of history, and when and for which keys it
// would have fired. Keys and messages come from log text: hono/jsx escapes them.
import type { RuleTestResult } from '../src/web/history-api.ts';
import { formatCount } from './format.ts';

export const RULE_TEST_RANGES: ReadonlyArray<{ value: string; label: string }> = [
  { value: '-1h', label: 'last hour' },
  { value: '-6h', label: 'last 6 hours' },
  { value: '-24h', label: 'last 24 hours' },
  { value: '-7d', label: 'last 7 days' },
];

export function RuleTestForm({ ruleNames }: { ruleNames: readonly string[] }) {
  if (ruleNames.length === 0) return null;
  return (
    <form id="rule-test-form" class="silence-form rule-test-form" method="post" action="/ui/rules/test" hx-post="/ui/rules/test" hx-target="#rule-test-result" hx-swap="innerHTML" aria-label="Test a rule on history">
      <label class="field">
        <span>Rule</span>
        <select name="rule" id="rule-test-rule">
          {ruleNames.map((name) => <option value={name}>{name}</option>)}
        </select>
      </label>
      <label class="field">
        <span>Over</span>
        <select name="from" id="rule-test-range">
          {RULE_TEST_RANGES.map((r) => <option value={r.value} selected={r.value === '-24h'}>{r.label}</option>)}
        </select>
      </label>
      <div class="actions">
        <button type="submit" class="btn">Test on history</button>
      </div>
      <div id="rule-test-result" class="rule-test-result" aria-live="polite" />
    </form>
  );
}

const MAX_SHOWN = 50;

export function RuleTestOutcome({ result }: { result: RuleTestResult }) {
  const firing = result.events.filter((e) => e.state === 'firing');
  const summary = `${result.rule}: ${firing.length === 0 ? 'would not have fired' : `would have fired ${formatCount(firing.length)}×`} over ${formatCount(result.entries)} entries (${result.from} – ${result.to})${result.truncated ? '; stopped early (limit reached)' : ''}`;
  return (
    <div class="rule-test-outcome">
      <p class="feedback ok" role="status">{summary}</p>
      {result.keys.length > 0 ? (
        <p class="muted small">
          {'Keys: '}
          {result.keys.slice(0, 20).map((key) => <span class="alert-key">{key === '' ? '(no key)' : key}</span>)}
          {result.keys.length > 20 ? ` +${formatCount(result.keys.length - 20)} more` : null}
        </p>
      ) : null}
      {firing.length > 0 ? (
        <ol class="rule-test-events" aria-label="When it would have fired">
          {firing.slice(0, MAX_SHOWN).map((e) => (
            <li>
              <time datetime={e.time}>{e.time}</time>
              {e.key !== '' ? <span class="alert-key">{e.key}</span> : null}
              <span class="rule-test-msg">{e.message}</span>
            </li>
          ))}
        </ol>
      ) : null}
      {firing.length > MAX_SHOWN ? <p class="muted small">{`+${formatCount(firing.length - MAX_SHOWN)} more (POST /api/rules/test lists all)`}</p> : null}
    </div>
  );
}

export function RuleTestError({ message }: { message: string }) {
  return <p class="feedback error" role="alert">{message}</p>;
}
