/** @jsxImportSource hono/jsx */
// The historic view's histogram: entries per bar by level over the range shown, drawn on the server as
// SVG. Each bar is a link to its own range (click to zoom in); no script.
import type { Level } from '../src/types.ts';
import { formatCompact, formatCount } from './format.ts';
import type { HistoryBar } from './model.ts';

/** The level colour classes of tail.tsx (`lvl-error`); not imported from it, as tail.tsx renders this chart. */
const levelClass = (level: Level) => `lvl-${level.toLowerCase()}`;

const LEVEL_STACK: readonly Level[] = ['CRITICAL', 'ERROR', 'WARNING', 'INFO', 'DEBUG', 'UNKNOWN'];
const SLOT = 10;
const WIDTH = 8;
const HEIGHT = 60;

function when(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

export function HistoryChart({ bars, step }: { bars: readonly HistoryBar[]; step: number }) {
  let peak = 0;
  let total = 0;
  for (const bar of bars) {
    total += bar.total;
    if (bar.total > peak) peak = bar.total;
  }
  const scale = peak === 0 ? 0 : HEIGHT / peak;
  const width = Math.max(1, bars.length) * SLOT;
  return (
    <figure class="chart history-chart">
      <div class="plot">
        <div class="y-axis" aria-hidden="true">
          <span>{formatCompact(peak)}</span>
          <span>0</span>
        </div>
        <svg class="bars" viewBox={`0 0 ${width} ${HEIGHT}`} preserveAspectRatio="none" role="img"
          aria-label={`${formatCount(total)} entries in this range, at most ${formatCount(peak)} per ${Math.round(step / 1000)} s`}>
          <line class="grid" x1="0" x2={width} y1={HEIGHT} y2={HEIGHT} vector-effect="non-scaling-stroke" />
          {bars.map((bar, i) => {
            if (bar.total === 0) return null;
            let y = HEIGHT;
            return (
              <a href={bar.href}>
                <title>{`${when(bar.time)} UTC: ${formatCount(bar.total)} entries; click to zoom in`}</title>
                <rect class="hit" x={i * SLOT} y="0" width={SLOT} height={HEIGHT} />
                {LEVEL_STACK.map((level) => {
                  const count = bar.counts[level];
                  if (count === 0) return null;
                  const h = count * scale;
                  y -= h;
                  return <rect class={levelClass(level)} x={i * SLOT + (SLOT - WIDTH) / 2} y={y} width={WIDTH} height={h} />;
                })}
              </a>
            );
          })}
        </svg>
      </div>
      {bars.length > 0 ? (
        <div class="x-axis" aria-hidden="true">
          <span>{when(bars[0].time)}</span>
          <span>{when(bars[bars.length - 1].time)}</span>
        </div>
      ) : null}
    </figure>
  );
}
