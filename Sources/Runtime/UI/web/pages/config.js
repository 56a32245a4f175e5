// Config: the running plan (models, groups, peers, profiles, each effective lock with
// where it was declared), the last reload (trigger, time, result, what it changed) with
// its diagnostics as swap-lint prints them, and "reload now".
import { json, post } from '../api.js';
import { on, refreshPlan, store } from '../store.js';
import { fill, h, relativeTime } from '../util.js';

const show = (value) => (value === undefined ? '—' : JSON.stringify(value));

/** The effective locks of a plan model, each with where it was declared. */
export function locksView(model) {
  const locks = model.locks || {};
  const provenance = model.lockProvenance || {};
  const rows = [];
  const origin = (key) => (provenance[key] || []).map((place) =>
    `${place.kind} by ${place.level}, ${place.span.file}:${place.span.start.line}:${place.span.start.column}`).join('; ');
  for (const [key, value] of Object.entries(locks.set || {})) rows.push(['set', key, show(value), origin(key)]);
  for (const [key, value] of Object.entries(locks.clamp || {})) rows.push(['clamp', key, show(value), origin(key)]);
  for (const [key, value] of Object.entries(locks.defaults || {})) rows.push(['default', key, show(value), origin(key)]);
  for (const key of locks.strip || []) rows.push(['strip', key, '', origin(key)]);
  if (!rows.length) return h('p.muted', 'No locks: requests reach the model as sent.');
  return h('table.locks', h('thead', h('tr', h('th', 'lock'), h('th', 'parameter'), h('th', 'value'), h('th', 'declared at'))),
    h('tbody', rows.map((row) => h('tr', row.map((cell, index) => h(index === 3 ? 'td.mono' : 'td', cell))))));
}

/** One diagnostic as swap-lint's human output: header, file:line:col, source line, caret, help. */
export function diagnosticText(diagnostic) {
  const lines = [diagnostic.line, ...(diagnostic.notes || []).map((note) => note.line)];
  const gutter = String(Math.max(...lines)).length;
  const pad = ' '.repeat(gutter);
  const snippet = (place, endColumn) => {
    const out = [`${pad}--> ${place.file}:${place.line}:${place.column}`];
    if (place.source_line === null || place.source_line === undefined) return out;
    const text = Array.from(place.source_line);
    const start = Math.max(0, place.column - 1);
    const end = Math.max(start + 1, (endColumn || place.column + 1) - 1);
    out.push(`${pad} |`, `${String(place.line).padEnd(gutter)} | ${text.join('')}`,
      `${pad} | ${' '.repeat(start)}^${'~'.repeat(Math.max(0, Math.min(end, text.length + 1) - start - 1))}`);
    return out;
  };
  const out = [`${diagnostic.severity}[${diagnostic.code}]: ${diagnostic.message}`, ...snippet(diagnostic, diagnostic.end_column)];
  for (const note of diagnostic.notes || []) out.push(`note: ${note.message}`, ...snippet(note, null));
  if (diagnostic.help) out.push(`${pad} = help: ${diagnostic.help.split('\n').join(`\n${pad}         `)}`);
  return out;
}

function diagnosticView(diagnostic) {
  const [first, ...rest] = diagnosticText(diagnostic);
  const colon = first.indexOf(':');
  return h('div.diagnostic', { dataset: { code: diagnostic.code, line: diagnostic.line, column: diagnostic.column } },
    h('pre', h(`span.sev-${diagnostic.severity}`, first.slice(0, colon)), h('b', first.slice(colon)), '\n', rest.join('\n')));
}

