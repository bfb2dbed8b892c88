// GET /metrics in the Prometheus text exposition format.
import { LEVELS } from '../types.ts';
import type { RefusalReason } from '../sources/receivers/types.ts';
import { MAX_ENTRY_CHARS, MAX_ENTRY_LINES } from '../parse/source-parser.ts';
import type { AppContext } from './context.ts';
import type { RateLimitCounters } from './middleware/rate-limit.ts';
import { processMetrics } from './process-metrics.ts';
import type { StreamCounters } from './stream.ts';

type Labels = Record<string, string>;

const REFUSAL_REASONS: readonly RefusalReason[] = ['malformed', 'too_large', 'backed_up', 'unsupported', 'spool_error', 'rejected', 'rate_limited'];

/** Label values escaped as the exposition format requires (backslash, quote, newline). */
function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(
    ([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
  );
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

class MetricsText {
  private out = '';
  metric(name: string, type: 'counter' | 'gauge', help: string, samples: Array<[Labels, number]>): void {
    this.out += `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`;
    for (const [labels, value] of samples) this.out += `${name}${labelText(labels)} ${Number.isFinite(value) ? value : 0}\n`;
  }
  toString(): string {
    return this.out;
  }
}

export function renderMetrics(ctx: AppContext, stream: StreamCounters | undefined, rateLimit?: RateLimitCounters): string {
  const now = ctx.clock();
  const snapshot = ctx.stats.snapshot(now);
  const m = new MetricsText();
  m.metric(
    'logwatch_lines_total',
    'counter',
    'Raw lines received, per source.',
    ctx.sources.formats().map(({ source, lines }) => [{ source }, lines]),
  );
  m.metric(
    'logwatch_multiline_joined_total',
    'counter',
    'Lines joined to the entry above them as continuation lines (stack traces, multi-line messages), per source.',
    ctx.sources.formats().map(({ source, joined }) => [{ source }, joined]),
  );
  m.metric(
    'logwatch_multiline_split_total',
    'counter',
    'Held entries emitted before a continuation line came for them (the writer paused mid-trace longer than the hold), per source.',
    ctx.sources.formats().map(({ source, split }) => [{ source }, split]),
  );
  m.metric(
    'logwatch_multiline_cut_total',
    'counter',
    `Multi-line entries finished early at the cap (${MAX_ENTRY_LINES} lines or ${MAX_ENTRY_CHARS / 1024 / 1024} MiB; the rest starts the next entry, nothing is lost), per source.`,
    ctx.sources.formats().map(({ source, cut }) => [{ source }, cut]),
  );
  m.metric(
    'logwatch_entries_total',
    'counter',
    'Entries parsed, per level.',
    LEVELS.map((level) => [{ level }, snapshot.level_counts[level]]),
  );
  m.metric(
    'logwatch_source_entries_total',
    'counter',
    'Entries parsed, per source.',
    Object.entries(snapshot.sources).map(([source, count]) => [{ source }, count]),
  );
  const sources = ctx.sources.status();
  m.metric('logwatch_source_lag_bytes', 'gauge', 'Bytes written to a source but not read yet.', sources.map((s) => [{ source: s.name, kind: s.kind }, s.lag]));
  m.metric('logwatch_source_errors', 'gauge', 'Sources whose last operation failed (1) or not (0).', sources.map((s) => [{ source: s.name, kind: s.kind }, s.lastError === null ? 0 : 1]));
  const alerts = ctx.alerts.metrics();
  m.metric('logwatch_alerts_total', 'counter', 'Alert notifications by state (firing counts first firings and repeats).', [
    [{ state: 'firing' }, alerts.firedTotal],
    [{ state: 'resolved' }, alerts.resolvedTotal],
  ]);
  m.metric('logwatch_alerts_silenced_total', 'counter', 'Alerts recorded but not notified because a silence matched.', [[{}, alerts.silencedTotal]]);
  m.metric('logwatch_alerts_firing', 'gauge', 'Alerts firing now, over all rules and keys.', [[{}, alerts.firing]]);
  m.metric('logwatch_alert_keys', 'gauge', 'groupBy keys tracked by the alert rules.', [[{}, alerts.trackedKeys]]);
  m.metric('logwatch_alert_keys_evicted_total', 'counter', 'groupBy keys forgotten because a rule tracked more than maxKeys.', [[{}, alerts.evictedKeysTotal]]);
  m.metric('logwatch_alert_state_write_errors_total', 'counter', 'Failed writes of the alert state file.', [[{}, alerts.stateWriteErrors]]);
  m.metric('logwatch_active_rules', 'gauge', 'Alert rules loaded.', [[{}, ctx.alerts.activeRules]]);
  const notifiers = ctx.notifiers.status();
  m.metric('logwatch_notifications_total', 'counter', 'Alerts per notifier and result (dropped: the queue was full).', notifiers.flatMap((n) => [
    [{ notifier: n.name, result: 'sent' }, n.sent] as [Labels, number],
    [{ notifier: n.name, result: 'failed' }, n.failed] as [Labels, number],
    [{ notifier: n.name, result: 'dropped' }, n.dropped] as [Labels, number],
  ]));
  m.metric('logwatch_notification_retries_total', 'counter', 'Delivery attempts retried, per notifier.', notifiers.map((n) => [{ notifier: n.name }, n.retries]));
  m.metric('logwatch_notifications_queued', 'gauge', 'Notifications waiting per notifier.', notifiers.map((n) => [{ notifier: n.name }, n.queued]));
  m.metric('logwatch_buffer_entries', 'gauge', 'Entries held in the ring buffer.', [[{}, ctx.entries.size]]);
  m.metric('logwatch_buffer_capacity', 'gauge', 'Capacity of the ring buffer.', [[{}, ctx.entries.capacity]]);
  m.metric('logwatch_sse_clients', 'gauge', 'Connected /api/stream clients.', [[{}, stream?.clients ?? 0]]);
  m.metric('logwatch_dropped_total', 'counter', 'Events dropped for slow stream clients.', [[{ reason: 'slow_client' }, stream?.droppedEvents ?? 0]]);
  m.metric('logwatch_sse_slow_disconnects_total', 'counter', 'Stream clients disconnected for staying too far behind.', [[{}, stream?.disconnectedSlowClients ?? 0]]);
  m.metric('logwatch_ingest_rate_limited_total', 'counter', 'Ingest refused with 429 by the per-client rate limits: requests, and lines in refused batches.', [
    [{ unit: 'requests' }, rateLimit?.refusedRequests ?? 0],
    [{ unit: 'lines' }, rateLimit?.refusedLines ?? 0],
  ]);
  m.metric('logwatch_ingest_rate_limit_clients', 'gauge', 'Clients the ingest rate limiter tracks.', [[{}, rateLimit?.clients ?? 0]]);
  const shed = ctx.shed?.();
  if (shed !== undefined) {
    const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    m.metric('logwatch_shed_total', 'counter', 'What LogWatch let go of under load, by kind (README "Security": limits).', Object.entries(shed).map(([what, n]) => [{ what: snake(what) }, n]));
  }
  const history = ctx.history.stats();
  if (history !== null) {
    m.metric('logwatch_history_bytes', 'gauge', 'Bytes of history on disk (sealed segments and the journal).', [[{}, history.bytes]]);
    m.metric('logwatch_history_entries', 'gauge', 'Entries in history.', [[{}, history.entries]]);
    m.metric('logwatch_history_segments', 'gauge', 'Sealed history segments.', [[{}, history.segments]]);
    m.metric('logwatch_history_span_seconds', 'gauge', 'Time between the oldest and newest entry in history.', [[{}, history.oldest === null || history.newest === null ? 0 : (history.newest - history.oldest) / 1000]]);
    m.metric('logwatch_history_oldest_timestamp_seconds', 'gauge', 'Time of the oldest entry in history (0 when empty).', [[{}, history.oldest === null ? 0 : history.oldest / 1000]]);
    m.metric('logwatch_history_compression_ratio', 'gauge', 'Raw bytes of the lines over bytes of the sealed segments.', [[{}, history.compressionRatio]]);
    m.metric('logwatch_history_dropped_total', 'counter', 'Entries not written to history because writing could not keep up.', [[{}, history.dropped]]);
    m.metric('logwatch_history_expired_segments_total', 'counter', 'Segments deleted by retention (maxAge, maxBytes) since start.', [[{}, history.expiredSegments]]);
  }
  m.metric('logwatch_uptime_seconds', 'gauge', 'Seconds since start.', [[{}, Math.round((now - ctx.startedAt) / 1000)]]);
  const receivers = ctx.receivers.snapshot();
  m.metric('logwatch_receiver_records_total', 'counter', 'Records accepted (spooled) per receiver (syslog, loki, otlp).', receivers.map((r) => [{ receiver: r.receiver }, r.received]));
  m.metric(
    'logwatch_receiver_refused_total',
    'counter',
    'Requests, frames or records refused per receiver and reason (malformed, too_large, backed_up, unsupported, spool_error, rejected, rate_limited).',
    receivers.flatMap((r) => REFUSAL_REASONS.map((reason) => [{ receiver: r.receiver, reason }, r.refused[reason] ?? 0] as [Labels, number])),
  );
  const forwarders = ctx.forwarders.status();
  if (forwarders.length > 0) {
    m.metric('logwatch_forward_records_total', 'counter', 'Records per forwarding sink and result (sent: taken with 2xx; rejected: refused for good; dropped: backlog full).', forwarders.flatMap((f) => [
      [{ sink: f.name, result: 'sent' }, f.sent] as [Labels, number],
      [{ sink: f.name, result: 'rejected' }, f.rejected] as [Labels, number],
      [{ sink: f.name, result: 'dropped' }, f.dropped] as [Labels, number],
    ]));
    m.metric('logwatch_forward_retries_total', 'counter', 'Requests retried per forwarding sink.', forwarders.map((f) => [{ sink: f.name }, f.retries]));
    m.metric('logwatch_forward_backlog_bytes', 'gauge', 'Bytes waiting per forwarding sink.', forwarders.map((f) => [{ sink: f.name }, f.queuedBytes]));
  }
  for (const p of processMetrics()) m.metric(p.name, p.type, p.help, [[{}, p.value]]);
  return m.toString();
}
