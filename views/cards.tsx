/** @jsxImportSource hono/jsx */
// The row of headline numbers at the top of the dashboard.
import { duration, formatCount } from './format.ts';
import type { CardsModel } from './model.ts';

function Stat(props: { label: string; value: string; sub: string; tone?: 'danger' | 'warn' | 'ok' | undefined; id: string }) {
  return (
    <div class={`stat${props.tone !== undefined ? ` tone-${props.tone}` : ''}`} id={props.id}>
      <dt class="stat-label">{props.label}</dt>
      <dd class="stat-value">{props.value}</dd>
      <dd class="stat-sub">{props.sub}</dd>
    </div>
  );
}

export function StatsCards({ cards }: { cards: CardsModel }) {
  const errors = cards.levelCounts.ERROR + cards.levelCounts.CRITICAL;
  const warnings = cards.levelCounts.WARNING;
  return (
    <dl class="stats" data-firing={cards.firing}>
      <Stat id="stat-total" label="Entries" value={formatCount(cards.totalLogs)}
        sub={`${formatCount(cards.inBuffer)} of ${formatCount(cards.capacity)} in memory`} />
      <Stat id="stat-rate" label="Lines / min" value={formatCount(cards.linesLastMinute)} sub="in the last 60 s, by line time" />
      <Stat id="stat-errors" label="Errors" value={formatCount(errors)} tone={errors > 0 ? 'danger' : undefined}
        sub={cards.levelCounts.CRITICAL > 0 ? `${formatCount(cards.levelCounts.CRITICAL)} critical` : 'ERROR and CRITICAL'} />
      <Stat id="stat-warnings" label="Warnings" value={formatCount(warnings)} tone={warnings > 0 ? 'warn' : undefined} sub="WARNING" />
      <Stat id="stat-firing" label="Alerts firing" value={formatCount(cards.firing)} tone={cards.firing > 0 ? 'danger' : 'ok'}
        sub={`${formatCount(cards.totalAlerts)} alerts · ${formatCount(cards.activeRules)} rules`} />
      <Stat id="stat-sources" label="Sources" value={formatCount(cards.sources)}
        sub={`up ${duration(Math.max(0, cards.now - cards.startedAt))}`} />
      {cards.shed !== undefined && (
        <div class={`shed${cards.shed.total > 0 ? ' tone-warn' : ''}`} id="stat-shed">
          <dt>Shed</dt>
          <dd>
            {formatCount(cards.shed.total)} · <span class="muted">{cards.shed.detail}</span>
          </dd>
        </div>
      )}
    </dl>
  );
}
