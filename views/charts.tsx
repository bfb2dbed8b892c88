/** @jsxImportSource hono/jsx */
// Charts rendered on the server as SVG: no chart library, no script. Bars stretch with the card
// (preserveAspectRatio="none"); the text around them is HTML so it never stretches.
import type { PatternCount } from '../src/analyze/analyzer.ts';
import type { MinuteBucket } from '../src/store/stats.ts';
import type { Level } from '../src/types.ts';
import { clockMinute, formatCompact, formatCount, relativeTime } from './format.ts';
import { STATUS_CLASSES, type SourceBar, type StatusClass, type StatusMinute } from './model.ts';
import { LevelBadge, levelClass } from './tail.tsx';

/** Bottom to top: the severe levels sit on the baseline where they are easiest to see. */
const LEVEL_STACK: readonly Level[] = ['CRITICAL', 'ERROR', 'WARNING', 'INFO', 'DEBUG', 'UNKNOWN'];
const STATUS_STACK: readonly StatusClass[] = ['5xx', '4xx', '3xx', '2xx', '1xx'];

const BAR_SLOT = 10;
const BAR_WIDTH = 8;
const PLOT_HEIGHT = 100;

/** The smallest of 1, 2, 5 × 10^k at or above `n` (at least 1), so axes read in round numbers. */
export function niceCeil(n: number): number {
  if (n <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= n) return step * magnitude;
  return 10 * magnitude;
}

interface Stack<K extends string> {
  minute: number;
  counts: Record<K, number>;
}

function sumOf<K extends string>(counts: Record<K, number>, keys: readonly K[]): number {
  let total = 0;
  for (const key of keys) total += counts[key];
  return total;
}

function StackedBars<K extends string>(props: {
  label: string;
  buckets: readonly Stack<K>[];
  keys: readonly K[];
  classOf: (key: K) => string;
  unit: string;
}) {
  const { buckets, keys, classOf } = props;
  let peak = 0;
  let total = 0;
  for (const bucket of buckets) {
    const sum = sumOf(bucket.counts, keys);
    total += sum;
    if (sum > peak) peak = sum;
  }
  const top = niceCeil(peak);
  const width = Math.max(1, buckets.length) * BAR_SLOT;
  const scale = PLOT_HEIGHT / top;
  return (
    <figure class="chart">
      <div class="plot">
        <div class="y-axis" aria-hidden="true">
          <span>{formatCompact(top)}</span>
          <span>{formatCompact(top / 2)}</span>
          <span>0</span>
        </div>
        <svg
          class="bars"
          viewBox={`0 0 ${width} ${PLOT_HEIGHT}`}
          preserveAspectRatio="none"
          role="img"
          aria-label={`${props.label}: ${formatCount(total)} in the last ${buckets.length} minutes, peak ${formatCount(peak)} ${props.unit} per minute`}
        >
          <line class="grid" x1="0" x2={width} y1={PLOT_HEIGHT / 2} y2={PLOT_HEIGHT / 2} vector-effect="non-scaling-stroke" />
          <line class="grid" x1="0" x2={width} y1={PLOT_HEIGHT} y2={PLOT_HEIGHT} vector-effect="non-scaling-stroke" />
          {buckets.map((bucket, i) => {
            const sum = sumOf(bucket.counts, keys);
            if (sum === 0) return null;
            let y = PLOT_HEIGHT;
            const detail = keys.filter((key) => bucket.counts[key] > 0).map((key) => `${formatCount(bucket.counts[key])} ${key}`).join(', ');
            return (
              <g>
                <title>{`${clockMinute(bucket.minute)} UTC: ${formatCount(sum)} ${props.unit} (${detail})`}</title>
                <rect class="hit" x={i * BAR_SLOT} y="0" width={BAR_SLOT} height={PLOT_HEIGHT} />
                {keys.map((key) => {
                  const count = bucket.counts[key];
                  if (count === 0) return null;
                  const h = count * scale;
                  y -= h;
                  return <rect class={classOf(key)} x={i * BAR_SLOT + (BAR_SLOT - BAR_WIDTH) / 2} y={y} width={BAR_WIDTH} height={h} />;
                })}
              </g>
            );
          })}
        </svg>
      </div>
      <div class="x-axis" aria-hidden="true">
        <span>{`${buckets.length} min ago`}</span>
        <span>{`${Math.round(buckets.length / 2)} min`}</span>
        <span>now</span>
      </div>
      <figcaption>
        <ul class="legend">
          {[...keys].reverse().map((key) => {
            const count = buckets.reduce((n, b) => n + b.counts[key], 0);
            return (
              <li class={count === 0 ? 'zero' : undefined}>
                <span class={`swatch ${classOf(key)}`} aria-hidden="true" />
                {key} <span class="num">{formatCount(count)}</span>
              </li>
            );
          })}
        </ul>
      </figcaption>
    </figure>
  );
}

export function PerMinuteChart({ buckets }: { buckets: readonly MinuteBucket[] }) {
  return (
    <StackedBars label="Entries per minute by level" buckets={buckets} keys={LEVEL_STACK} classOf={levelClass} unit="entries" />
  );
}

export function statusClassName(key: StatusClass): string {
  return `st-${key}`;
}

export function StatusChart({ buckets }: { buckets: readonly StatusMinute[] }) {
  const total = buckets.reduce((n, b) => n + sumOf(b.counts, STATUS_CLASSES), 0);
  if (total === 0) return <p class="empty-note">No HTTP access-log lines in the last hour.</p>;
  return <StackedBars label="HTTP responses per minute by status class" buckets={buckets} keys={STATUS_STACK} classOf={statusClassName} unit="responses" />;
}

/** A horizontal bar split by level, scaled to `max`. */
function LevelBar({ counts, max }: { counts: Record<Level, number>; max: number }) {
  let x = 0;
  return (
    <svg class="hbar" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true">
      <rect class="track" x="0" y="0" width="100" height="6" />
      {LEVEL_STACK.map((level) => {
        const w = max > 0 ? (counts[level] / max) * 100 : 0;
        if (w <= 0) return null;
        const rect = <rect class={levelClass(level)} x={x} y="0" width={w} height="6" />;
        x += w;
        return rect;
      })}
    </svg>
  );
}

export function TopSources({ sources }: { sources: readonly SourceBar[] }) {
  if (sources.length === 0) return <p class="empty-note">No sources yet.</p>;
  const max = sources[0].count;
  return (
    <ol class="barlist">
      {sources.map((s) => (
        <li>
          <div class="barlist-head">
            <span class="name" title={s.source}>{s.source}</span>
            <span class="num">{formatCount(s.count)}</span>
          </div>
          <LevelBar counts={s.levelCounts} max={max} />
        </li>
      ))}
    </ol>
  );
}

export function TopErrors({ patterns, now }: { patterns: readonly PatternCount[]; now: number }) {
  if (patterns.length === 0) return <p class="empty-note">No warnings or errors yet.</p>;
  const max = patterns[0].count;
  return (
    <ol class="barlist patterns">
      {patterns.map((p) => (
        <li>
          <div class="barlist-head">
            <LevelBadge level={p.level} />
            <span class="template" title={p.example}>{p.template}</span>
            <span class="num">{formatCount(p.count)}</span>
          </div>
          <svg class="hbar" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true">
            <rect class="track" x="0" y="0" width="100" height="6" />
            <rect class={levelClass(p.level)} x="0" y="0" width={(p.count / max) * 100} height="6" />
          </svg>
          <span class="muted small">{`last seen ${relativeTime(p.lastSeen, now)}`}</span>
        </li>
      ))}
    </ol>
  );
}
