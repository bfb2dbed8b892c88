// LogWatch dashboard behaviour: pause/resume, newest/oldest order, the row cap, `/` to search, the
// connection pill, times in the browser's zone or UTC (a remembered toggle), and new sources in the
// source filter as they appear. It runs under `script-src 'self'` (no inline code, no eval) and never parses HTML:
// rows arrive through htmx as server-escaped HTML, and this file only moves nodes and sets textContent.
(() => {
  'use strict';

  const byId = (id) => document.getElementById(id);
  const numberFormat = new Intl.NumberFormat('en-US');
  const fmt = (n) => numberFormat.format(n);

  // Rows (and gap notes) that arrived while paused, oldest first; `waiting` counts every line they
  // stand for, including the ones the server counted but did not send.
  const state = { paused: false, held: [], waiting: 0 };

  const tail = () => byId('tail');
  const rowsBox = () => byId('rows');
  const cap = () => Number(tail()?.dataset.cap) || 500;
  const order = () => (tail()?.dataset.order === 'oldest' ? 'oldest' : 'newest');

  function updateCount() {
    const rows = rowsBox();
    const label = byId('row-count');
    if (!rows || !label) return;
    const n = rows.querySelectorAll(':scope > .row').length;
    label.textContent = `${fmt(n)} ${n === 1 ? 'row' : 'rows'} shown (keeps the newest ${fmt(cap())})`;
  }

  function updatePause() {
    const button = byId('pause');
    const held = byId('held-count');
    if (button) {
      button.setAttribute('aria-pressed', state.paused ? 'true' : 'false');
      button.textContent = state.paused ? (state.waiting > 0 ? `Resume (${fmt(state.waiting)} new)` : 'Resume') : 'Pause';
      button.title = state.paused ? 'Resume the live tail and show the lines that waited' : 'Pause the live tail (new lines wait)';
    }
    if (held) {
      held.textContent = state.paused
        ? `Paused · ${fmt(state.waiting)} new ${state.waiting === 1 ? 'line' : 'lines'} waiting`
        : '';
    }
  }

  /** Removes rows beyond the cap from the old end of the list. */
  function trim(rows) {
    let excess = rows.children.length - cap();
    const newestFirst = order() === 'newest';
    while (excess-- > 0) (newestFirst ? rows.lastElementChild : rows.firstElementChild)?.remove();
  }

  /** Puts `nodes` (oldest first) into the list at its newest end. */
  function insert(nodes) {
    const rows = rowsBox();
    if (!rows || nodes.length === 0) return;
    const fragment = document.createDocumentFragment();
    if (order() === 'newest') {
      for (let i = nodes.length - 1; i >= 0; i--) fragment.append(nodes[i]);
      rows.prepend(fragment);
    } else {
      const atBottom = rows.scrollHeight - rows.scrollTop - rows.clientHeight < 24;
      fragment.append(...nodes);
      rows.append(fragment);
      if (atBottom) rows.scrollTop = rows.scrollHeight;
    }
    for (const node of nodes) if (node instanceof Element) showTimes(node);
    trim(rows);
    updateCount();
  }

  /** Takes the batches htmx put into #incoming and shows them, or holds them while paused. */
  function drainIncoming() {
    const incoming = byId('incoming');
    if (!incoming) return;
    const batches = incoming.querySelectorAll(':scope > .batch');
    if (batches.length === 0) return;
    const nodes = [];
    for (const batch of batches) {
      if (state.paused) state.waiting += Number(batch.dataset.count) || 0;
      nodes.push(...batch.children);
      batch.remove();
    }
    if (state.paused) {
      state.held.push(...nodes);
      const over = state.held.length - cap();
      if (over > 0) state.held.splice(0, over);
      updatePause();
    } else {
      insert(nodes);
    }
  }

  function setPaused(paused) {
    if (state.paused === paused) return;
    state.paused = paused;
    if (!paused) {
      const nodes = state.held;
      state.held = [];
      state.waiting = 0;
      insert(nodes);
    }
    updatePause();
  }

  function setOrder(next) {
    const panel = tail();
    const rows = rowsBox();
    if (!panel || !rows || order() === next) return;
    panel.dataset.order = next;
    rows.append(...[...rows.children].reverse());
    const field = byId('filter-order');
    if (field) field.value = next;
    const button = byId('order-toggle');
    if (button) {
      button.setAttribute('aria-pressed', next === 'newest' ? 'true' : 'false');
      button.textContent = next === 'newest' ? 'Newest first' : 'Oldest first';
    }
    rows.scrollTop = next === 'newest' ? 0 : rows.scrollHeight;
    const url = new URL(location.href);
    if (next === 'newest') url.searchParams.delete('order');
    else url.searchParams.set('order', next);
    history.replaceState(history.state, '', url);
  }

  // ── Times: the server writes every time in UTC (`<time datetime data-clock>`); shown here in the
  // browser's zone unless the user chose UTC, which localStorage remembers across visits.
  const TZ_KEY = 'logwatch.times';
  const zoneName = Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';
  const readUtc = () => {
    try {
      return localStorage.getItem(TZ_KEY) === 'utc';
    } catch {
      return false; // storage blocked: local time, not remembered
    }
  };
  let utc = readUtc();
  const pad = (n, w = 2) => String(n).padStart(w, '0');

  /** `HH:MM:SS.mmm` of `ms`, in UTC or the browser's zone. */
  function clockText(ms) {
    const d = new Date(ms);
    if (Number.isNaN(d.getTime())) return '--:--:--.---';
    return utc
      ? `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`
      : `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
  }

  /** Rewrites the clock times under `root` (new rows, a swapped panel, or the whole page). */
  function showTimes(root) {
    const shown = utc ? 'utc' : 'local';
    const times = root.matches?.('time[data-clock]') ? [root] : root.querySelectorAll('time[data-clock]');
    for (const time of times) {
      if (time.dataset.shown === shown) continue;
      const ms = Date.parse(time.getAttribute('datetime') || '');
      time.textContent = clockText(ms);
      time.title = utc ? `${time.getAttribute('datetime')} (UTC)` : `${new Date(ms).toString()}`;
      time.dataset.shown = shown;
    }
  }

  function updateZoneToggle() {
    const button = byId('tz-toggle');
    if (!button) return;
    button.textContent = utc ? 'All times UTC' : `Times in ${zoneName}`;
    button.title = utc ? `Show times in your zone (${zoneName})` : 'Show times in UTC';
    button.setAttribute('aria-pressed', utc ? 'true' : 'false');
  }

  function setUtc(next) {
    utc = next;
    try {
      localStorage.setItem(TZ_KEY, utc ? 'utc' : 'local');
    } catch {
      // storage blocked: the choice lasts for this page only
    }
    updateZoneToggle();
    showTimes(document);
  }

  // ── Sources: the sources panel lists every source; the filter's <select> gains the new ones.
  function syncSourceOptions() {
    const select = byId('filter-source');
    if (!select) return;
    const known = new Set([...select.options].map((option) => option.value));
    for (const cell of document.querySelectorAll('#sources .src-name')) {
      const name = cell.textContent;
      if (!name || known.has(name)) continue;
      known.add(name);
      const option = document.createElement('option');
      option.value = name;
      option.textContent = name;
      // Keep the list sorted after "All sources" (value ""), as the server renders it.
      const before = [...select.options].find((o) => o.value !== '' && o.value.localeCompare(name) > 0);
      select.insertBefore(option, before ?? null);
    }
  }

  function setLive(stateName, text) {
    const pill = byId('live-status');
    if (!pill) return;
    pill.dataset.state = stateName;
    pill.textContent = text;
  }

  function updateTitle() {
    const stats = document.querySelector('#cards .stats');
    const firing = Number(stats?.getAttribute('data-firing')) || 0;
    document.title = firing > 0 ? `(${firing} firing) LogWatch` : 'LogWatch';
  }

  /** Fills the silence form from a "Silence…" button on an alert or rule, then asks why. */
  function prefillSilence(button) {
    const rule = button.dataset.silenceRule || '*';
    const select = byId('silence-rule');
    const key = byId('silence-key');
    const comment = byId('silence-comment');
    if (!select || !key || !comment) return;
    if (![...select.options].some((option) => option.value === rule)) {
      const option = document.createElement('option');
      option.value = rule;
      option.textContent = rule;
      select.append(option);
    }
    select.value = rule;
    key.value = button.dataset.silenceKey || '';
    byId('silences-card')?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    comment.focus({ preventScroll: true });
  }

  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (target?.closest('#pause')) setPaused(!state.paused);
    else if (target?.closest('#tz-toggle')) setUtc(!utc);
    else if (target?.closest('#order-toggle')) setOrder(order() === 'newest' ? 'oldest' : 'newest');
    else {
      const silence = target?.closest('[data-silence-rule]');
      if (silence) prefillSilence(silence);
    }
  });

  // A silence was created: clear the form for the next one (errors keep what was typed).
  document.addEventListener('htmx:after:request', (event) => {
    const form = event.target;
    const status = event.detail?.ctx?.response?.status;
    if (form instanceof HTMLFormElement && form.id === 'silence-form' && status >= 200 && status < 300) form.reset();
  });

  document.addEventListener('keydown', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const typing = target?.closest('input, textarea, select, [contenteditable]') != null;
    if (event.key === '/' && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      const search = byId('filter-q');
      if (!search) return;
      event.preventDefault();
      search.focus();
      search.select();
    } else if (event.key === 'Escape' && target?.id === 'filter-q') {
      target.blur();
    }
  });

  document.addEventListener('htmx:after:swap', (event) => {
    // A filter change replaced the tail: what was held belongs to the old filter.
    if (event.target instanceof Element && event.target.id === 'filters') {
      state.held = [];
      state.waiting = 0;
      updatePause();
      updateCount();
    }
    drainIncoming();
    showTimes(document); // already shown times are skipped (data-shown)
    syncSourceOptions();
    updateTitle();
  });

  document.addEventListener('htmx:sse:after:connection', () => setLive('live', 'Live'));
  document.addEventListener('htmx:sse:error', () => setLive('down', 'Reconnecting…'));
  document.addEventListener('htmx:sse:close', (event) => {
    // 'cleanup' and 'removed' are a filter change replacing the connection, not an outage.
    const reason = event.detail?.reason;
    if (reason !== 'cleanup' && reason !== 'removed') setLive('down', 'Reconnecting…');
  });

  const start = () => {
    updateZoneToggle();
    showTimes(document);
    syncSourceOptions();
    updateCount();
    updatePause();
    drainIncoming();
    updateTitle();
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
