/** @jsxImportSource hono/jsx */
// The live tail: filter form, toolbar, and the rows (each a <details> that expands to the whole entry).
import { isoTime, type Level, type LogEntry } from '../src/types.ts';
import { clip, clockTime, firstLine, formatCount, metadataText } from './format.ts';
import { HistoryChart } from './history-chart.tsx';
import { ROW_CAP, TAIL_RANGES, type TailModel, type TailQuery } from './model.ts';

/** Longest message or raw text a row shows when expanded (lines may be up to 64 KiB). */
const DETAIL_MAX = 16_384;
const METADATA_MAX = 2048;

const LEVEL_CHOICES: Array<{ value: Level | ''; label: string }> = [
  { value: '', label: 'All levels' },
  { value: 'DEBUG', label: 'Debug and above' },
  { value: 'INFO', label: 'Info and above' },
  { value: 'WARNING', label: 'Warning and above' },
  { value: 'ERROR', label: 'Error and above' },
  { value: 'CRITICAL', label: 'Critical only' },
];

const SOURCE_CHARS = 20;

/** The end of a long source name (`…/logs/app.log`): the file name tells rows apart, the folder rarely does. */
export function shortSource(source: string): string {
  return source.length > SOURCE_CHARS ? `…${source.slice(source.length - SOURCE_CHARS + 1)}` : source;
}

export function levelClass(level: Level): string {
  return `lvl-${level.toLowerCase()}`;
}

export function LevelBadge({ level }: { level: Level }) {
  return <span class={`badge ${levelClass(level)}`}>{level}</span>;
}

function ClippedPre({ text, class: className }: { text: string; class: string }) {
  const { text: shown, omitted } = clip(text, DETAIL_MAX);
  return (
    <pre class={className}>
      {shown}
      {omitted > 0 ? <span class="omitted">{` … ${formatCount(omitted)} more characters`}</span> : null}
    </pre>
  );
}

/** One entry: a one-line summary that expands to every field, the metadata and the raw line. */
export function LogRow({ entry }: { entry: LogEntry }) {
  const iso = isoTime(entry.time);
  const keys = Object.keys(entry.metadata);
  const multiline = entry.message.includes('\n') || entry.message.length > 200;
  return (
    <details class={`row ${levelClass(entry.level)}`} data-id={entry.id}>
      <summary>
        <time datetime={iso} data-clock="ms">{clockTime(entry.time)}</time>
        <span class="lvl">{entry.level}</span>
        <span class="src" title={entry.source}>{shortSource(entry.source)}</span>
        <span class="msg">{firstLine(entry.message)}</span>
      </summary>
      <div class="entry">
        <dl class="fields">
          <div><dt>Timestamp</dt><dd>{iso}</dd></div>
          <div><dt>Received</dt><dd>{isoTime(entry.receivedAt)}</dd></div>
          <div><dt>Source</dt><dd>{entry.source}</dd></div>
          <div><dt>Format</dt><dd>{entry.format}</dd></div>
          <div><dt>Id</dt><dd>{entry.id}</dd></div>
          {keys.map((key) => (
            <div class="meta">
              <dt>{key}</dt>
              <dd>{clip(metadataText(entry.metadata[key]), METADATA_MAX).text}</dd>
            </div>
          ))}
        </dl>
        {multiline ? (
          <section>
            <h4>Message</h4>
            <ClippedPre class="message" text={entry.message} />
          </section>
        ) : null}
        <section>
          <h4>Raw line</h4>
          <ClippedPre class="raw" text={entry.raw} />
        </section>
      </div>
    </details>
  );
}

/** Says that lines were left out of the live view because they came faster than it shows them. */
export function GapNote({ skipped }: { skipped: number }) {
  return (
    <p class="gap" role="note">
      {`${formatCount(skipped)} ${skipped === 1 ? 'line' : 'lines'} not shown here (arriving faster than the page shows them)`}
    </p>
  );
}

/**
 * The part of the tail that a filter change replaces: the live connection for that filter and the
 * rows. `#incoming` receives live batches; dashboard.js moves them into `#rows` (or holds them while
 * paused) and keeps at most ROW_CAP rows in the page.
 */
export function TailPanel({ tail }: { tail: TailModel }) {
  const rows = tail.query.order === 'newest' ? [...tail.entries].reverse() : tail.entries;
  const historic = tail.historic;
  return (
    <div id="tail" class="tail" data-order={tail.query.order} data-cap={ROW_CAP} data-mode={historic === undefined ? 'live' : 'historic'}>
      {historic === undefined ? <div id="live" class="live-link" hidden {...{ 'hx-sse:connect': tail.streamUrl }} /> : <HistoricBar historic={historic} count={tail.entries.length} />}
      {tail.error !== null ? (
        <p class="filter-error" role="alert">{tail.error}</p>
      ) : null}
      <div id="rows" class="rows" role="log" aria-live="off" aria-label="Log entries">
        {rows.map((entry) => <LogRow entry={entry} />)}
      </div>
      <p class="empty">
        {tail.error !== null ? 'Fix the filter to see entries.' : historic !== undefined ? 'No entries match in this range.' : 'No entries match yet. New lines appear here as they arrive.'}
      </p>
      {historic !== undefined && historic.olderUrl !== null ? (
        <button type="button" class="btn older" hx-get={historic.olderUrl} hx-target="#tail" hx-swap="outerHTML">Older entries</button>
      ) : null}
      <div id="incoming" hidden />
    </div>
  );
}

