/** @jsxImportSource hono/jsx */
// Every watched file and ingest source: how fast it flows, how far behind reading is, what went wrong.
import { formatBytes, formatCount, formatRate, relativeTime } from './format.ts';
import type { SourceRow } from './model.ts';

export function SourcesTable({ sources, now }: { sources: readonly SourceRow[]; now: number }) {
  if (sources.length === 0) return <p class="empty-note">No sources yet: watched files and ingested lines show up here.</p>;
  return (
    <div class="table-wrap">
      <table class="sources">
        <caption class="sr-only">Sources with rate, lag and last error</caption>
        <thead>
          <tr>
            <th scope="col">Source</th>
            <th scope="col" class="num">Rate</th>
            <th scope="col" class="num">Entries</th>
            <th scope="col" class="num">Lag</th>
            <th scope="col">Last line</th>
          </tr>
        </thead>
        <tbody>
          {sources.map((s) => (
            <>
              <tr class={s.lastError !== null ? 'has-error' : undefined}>
                <th scope="row">
                  <span class="src-name" title={s.path ?? s.name}>{s.name}</span>
                  <span class="muted small">{s.format !== null ? `${s.kind} · ${s.format}` : s.kind}</span>
                </th>
                <td class="num">{formatRate(s.rate)}</td>
                <td class="num">{formatCount(s.entries)}</td>
                <td class={`num${s.lag !== null && s.lag > 0 ? ' behind' : ''}`}>{s.lag === null ? '–' : formatBytes(s.lag)}</td>
                <td class="muted">{s.lastSeenAt === null ? 'never' : relativeTime(s.lastSeenAt, now)}</td>
              </tr>
              {s.lastError !== null ? (
                <tr class="error-row">
                  <td colspan={5}>
                    <span class="badge state-firing">Error</span>{' '}
                    <span class="src-error">{s.lastError}</span>
                    {s.lastErrorAt !== null ? <span class="muted small">{` · ${s.lastErrorAt}`}</span> : null}
                  </td>
                </tr>
              ) : null}
            </>
          ))}
        </tbody>
      </table>
    </div>
  );
}
