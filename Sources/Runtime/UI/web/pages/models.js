// Models: every model with its live state, memory, requests in flight and queued, and
// load/unload; a starting model shows how long it has been starting and its latest log
// line. Selectors, aliases and the active profile's pins below.
import { json, post, streamLines } from '../api.js';
import { on, store } from '../store.js';
import { bytes, duration, fill, h, stateBadge } from '../util.js';

/** Loads a model the way llama-swap's UI does: a request to its server's root. */
export async function loadModel(id, signal) {
  await fetch(`/upstream/${encodeURIComponent(id)}/?_=${Date.now()}`, { signal }).catch(() => {});
}

/** Unloads one model. */
export function unloadModel(id) { return post(`/api/models/unload/${id}`); }

/** The load/unload button for a model in `state`. */
export function loadButton(entry) {
  if (entry.peerID) return h('span.muted', 'peer');
  if (entry.state === 'ready') {
    return h('button', { type: 'button', title: `Unload ${entry.id}`, 'data-action': 'unload', onclick: () => unloadModel(entry.id) }, '⏏ unload');
  }
  if (entry.state === 'stopped' || entry.state === 'failed' || !entry.state) {
    return h('button', { type: 'button', title: `Load ${entry.id}`, 'data-action': 'load', onclick: async (event) => {
      const button = event.currentTarget;
      button.disabled = true;
      await loadModel(entry.id);
      button.disabled = false;
    } }, '▶ load');
  }
  return h('button', { type: 'button', disabled: true }, '…');
}

