/** @jsxImportSource hono/jsx */
// The dashboard page: one server render; the live stream then swaps fresh fragments into the ids below.
import { AlertsList, RulesTable } from './alerts.tsx';
import { RuleTestForm } from './rule-test.tsx';
import { StatsCards } from './cards.tsx';
import { PerMinuteChart, StatusChart, TopErrors, TopSources } from './charts.tsx';
import { PatternsPanel } from './patterns.tsx';
import { Layout, type AssetUrls } from './layout.tsx';
import type { DashboardModel } from './model.ts';
import { SilenceForm, SilenceList, EMPTY_SILENCE_FORM } from './silences.tsx';
import { SourcesTable } from './sources.tsx';
import { FilterForm, TailPanel, TailToolbar } from './tail.tsx';
import type { Child } from 'hono/jsx';

/** Ids the live stream swaps into; shared with src/web/ui/ so the two never disagree. */
export const PANEL_IDS = {
  cards: 'cards',
  perMinute: 'chart-minutes',
  status: 'chart-status',
  topSources: 'top-sources',
  topErrors: 'top-errors',
  patterns: 'patterns',
  alerts: 'alerts',
  rules: 'rules',
  sources: 'sources',
  silences: 'silence-list',
  incoming: 'incoming',
} as const;

function Card(props: { id: string; title: string; note?: string; bodyId: string; class?: string; children?: Child; extra?: Child }) {
  return (
    <section class={`card${props.class !== undefined ? ` ${props.class}` : ''}`} id={props.id} aria-labelledby={`${props.id}-h`}>
      <header class="card-head">
        <h2 id={`${props.id}-h`}>{props.title}</h2>
        {props.note !== undefined ? <span class="muted small">{props.note}</span> : null}
        {props.extra}
      </header>
      <div id={props.bodyId} class="card-body">{props.children}</div>
    </section>
  );
}

function Logo() {
  return (
    <svg class="logo" viewBox="0 0 24 24" aria-hidden="true">
      <rect x="2" y="3" width="20" height="18" rx="4" class="logo-bg" />
      <path d="M6 9h7M6 12h11M6 15h5" class="logo-lines" />
      <circle cx="17.5" cy="15" r="1.6" class="logo-dot" />
    </svg>
  );
}

export function Dashboard({ model, assets }: { model: DashboardModel; assets: AssetUrls }) {
  const now = model.cards.now;
  return (
    <Layout title="LogWatch" assets={assets}>
      <a class="skip" href="#tail-card">Skip to the live tail</a>
      <header class="topbar">
        <a class="brand" href="/" aria-label="LogWatch home">
          <Logo />
          <span>LogWatch</span>
        </a>
        <span id="live-status" class="pill" data-state="connecting" role="status">Connecting…</span>
        {/* dashboard.js shows times in the browser's zone and makes this a UTC toggle; without it, times are UTC. */}
        <button type="button" id="tz-toggle" class="topbar-note muted small tz-toggle" aria-pressed="true" title="Times are shown in UTC">
          All times UTC
        </button>
      </header>
      <main class="page">
        <section id={PANEL_IDS.cards} class="cards" aria-label="Summary">
          <StatsCards cards={model.cards} />
        </section>
        <div class="grid">
          <div class="col-main">
            <Card id="minutes-card" title="Entries per minute" note="last hour, by level" bodyId={PANEL_IDS.perMinute}>
              <PerMinuteChart buckets={model.charts.perMinute} />
            </Card>
            <section class="card tail-card" id="tail-card" aria-labelledby="tail-card-h">
              <header class="card-head">
                <h2 id="tail-card-h">Live tail</h2>
                <TailToolbar order={model.tail.query.order} />
              </header>
              <FilterForm query={model.tail.query} sourceNames={model.sourceNames} pattern={model.tail.pattern} />
              <TailPanel tail={model.tail} />
            </section>
          </div>
          <aside class="col-side" aria-label="Alerts and statistics">
            <Card id="alerts-card" title="Alerts" note="newest first" bodyId={PANEL_IDS.alerts}>
              <AlertsList alerts={model.alerts} />
            </Card>
            <Card id="patterns-card" title="Patterns" note="last hour; click one to filter the tail" bodyId={PANEL_IDS.patterns}>
              <PatternsPanel model={model.patterns} />
            </Card>
            <Card id="rules-card" title="Rules" bodyId={PANEL_IDS.rules}>
              <RulesTable rules={model.alerts.rules} now={now} />
            </Card>
            {model.ruleNames.length > 0 ? (
              <section class="card" id="rule-test-card" aria-labelledby="rule-test-card-h">
                <header class="card-head">
                  <h2 id="rule-test-card-h">Test a rule on history</h2>
                  <span class="muted small">when and for which keys it would have fired; notifies no one</span>
                </header>
                <div class="card-body">
                  <RuleTestForm ruleNames={model.ruleNames} />
                </div>
              </section>
            ) : null}
            <section class="card" id="silences-card" aria-labelledby="silences-card-h">
              <header class="card-head">
                <h2 id="silences-card-h">Silences</h2>
                <span class="muted small">alerts still show, but notify no one</span>
              </header>
              <div class="card-body">
                <SilenceForm ruleNames={model.ruleNames} values={EMPTY_SILENCE_FORM} />
                <div id={PANEL_IDS.silences}>
                  <SilenceList silences={model.alerts.silences} now={now} />
                </div>
              </div>
            </section>
            <Card id="errors-card" title="Top error messages" note="warnings and worse" bodyId={PANEL_IDS.topErrors}>
              <TopErrors patterns={model.charts.topErrors} now={now} />
            </Card>
            <Card id="top-sources-card" title="Top sources" note="entries by level" bodyId={PANEL_IDS.topSources}>
              <TopSources sources={model.charts.topSources} />
            </Card>
            <Card id="status-card" title="HTTP status classes" note="access logs, last hour" bodyId={PANEL_IDS.status}>
              <StatusChart buckets={model.charts.statusPerMinute} />
            </Card>
          </aside>
        </div>
        <Card id="sources-card" title="Sources" note="rate, lag and last error" bodyId={PANEL_IDS.sources}>
          <SourcesTable sources={model.sources} now={now} />
        </Card>
      </main>
    </Layout>
  );
}