function reloadView(attempt, result) {
  if (!attempt) return h('p.muted', 'Loading…');
  const changes = attempt.changes || result?.diff && {
    restarted: result.diff.restart, updated: result.diff.applyLive, added: result.diff.added, removed: result.diff.removed,
  };
  const errors = (attempt.diagnostics || []).filter((d) => d.severity === 'error').length;
  const step = (label, ok) => h(`span.step.${ok === undefined ? 'plain' : ok ? 'ok' : 'bad'}`, label);
  const changed = changes ? Object.entries(changes).filter(([, ids]) => ids?.length) : [];
  return h('div#last-reload',
    h('div.timeline',
      step(attempt.trigger), '→', step(`compile: ${errors ? `${errors} error${errors > 1 ? 's' : ''}` : 'ok'}`, !errors), '→',
      step(attempt.success ? (changed.length ? `${changed.length} kind${changed.length > 1 ? 's' : ''} of change` : 'no model changed') : 'kept the previous plan', attempt.success),
      '→', step(attempt.success ? 'applied' : 'failed', attempt.success),
      h('span.muted', ' · '), relativeTime(attempt.at), h('span.muted', ` · source ${attempt.sourceHash || '—'}`)),
    changed.length ? h('dl.kv', changed.flatMap(([kind, ids]) => [h('dt', kind), h('dd', ids.join(', '))])) : null,
    (attempt.diagnostics || []).length
      ? h('div#diagnostics', attempt.diagnostics.map(diagnosticView))
      : h('p.ok-text', 'No diagnostics.'));
}

function planView(plan) {
  if (!plan) return h('p.muted', 'Loading…');
  const section = (title, open, ...content) => h('details.tree', { open }, h('summary', title), ...content);
  const models = Object.values(plan.models || {}).sort((a, b) => a.id.localeCompare(b.id));
  const groups = plan.routing?.groups || [];
  return h('div#plan',
    section(`models (${models.length})`, true, models.map((model) => section(model.id, false,
      h('dl.kv', h('dt', 'command'), h('dd', h('code', (model.argv || []).join(' '))), h('dt', 'proxy'), h('dd', model.proxy),
        h('dt', 'group'), h('dd', model.group || '—'), h('dt', 'aliases'), h('dd', (model.aliases || []).join(', ') || '—'),
        h('dt', 'ttl'), h('dd', model.ttl ? `${model.ttl} s` : 'none')),
      locksView(model)))),
    section(`routing: ${plan.routing?.engine || '—'}`, false,
      groups.map((group) => h('div', h('b', group.name || group.id || 'group'), ': ', (group.members || []).join(', '),
        group.swap !== undefined ? h('span.muted', ` (swap ${group.swap})`) : null)),
      (plan.routing?.matrixSets || []).length ? h('pre', JSON.stringify(plan.routing.matrixSets, null, 2)) : null),
    section(`peers (${Object.keys(plan.peers || {}).length})`, false, h('pre', JSON.stringify(plan.peers || {}, null, 2))),
    section(`profiles (${Object.keys(plan.profiles || {}).length})`, false, h('pre', JSON.stringify(plan.profiles || {}, null, 2))),
    section('settings', false, h('pre', JSON.stringify(plan.settings || {}, null, 2))));
}

export function render(main) {
  const reload = h('div');
  const planSection = h('div');
  const message = h('span#reload-message.muted', { role: 'status' });
  let lastResult = null;
  const button = h('button#reload-now', { type: 'button', onclick: async () => {
    button.disabled = true;
    message.textContent = 'reloading…';
    try {
      // A local: the configReload event of this very reload may clear lastResult meanwhile.
      const result = await post('/api/config/reload');
      lastResult = result;
      message.textContent = result.success ? (result.unchanged ? 'unchanged' : 'applied') : 'rejected';
      const status = await json('/api/config/status');
      store.status = status;
      drawReload();
      if (result.success) refreshPlan();
    } catch (error) { message.textContent = error.message; }
    button.disabled = false;
  } }, 'Reload now');
  main.append(h('div.toolbar', h('h1', 'Config'), h('span.spacer'), message, button),
    h('h2', 'Last reload'), reload, h('h2', 'Running plan'), planSection);
  const drawReload = () => fill(reload, reloadView(store.status?.lastAttempt, lastResult));
  const drawPlan = () => fill(planSection, planView(store.plan));
  const stops = [on('configReload', () => { lastResult = null; drawReload(); }), on('plan', drawPlan)];
  drawReload();
  drawPlan();
  if (!store.status) json('/api/config/status').then((status) => { store.status = status; drawReload(); }).catch(() => {});
  return () => stops.forEach((stop) => stop());
}
