// Activity: totals and p50/p95/p99 on top, the requests in flight (cancel), then the
// finished requests with server-side paging and sorting; a row opens its capture.
import { json, post, Unavailable } from '../api.js';
import { on, store } from '../store.js';
import { bytes, duration, fill, h, number, relativeTime, routeQuery, unavailable } from '../util.js';

const columns = [
  ['id', 'id', 'id'], ['time', 'time', null], ['model', 'model', 'model'], ['status', 'status', 'resp_status_code'],
  ['prompt', 'prompt', 'prompt', true], ['cached', 'cached', 'cached', true], ['generated', 'generated', 'generated', true],
  ['prefill', 'prefill tok/s', 'prompt_speed', true], ['decode', 'decode tok/s', 'gen_speed', true],
  ['ttfb', 'first token', null, true], ['queued', 'queued', null, true], ['duration', 'duration', 'duration', true],
  ['cause', 'swap caused', null], ['capture', '', null],
];

function cells(entry) {
  const tokens = entry.tokens || {};
  const cause = entry.start_cause && entry.start_cause !== 'none'
    ? `${entry.start_cause}${entry.evicted?.length ? ` (evicted ${entry.evicted.join(', ')})` : ''}` : '';
  return [
    h('td.num', entry.id), h('td', relativeTime(entry.timestamp)),
    h('td', h('a', { href: `#/models/${encodeURIComponent(entry.model)}` }, entry.model)),
    h('td', { class: entry.resp_status_code >= 400 ? 'error-text' : '', title: entry.error_msg || '' }, entry.resp_status_code),
    h('td.num', number(tokens.input_tokens)), h('td.num', number(tokens.cache_tokens)),
    h('td.num', number(tokens.output_tokens)), h('td.num', number(tokens.prompt_per_second, 1)),
    h('td.num', number(tokens.tokens_per_second, 1)), h('td.num', duration(entry.ttfb_ms)),
    h('td.num', duration(entry.queued_ms)), h('td.num', duration(entry.duration_ms)), h('td', cause),
    h('td', entry.has_capture ? h('button', { type: 'button', onclick: (event) => { event.stopPropagation(); showCapture(entry); } }, 'capture') : ''),
  ];
}

/** The finished-requests table (optionally of one model) into `container`; returns cleanup. */
export function activityTable(container, { model } = {}) {
  const state = { page: 1, limit: 25, sort: 'id', order: 'desc' };
  const head = h('thead');
  const body = h('tbody');
  const pager = h('div.pager');
  const note = h('div');
  container.append(note, h('div.table-wrap', h('table#activity-table', head, body)), pager);
  let timer = null;

  function drawHead() {
    fill(head, h('tr', columns.map(([, label, sort, numeric]) => {
      const mark = state.sort === sort ? (state.order === 'desc' ? ' ▾' : ' ▴') : '';
      const content = sort ? h('button.sort', { type: 'button', onclick: () => {
        state.order = state.sort === sort && state.order === 'desc' ? 'asc' : 'desc';
        state.sort = sort; state.page = 1; load();
      } }, label + mark) : label;
      return h(numeric ? 'th.num' : 'th', content);
    })));
  }

  async function load() {
    const query = new URLSearchParams({ page: state.page, limit: state.limit, sort: state.sort, order: state.order });
    if (model) query.append('model', model);
    let result;
    try {
      result = await json(`/api/metrics/activity?${query}`);
    } catch (error) {
      fill(note, error instanceof Unavailable
        ? unavailable('The request history', '/api/metrics/activity') : h('p.error-text', error.message));
      fill(body); fill(pager);
      return;
    }
    fill(note);
    drawHead();
    fill(body, result.data.length ? result.data.map((entry) => h('tr.clickable', {
      dataset: { id: entry.id }, onclick: () => entry.has_capture && showCapture(entry),
    }, cells(entry))) : h('tr', h('td.muted', { colspan: columns.length }, 'No requests yet.')));
    fill(pager,
      h('button', { type: 'button', disabled: state.page <= 1, onclick: () => { state.page -= 1; load(); } }, '‹ newer'),
      h('span.muted', `page ${result.page} of ${Math.max(1, result.total_pages)} · ${result.total} requests`),
      h('button', { type: 'button', disabled: state.page >= result.total_pages, onclick: () => { state.page += 1; load(); } }, 'older ›'));
  }

  // New rows arrive as `activity` events: refetch at most once a second, on the first page.
  const stop = on('activity', () => {
    if (state.page !== 1 || timer) return;
    timer = setTimeout(() => { timer = null; load(); }, 1000);
  });
  load();
  return () => { stop(); clearTimeout(timer); };
}

