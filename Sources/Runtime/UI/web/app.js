// The shell: hash routes (#/models, #/models/<id>, #/activity?model=x, ...), the header
// (connection state, profile switcher, theme, version) and one page mounted at a time.
import { json } from './api.js';
import { on, refreshProfiles, start, store } from './store.js';
import { h } from './util.js';
import * as models from './pages/models.js';
import * as model from './pages/model.js';
import * as activity from './pages/activity.js';
import * as logs from './pages/logs.js';
import * as playground from './pages/playground.js';
import * as config from './pages/config.js';
import * as system from './pages/system.js';

const pages = { models, activity, logs, playground, config, system };
const main = document.getElementById('main');
let unmount = null;

/** The route in the hash: page name, the rest of the path, and the query. */
function route() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path] = hash.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { page: parts[0] || 'models', rest: parts.slice(1) };
}

function show() {
  if (unmount) { unmount(); unmount = null; }
  const { page, rest } = route();
  let module = pages[page];
  if (page === 'models' && rest.length) module = model;
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.page === page) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  main.replaceChildren();
  if (!module) {
    main.append(h('h1', 'Not found'), h('p', `No page "${page}". `, h('a', { href: '#/models' }, 'Models')));
    return;
  }
  document.title = `swap · ${page}`;
  unmount = module.render(main, rest.join('/')) || null;
}

// A path such as /ui/models (llama-swap's links, /upstream's redirect) becomes #/models.
const path = location.pathname.replace(/^\/ui\/?/, '').replace(/index\.html$/, '');
if (path && !location.hash) history.replaceState(null, '', `/ui/#/${path}`);

function showConnection(state) {
  const element = document.getElementById('connection');
  element.dataset.state = state;
  const labels = { connected: 'live', connecting: 'connecting', reconnecting: 'reconnecting…' };
  element.querySelector('.label').textContent = labels[state] || state;
  element.title = 'Live updates from /api/events';
}

function showProfiles({ active, profiles }) {
  const picker = document.getElementById('profile-picker');
  const select = document.getElementById('profile');
  picker.hidden = !profiles?.length;
  select.replaceChildren(h('option', { value: '' }, 'none'),
    ...(profiles || []).map((profile) => h('option', { value: profile.id, title: profile.description || '' }, profile.id)));
  select.value = active || '';
}

document.getElementById('profile').addEventListener('change', async (event) => {
  const name = event.target.value || null;
  try { await json('/api/profiles/active', { method: 'PUT', body: { name } }); } catch (error) { alert(error.message); }
  refreshProfiles();
});

const themes = ['auto', 'light', 'dark'];
function applyTheme(theme) {
  if (theme === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  document.getElementById('theme').textContent = `◐ ${theme}`;
}
document.getElementById('theme').addEventListener('click', () => {
  const next = themes[(themes.indexOf(localStorage.getItem('swap.theme') || 'auto') + 1) % themes.length];
  localStorage.setItem('swap.theme', next);
  applyTheme(next);
});
applyTheme(localStorage.getItem('swap.theme') || 'auto');

on('connection', showConnection);
on('profiles', showProfiles);
json('/api/version')
  .then((version) => {
    document.getElementById('version').textContent = `v${String(version.version).replace(/^v/, '')}`;
    document.getElementById('version').title = `commit ${version.commit || '?'}, built ${version.build_date || '?'}`;
  })
  .catch(() => {});
showConnection(store.connection);
window.addEventListener('hashchange', show);
start();
show();
