/** @jsxImportSource hono/jsx */
// Silencing from the dashboard: a form (rule, key, how long, why) and the list of silences.
import type { SilenceJson } from '../src/alerts/index.ts';
import { relativeTime } from './format.ts';

export const SILENCE_DURATIONS: ReadonlyArray<{ seconds: number; label: string }> = [
  { seconds: 15 * 60, label: '15 minutes' },
  { seconds: 3600, label: '1 hour' },
  { seconds: 4 * 3600, label: '4 hours' },
  { seconds: 24 * 3600, label: '1 day' },
  { seconds: 7 * 24 * 3600, label: '1 week' },
];

/** What the form shows again after a rejected submission. */
export interface SilenceFormValues {
  rule: string;
  key: string;
  duration: number;
  comment: string;
}

export const EMPTY_SILENCE_FORM: SilenceFormValues = { rule: '*', key: '', duration: 3600, comment: '' };

export function SilenceList({ silences, now }: { silences: readonly SilenceJson[]; now: number }) {
  const shown = silences.filter((s) => s.status !== 'expired');
  if (shown.length === 0) return <p class="empty-note">No active silences.</p>;
  return (
    <ul class="silences" aria-label="Active silences">
      {shown.map((s) => (
        <li id={`silence-${s.id}`}>
          <div class="silence-head">
            <span class={`badge ${s.status === 'active' ? 'state-silenced' : 'state-ok'}`}>{s.status}</span>
            <span class="alert-rule">{s.rule === null || s.rule === '*' ? 'All rules' : s.rule}</span>
            {s.key !== null ? <span class="alert-key">{s.key}</span> : null}
            <time class="muted small silence-end" datetime={s.endsAt} title={s.endsAt}>
              {`ends ${relativeTime(Date.parse(s.endsAt), now)}`}
            </time>
          </div>
          <p class="silence-comment">
            {s.comment}
            {s.createdBy !== null ? <span class="muted small">{` — ${s.createdBy}`}</span> : null}
          </p>
          <button
            type="button"
            class="btn ghost small-btn"
            hx-delete={`/ui/silences/${encodeURIComponent(s.id)}`}
            hx-target="#silence-list"
            hx-swap="innerHTML"
            aria-label={`End the silence on ${s.rule ?? 'all rules'}${s.key !== null ? ` / ${s.key}` : ''} now`}
          >
            End now
          </button>
        </li>
      ))}
    </ul>
  );
}

/** The reply to a silence request: a message for the form, and the list (swapped by id). */
export function SilenceFeedback(props: { ok: boolean; message: string }) {
  return <p class={props.ok ? 'feedback ok' : 'feedback error'} role={props.ok ? 'status' : 'alert'}>{props.message}</p>;
}

export function SilenceForm({ ruleNames, values }: { ruleNames: readonly string[]; values: SilenceFormValues }) {
  const rules = values.rule !== '*' && !ruleNames.includes(values.rule) ? [...ruleNames, values.rule] : ruleNames;
  return (
    <form
      id="silence-form"
      class="silence-form"
      method="post"
      action="/ui/silences"
      hx-post="/ui/silences"
      hx-target="#silence-feedback"
      hx-swap="innerHTML"
      aria-label="Silence alerts"
    >
      <label class="field">
        <span>Rule</span>
        <select name="rule" id="silence-rule">
          <option value="*" selected={values.rule === '*'}>All rules</option>
          {rules.map((name) => (
            <option value={name} selected={values.rule === name}>{name}</option>
          ))}
        </select>
      </label>
      <label class="field">
        <span>Key</span>
        <input type="search" name="key" id="silence-key" value={values.key} placeholder="any key" autocomplete="off" />
      </label>
      <label class="field">
        <span>For</span>
        <select name="duration" id="silence-duration">
          {SILENCE_DURATIONS.map((d) => (
            <option value={d.seconds} selected={values.duration === d.seconds}>{d.label}</option>
          ))}
        </select>
      </label>
      <label class="field wide">
        <span>Why</span>
        <input type="text" name="comment" id="silence-comment" value={values.comment} placeholder="e.g. deploying db, known issue #123" autocomplete="off" required maxlength={1000} />
      </label>
      <div class="actions">
        <button type="submit" class="btn">Silence</button>
      </div>
      <div id="silence-feedback" class="silence-feedback" />
    </form>
  );
}