/** The in-flight table (optionally of one model) into `container`; returns cleanup. */
export function inflightTable(container, { model } = {}) {
  const rows = new Map();
  const empty = h('tr', h('td.muted', { colspan: 8 }, 'Nothing in flight.'));
  const body = h('tbody', empty);
  const wrap = h('div.table-wrap');
  container.append(wrap);
  wrap.append(h('table#inflight-table',
    h('thead', h('tr', h('th', ''), h('th.num', 'elapsed'), h('th', 'state'), h('th', 'model'), h('th', 'request'),
      h('th', 'address'), h('th', 'session'), h('th.num', 'received'))), body));
  const seenAt = new Map();

  function draw() {
    const entries = [...store.inflight.values()].filter((entry) => !model || entry.model === model);
    const sessionHeaders = store.uiConfig?.activity?.session_id || [];
    // Rows are kept by id and only their cells change, so a cancel button stays the same
    // element (and keeps focus) while its request streams.
    for (const [id, row] of rows) {
      if (!store.inflight.has(id) || (model && store.inflight.get(id).model !== model)) { row.remove(); rows.delete(id); }
    }
    for (const entry of entries) {
      if (!seenAt.has(entry.id)) seenAt.set(entry.id, Date.now() - (entry.elapsed_ms || 0));
      const headers = Object.fromEntries(Object.entries(entry.req_headers || {}).map(([k, v]) => [k.toLowerCase(), v]));
      const session = sessionHeaders.map((name) => headers[name.toLowerCase()]).find(Boolean) || '';
      let row = rows.get(entry.id);
      if (!row) {
        const cancel = h('button', { type: 'button', title: 'Cancel this request', 'data-action': 'cancel', onclick: async () => {
          cancel.disabled = true;
          try { await post(`/api/inflight/${entry.id}/cancel`); } catch (error) { cancel.title = error.message; }
        } }, '✕ cancel');
        row = h('tr', { dataset: { id: entry.id } }, h('td', cancel), h('td.num'), h('td'), h('td'), h('td'), h('td'), h('td'), h('td.num'));
        rows.set(entry.id, row);
        body.append(row);
      }
      const texts = [null, duration(Date.now() - seenAt.get(entry.id)), entry.state || (entry.queued ? 'queued' : 'sending'),
        entry.model, `${entry.method || 'POST'} ${entry.req_path}`, entry.remote_ip || '', session, bytes(entry.resp_bytes)];
      texts.forEach((text, index) => { if (text !== null && row.cells[index].textContent !== text) row.cells[index].textContent = text; });
    }
    empty.hidden = entries.length > 0;
  }
  const stops = [on('inflight', draw), on('connection', draw)];
  const ticker = setInterval(() => { if (store.inflight.size) draw(); }, 250);
  draw();
  return () => { stops.forEach((stop) => stop()); clearInterval(ticker); };
}

function histogram(title, value) {
  if (!value) return h('div.card', h('div.label', title), h('div.muted', 'no data yet'));
  const max = Math.max(...value.bins, 1);
  return h('div.card', { style: 'grid-column: span 2' }, h('div.label', title),
    h('div.histogram', { title: `${number(value.min, 1)} … ${number(value.max, 1)}` },
      value.bins.map((count) => h('span', { style: `height:${(100 * count) / max}%` }))),
    h('div.mono', `p50 ${number(value.p50, 1)} · p95 ${number(value.p95, 1)} · p99 ${number(value.p99, 1)}`));
}

