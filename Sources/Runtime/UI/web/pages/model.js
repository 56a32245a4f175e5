// One model: state and actions, then tabs: its activity, its live logs, its effective plan
// (argv, env names, proxy, locks with where each was declared).
import { on, store } from '../store.js';
import { fill, h, routeQuery, stateBadge } from '../util.js';
import { activityTable, inflightTable } from './activity.js';
import { logPanel } from './logs.js';
import { loadButton } from './models.js';
import { locksView } from './config.js';

export function render(main, id) {
  const header = h('div.toolbar');
  const tabs = h('div.tabs', { role: 'tablist' });
  const panel = h('div');
  main.append(header, tabs, panel);
  let cleanup = null;
  const names = { activity: 'Activity', logs: 'Logs', plan: 'Plan' };

  function drawHeader() {
    const entry = store.models.find((model) => model.id === id) || { id, state: 'stopped' };
    fill(header, h('h1', id), stateBadge(entry.state), entry.in_flight ? h('span.muted', `${entry.in_flight} in flight`) : null,
      entry.queued ? h('span.muted', `${entry.queued} queued`) : null, loadButton(entry),
      h('a', { href: `/upstream/${encodeURIComponent(id)}/`, target: '_blank', rel: 'noopener' }, 'open model server'),
      h('a', { href: '#/models' }, 'all models'));
  }

  function plan(container) {
    const model = store.plan?.models?.[id];
    if (!model) { container.append(h('p.muted', store.plan ? 'Not a model of the running plan.' : 'Loading…')); return null; }
    container.append(h('dl.kv',
      h('dt', 'command'), h('dd', h('pre', (model.argv || []).join(' '))),
      h('dt', 'environment'), h('dd', (model.env || []).map((entry) => String(entry).split('=')[0]).join(', ') || '—'),
      h('dt', 'proxy'), h('dd', h('code', model.proxy || '')),
      h('dt', 'group'), h('dd', model.group || '—'),
      h('dt', 'aliases'), h('dd', (model.aliases || []).join(', ') || '—'),
      h('dt', 'ttl'), h('dd', model.ttl ? `${model.ttl} s` : 'none'),
      h('dt', 'concurrency'), h('dd', String(model.concurrencyLimit ?? '—'))),
    h('h2', 'Locks'), locksView(model));
    return null;
  }

  function select(tab) {
    if (cleanup) cleanup();
    cleanup = null;
    panel.replaceChildren();
    fill(tabs, Object.entries(names).map(([key, label]) => h('button', {
      type: 'button', role: 'tab', 'aria-selected': String(key === tab), onclick: () => {
        history.replaceState(null, '', `#/models/${encodeURIComponent(id)}?tab=${key}`);
        select(key);
      },
    }, label)));
    if (tab === 'logs') cleanup = logPanel(panel, id);
    else if (tab === 'plan') cleanup = plan(panel);
    else {
      const inflight = h('div');
      const table = h('div');
      panel.append(h('h2', 'In flight'), inflight, h('h2', 'Requests'), table);
      const stops = [inflightTable(inflight, { model: id }), activityTable(table, { model: id })];
      cleanup = () => stops.forEach((stop) => stop());
    }
  }

  const stops = [on('models', drawHeader), on('plan', () => { drawHeader(); })];
  drawHeader();
  select(routeQuery().get('tab') || 'activity');
  return () => { stops.forEach((stop) => stop()); if (cleanup) cleanup(); };
}
