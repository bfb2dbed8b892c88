/** @jsxImportSource hono/jsx */
// The Patterns panel: what the analyzer learned (top patterns of the last hour with a sparkline, new
// ones marked) and the anomalies firing now. A pattern links to the live tail filtered to it. All
// log-derived text (templates, samples, anomaly messages) goes through hono/jsx, which escapes it.
import type { PatternSummary } from '../src/analyze/analyzer.ts';
import type { AnomalyEvent, AnomalyKind } from '../src/analyze/types.ts';
import { formatCount, relativeTime } from './format.ts';
import type { PatternsModel } from './model.ts';
import { LevelBadge, levelClass, shortSource } from './tail.tsx';

const KIND_LABEL: Record<AnomalyKind, string> = {
  new_pattern: 'New pattern',
  pattern_spike: 'Spike',
  pattern_stopped: 'Stopped',
  error_rate: 'Error rate',
};

const TREND_LABEL: Record<PatternSummary['trend'], string> = { new: 'new', up: '▲', down: '▼', flat: '' };

const SPARK_W = 60;
const SPARK_H = 16;

/** Per-minute counts as a polyline (numbers only: nothing from the log reaches the SVG). */
export function Sparkline({ values }: { values: readonly number[] }) {
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? SPARK_W / (values.length - 1) : SPARK_W;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(SPARK_H - 1 - (v / max) * (SPARK_H - 2)).toFixed(1)}`).join(' ');
  return (
    <svg class="spark" viewBox={`0 0 ${SPARK_W} ${SPARK_H}`} preserveAspectRatio="none" aria-hidden="true">
      <polyline points={points} />
    </svg>
  );
}

function AnomalyList({ anomalies, now }: { anomalies: readonly AnomalyEvent[]; now: number }) {
  return (
    <ul class="anomalies" aria-label="Anomalies firing now">
      {anomalies.map((a) => (
        <li class={`anomaly kind-${a.kind}`}>
          <span class="badge anomaly-kind">{KIND_LABEL[a.kind]}</span>
          {a.pattern !== undefined ? (
            <a class="anomaly-msg" href={`/?pattern=${encodeURIComponent(a.pattern)}`} title="Show its lines in the live tail">{a.message}</a>
          ) : (
            <span class="anomaly-msg">{a.message}</span>
          )}
          <span class="muted small">{relativeTime(a.time, now)}</span>
        </li>
      ))}
    </ul>
  );
}

export function PatternsPanel({ model }: { model: PatternsModel }) {
  if (!model.enabled) return <p class="empty-note">Pattern mining is off (analyze.enabled is false).</p>;
  const fresh = new Set(model.anomalies.filter((a) => a.kind === 'new_pattern').map((a) => a.pattern));
  return (
    <>
      {model.anomalies.length > 0 ? <AnomalyList anomalies={model.anomalies} now={model.now} /> : null}
      {model.patterns.length === 0 ? (
        <p class="empty-note">No lines in the last hour.</p>
      ) : (
        <ol class="pattern-list">
          {model.patterns.map((p) => {
            const isNew = p.isNew || fresh.has(p.id);
            return (
              <li class={`pattern ${levelClass(p.level)}`}>
                <a class="pattern-link" href={`/?pattern=${encodeURIComponent(p.id)}`} title={p.sample?.message ?? p.template}>
                  <span class="pattern-head">
                    <LevelBadge level={p.level} />
                    {isNew ? <span class="badge new-badge">new</span> : null}
                    <span class="template">{p.template}</span>
                  </span>
                  <span class="pattern-foot">
                    <span class="src muted small" title={p.source}>{shortSource(p.source)}</span>
                    <Sparkline values={p.sparkline} />
                    <span class="num">{formatCount(p.count)}</span>
                    <span class={`trend trend-${p.trend}`} title={`${formatCount(p.previousCount)} in the hour before`}>{TREND_LABEL[p.trend]}</span>
                  </span>
                </a>
              </li>
            );
          })}
        </ol>
      )}
    </>
  );
}