/** Historic view: what range is shown, a way back to the newest page, and back to live. */
function HistoricBar({ historic, count }: { historic: NonNullable<TailModel['historic']>; count: number }) {
  return (
    <div class="historic">
      <HistoryChart bars={historic.bars} step={historic.step} />
      <p role="status">
        {`${historic.label}: ${formatCount(count)} ${count === 1 ? 'entry' : 'entries'} on this page, newest first. Click a bar to zoom in. `}
        {historic.newestUrl !== null ? (
          <a href={historic.newestUrl.replace('/ui/tail', '/')} hx-get={historic.newestUrl} hx-target="#tail" hx-swap="outerHTML">Newest page</a>
        ) : null}
      </p>
    </div>
  );
}

function RangeSelect({ query }: { query: TailQuery }) {
  const value = query.range;
  return (
    <select name="range" id="filter-range">
      <option value="" selected={value === undefined}>Live</option>
      {value === 'custom' && query.from !== undefined && query.to !== undefined ? (
        <option value="custom" selected>{`${isoTime(query.from).slice(0, 16).replace('T', ' ')} to ${isoTime(query.to).slice(0, 16).replace('T', ' ')} UTC`}</option>
      ) : null}
      {TAIL_RANGES.map((range) => (
        <option value={range.value} selected={value === range.value}>{range.label}</option>
      ))}
    </select>
  );
}

function LevelSelect({ value }: { value: Level | undefined }) {
  return (
    <select name="level" id="filter-level">
      {LEVEL_CHOICES.map((choice) => (
        <option value={choice.value} selected={(value ?? '') === choice.value}>{choice.label}</option>
      ))}
    </select>
  );
}

function SourceSelect({ value, names }: { value: string | undefined; names: readonly string[] }) {
  const choices = value !== undefined && !names.includes(value) ? [...names, value] : names;
  return (
    <select name="source" id="filter-source">
      <option value="" selected={value === undefined}>All sources</option>
      {choices.map((name) => (
        <option value={name} selected={value === name}>{name}</option>
      ))}
    </select>
  );
}

/**
 * Filters applied on the server. Without JavaScript it is a plain GET form to `/`; with htmx it
 * re-renders only `#tail` and the server answers with the bookmarkable URL (HX-Replace-Url). A newer
 * change replaces a request still in flight, so the view always ends on what the form last said.
 */
export function FilterForm({ query, sourceNames, pattern = null }: { query: TailQuery; sourceNames: readonly string[]; pattern?: TailModel['pattern'] }) {
  const { filter } = query;
  return (
    <form
      id="filters"
      class="filters"
      method="get"
      action="/"
      role="search"
      aria-label="Filter log entries"
      hx-get="/ui/tail"
      hx-target="#tail"
      hx-swap="outerHTML"
      hx-trigger="submit, input delay:400ms"
      hx-sync="this:replace"
    >
      <label class="field">
        <span>Time</span>
        <RangeSelect query={query} />
      </label>
      {query.range === 'custom' ? <input type="hidden" name="from" value={String(query.from)} /> : null}
      {query.range === 'custom' ? <input type="hidden" name="to" value={String(query.to)} /> : null}
      <label class="field">
        <span>Level</span>
        <LevelSelect value={filter.level} />
      </label>
      <label class="field">
        <span>Source</span>
        <SourceSelect value={filter.source} names={sourceNames} />
      </label>
      <label class="field">
        <span>Host</span>
        <input type="text" name="host" id="filter-host" value={filter.host ?? ''} placeholder="Any host" autocomplete="off" spellcheck={false} />
      </label>
      <label class="field grow">
        <span>Search <kbd title="Press / anywhere to search">/</kbd></span>
        <input
          type="search"
          name="q"
          id="filter-q"
          value={filter.q ?? ''}
          placeholder="Search message or raw line"
          autocomplete="off"
          spellcheck={false}
          aria-keyshortcuts="/"
        />
      </label>
      <label class="check">
        <input type="checkbox" name="regex" value="1" id="filter-regex" checked={filter.regex === true} />
        <span>Regex</span>
      </label>
      <input type="hidden" name="order" id="filter-order" value={query.order} />
      {filter.pattern !== undefined ? (
        <p class="filter-pattern">
          <input type="hidden" name="pattern" value={filter.pattern} />
          <span class="muted">Pattern</span>
          <code>{pattern?.template ?? filter.pattern}</code>
          {pattern !== null ? <a href={pattern.clearUrl} title="Show every pattern again">clear</a> : null}
        </p>
      ) : null}
      <div class="actions">
        <button type="submit" class="btn">Apply</button>
        <a class="btn ghost" href="/">Clear</a>
      </div>
    </form>
  );
}

/** Pause/resume, order and row count; driven by dashboard.js. */
export function TailToolbar({ order }: { order: TailQuery['order'] }) {
  return (
    <div class="toolbar">
      <span id="row-count" class="muted">Live tail</span>
      <span id="held-count" class="held" role="status" aria-live="polite" />
      <div class="toolbar-buttons">
        <button type="button" id="order-toggle" class="btn ghost" aria-pressed={order === 'newest' ? 'true' : 'false'}
          title="Toggle between newest first and oldest first">
          {order === 'newest' ? 'Newest first' : 'Oldest first'}
        </button>
        <button type="button" id="pause" class="btn" aria-pressed="false" title="Pause the live tail (new lines wait)">
          Pause
        </button>
      </div>
    </div>
  );
}