function stats(container, { model } = {}) {
  async function load() {
    let result;
    try { result = await json(`/api/metrics/stats${model ? `?model=${encodeURIComponent(model)}` : ''}`); } catch (error) {
      fill(container, error instanceof Unavailable ? unavailable('Request statistics', '/api/metrics/stats') : h('p.error-text', error.message));
      return;
    }
    const card = (label, value) => h('div.card', h('div.value', value), h('div.label', label));
    const ttfb = result.ttfb_histogram;
    fill(container, h('div#activity-stats.cards',
      card('requests', number(result.total_requests)), card('prompt tokens', number(result.total_input_tokens)),
      card('cached tokens', number(result.total_cache_tokens)), card('generated tokens', number(result.total_output_tokens)),
      histogram('prefill tok/s', result.prompt_histogram), histogram('decode tok/s', result.gen_histogram),
      ttfb !== undefined ? histogram('time to first token (ms)', ttfb) : null));
  }
  // At most once a second, however fast requests finish.
  let timer = null;
  const stop = on('activity', () => { timer = timer || setTimeout(() => { timer = null; load(); }, 1000); });
  load();
  return () => { stop(); clearTimeout(timer); };
}

/** The capture of a finished request in a dialog: request and response, streams reassembled. */
export async function showCapture(entry) {
  const dialog = h('dialog#capture');
  document.body.append(dialog);
  dialog.addEventListener('close', () => dialog.remove());
  const content = h('div', h('p.muted', 'Loading…'));
  dialog.append(h('div.toolbar', h('h1', `Request ${entry.id} · ${entry.model} · ${entry.req_path}`), h('span.spacer'),
    h('button', { type: 'button', onclick: () => dialog.close() }, 'close')), content);
  dialog.showModal();
  let capture;
  try { capture = await json(`/api/captures/${entry.id}`); } catch (error) {
    fill(content, error instanceof Unavailable ? h('p.note', 'No capture for this request (not kept, or evicted).') : h('p.error-text', error.message));
    return;
  }
  const decode = (base64) => {
    try { return new TextDecoder().decode(Uint8Array.from(atob(base64 || ''), (c) => c.charCodeAt(0))); } catch { return ''; }
  };
  const pretty = (text) => { try { return JSON.stringify(JSON.parse(text), null, 2); } catch { return text; } };
  const headers = (object) => h('pre', Object.entries(object || {}).map(([k, v]) => `${k}: ${v}`).join('\n'));
  const response = decode(capture.resp_body);
  const streamed = /^data:/m.test(response);
  let reassembled = null;
  if (streamed) {
    let reasoning = '';
    let text = '';
    for (const line of response.split('\n')) {
      if (!line.startsWith('data:')) continue;
      try {
        const chunk = JSON.parse(line.slice(5));
        if (chunk.id === 'swap-loading') continue;
        const delta = chunk.choices?.[0]?.delta || {};
        reasoning += delta.reasoning_content || delta.reasoning || chunk.delta?.thinking || '';
        text += delta.content || (chunk.delta?.type === 'text_delta' ? chunk.delta.text : '') || '';
      } catch { /* [DONE] and non-JSON lines */ }
    }
    reassembled = [reasoning ? [h('h2', 'Reasoning'), h('pre', reasoning)] : null, h('h2', 'Content'), h('pre', text)];
  }
  fill(content,
    entry.error_msg ? h('p.error-text', entry.error_msg) : null,
    h('h2', 'Request headers'), headers(capture.req_headers),
    h('h2', 'Request body'), h('pre', pretty(decode(capture.req_body))),
    h('h2', 'Response headers'), headers(capture.resp_headers),
    reassembled,
    h('details', h('summary', 'Response body'), h('pre', streamed ? response : pretty(response))));
}

export function render(main) {
  const model = routeQuery().get('model') || undefined;
  const top = h('div');
  const inflight = h('div');
  const table = h('div');
  main.append(h('div.toolbar', h('h1', model ? `Activity of ${model}` : 'Activity'),
    model ? h('a', { href: '#/activity' }, 'all models') : null), top, h('h2', 'In flight'), inflight, h('h2', 'Requests'), table);
  const cleanups = [stats(top, { model }), inflightTable(inflight, { model }), activityTable(table, { model })];
  return () => cleanups.forEach((cleanup) => cleanup());
}