export function render(main) {
  const summary = h('span.muted');
  const unloadAll = h('button', { type: 'button', onclick: () => post('/api/models/unload') }, 'Unload all');
  const showUnlisted = h('input', { type: 'checkbox', id: 'show-unlisted' });
  const body = h('tbody');
  const extras = h('div');
  main.append(
    h('div.toolbar', h('h1', 'Models'), summary, h('span.spacer'),
      h('label.muted', showUnlisted, ' show unlisted'), unloadAll),
    h('div.table-wrap', h('table#models-table',
      h('thead', h('tr', h('th', 'model'), h('th', 'state'), h('th.num', 'memory'), h('th.num', 'in flight'),
        h('th.num', 'queued'), h('th.num', 'ttl'), h('th', 'actions'))),
      body)),
    extras);

  const rowCache = new Map();
  const startedAt = new Map();
  const latestLine = new Map();
  const tails = new Map();

  // While a model starts, its log stream gives the latest line (what it is doing).
  function followStart(id) {
    if (tails.has(id)) return;
    const controller = new AbortController();
    tails.set(id, controller);
    streamLines(`/logs/stream/${id}`, (line) => {
      const text = line.replace(/^\[[^\]]*\] /, '').trim();
      if (text) { latestLine.set(id, text); tick(); }
    }, controller.signal).catch(() => {});
  }

  // "└ 3.4 s · "llama_model_load: loading tensors"": how long it has been starting, its latest line.
  function startingText(id) {
    const line = latestLine.get(id);
    return `└ ${duration(Date.now() - startedAt.get(id))}${line ? ` · "${line}"` : ' · waiting for output'}`;
  }

  function draw() {
    const plan = store.plan?.models || {};
    const all = store.models;
    const visible = all.filter((entry) => showUnlisted.checked || !entry.unlisted);
    const ready = all.filter((entry) => entry.state === 'ready').length;
    summary.textContent = `${ready} ready / ${all.length}`;
    unloadAll.disabled = !all.some((entry) => entry.state === 'ready' || entry.state === 'starting');
    const rows = [];
    const seen = new Set();
    for (const entry of visible) {
      const state = entry.state || (entry.peerID ? 'peer' : 'stopped');
      if (state === 'starting' && !startedAt.has(entry.id)) startedAt.set(entry.id, Date.now());
      if (state !== 'starting') {
        startedAt.delete(entry.id);
        latestLine.delete(entry.id);
        tails.get(entry.id)?.abort();
        tails.delete(entry.id);
      } else followStart(entry.id);
      const ttl = plan[entry.id]?.ttl;
      // A row is rebuilt only when what it shows changed (memory is updated in place), so
      // its buttons stay the same elements while memory samples arrive.
      const signature = JSON.stringify([entry.name, entry.aliases, entry.unlisted, state, entry.in_flight, entry.queued, ttl]);
      let cached = rowCache.get(entry.id);
      if (!cached || cached.signature !== signature) {
        cached = { signature, row: h('tr', { dataset: { model: entry.id, state } },
          h('td', h('a', { href: `#/models/${encodeURIComponent(entry.id)}` }, entry.id),
            entry.name && entry.name !== entry.id ? h('span.muted', ` ${entry.name}`) : null,
            entry.aliases?.length ? h('span.muted', ` · ${entry.aliases.join(', ')}`) : null,
            entry.unlisted ? h('span.muted', ' (unlisted)') : null),
          h('td', stateBadge(state)),
          h('td.num'),
          h('td.num', entry.in_flight ?? '—'),
          h('td.num', entry.queued ?? '—'),
          h('td.num'),
          h('td', loadButton({ ...entry, state }), ' ', h('a', { href: `#/models/${encodeURIComponent(entry.id)}?tab=logs` }, 'logs'))),
        sub: state === 'starting' ? h('tr.sub', { dataset: { startingOf: entry.id } }, h('td', { colspan: 7 }, startingText(entry.id))) : null };
        rowCache.set(entry.id, cached);
      }
      seen.add(entry.id);
      const memoryCell = cached.row.cells[2];
      const memory = entry.memory ? entry.memory.gpu_bytes ?? entry.memory.rss_bytes : null;
      memoryCell.textContent = bytes(memory);
      memoryCell.title = entry.memory
        ? `rss ${bytes(entry.memory.rss_bytes)}, swap ${bytes(entry.memory.swap_bytes)}, gpu ${bytes(entry.memory.gpu_bytes)}` : 'not reported';
      cached.row.cells[5].dataset.deadline = entry.ttlDeadline ?? '';
      cached.row.cells[5].title = ttl ? `ttl ${duration(ttl * 1000)}; counts down while the model is idle` : 'no ttl';
      ttlCell(cached.row.cells[5], ttl);
      rows.push(cached.row);
      if (cached.sub) rows.push(cached.sub);
    }
    for (const id of rowCache.keys()) if (!seen.has(id)) rowCache.delete(id);
    if (!rows.length) rows.push(h('tr', h('td.muted', { colspan: 7 }, all.length ? 'All models are unlisted.' : 'Loading…')));
    const shown = [...body.children];
    if (shown.length !== rows.length || shown.some((row, index) => row !== rows[index])) fill(body, rows);
  }

  async function drawExtras() {
    let list;
    try { list = await json('/v1/models'); } catch { return; }
    const records = list.data || [];
    const selectors = records.filter((record) => record.meta?.llamaswap?.type === 'selector');
    const pins = store.profiles.profiles?.find((profile) => profile.id === store.profiles.active)?.pins;
    const aliases = Object.entries(store.plan?.names || {}).filter(([name, id]) => name !== id);
    fill(extras,
      pins ? [h('h2', `Profile ${store.profiles.active}`), h('table', h('tbody',
        Object.entries(pins).map(([id, target]) => h('tr', h('td', id), h('td', '→ ', target ?? 'disabled')))))] : null,
      selectors.length ? [h('h2', 'Selectors'), h('table', h('tbody', selectors.map((record) => h('tr',
        h('td', record.id), h('td.muted', record.meta.llamaswap.strategy || ''),
        h('td.wrap', (record.meta.llamaswap.targets || []).join(', '))))))] : null,
      aliases.length ? [h('h2', 'Aliases'), h('table', h('tbody', aliases.map(([name, id]) => h('tr',
        h('td', name), h('td', '→ ', h('a', { href: `#/models/${encodeURIComponent(id)}` }, id))))))] : null);
  }

  // The TTL column: time left before an idle model is unloaded, else the configured ttl.
  function ttlCell(cell, ttl) {
    const deadline = Number(cell.dataset.deadline);
    cell.textContent = deadline ? `${duration(Math.max(0, deadline - Date.now()))} left` : ttl ? duration(ttl * 1000) : '—';
  }

  showUnlisted.addEventListener('change', draw);
  // Only the starting rows' text changes between events, so the buttons stay the same elements.
  function tick() {
    for (const row of body.rows) if (row.cells[5]?.dataset.deadline) ttlCell(row.cells[5], null);
    for (const id of startedAt.keys()) {
      const cell = body.querySelector(`tr[data-starting-of="${CSS.escape(id)}"] td`);
      if (cell) cell.textContent = startingText(id);
    }
  }
  const ticker = setInterval(tick, 500);
  const stops = [on('models', draw), on('plan', () => { draw(); drawExtras(); }), on('profiles', drawExtras)];
  draw();
  drawExtras();
  return () => {
    clearInterval(ticker);
    stops.forEach((stop) => stop());
    for (const controller of tails.values()) controller.abort();
  };
}
