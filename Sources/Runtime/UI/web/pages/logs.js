// Logs: proxy, upstream or one model, live; follow or pause, a regex filter, ANSI colours;
// at most 5000 lines kept in the page.
import { json, streamLines, Unavailable } from '../api.js';
import { store } from '../store.js';
import { fill, h, unavailable } from '../util.js';

const maximumLines = 5000;

/** The text with ANSI SGR colours as spans (text nodes only, never HTML). */
export function ansi(text) {
  const parts = [];
  let classes = [];
  const pattern = /\x1b\[([0-9;]*)m/g;
  let last = 0;
  for (let match; (match = pattern.exec(text));) {
    if (match.index > last) parts.push(h('span', { class: classes.join(' ') || null }, text.slice(last, match.index)));
    for (const code of (match[1] || '0').split(';').map(Number)) {
      if (code === 0) classes = [];
      else if (code === 1) classes.push('ansi-bold');
      else if ((code >= 30 && code <= 37) || code === 90) classes = classes.filter((c) => !/^ansi-\d/.test(c)).concat(`ansi-${code === 37 ? 90 : code}`);
      else if (code === 39) classes = classes.filter((c) => !/^ansi-\d/.test(c));
    }
    last = pattern.lastIndex;
  }
  if (last < text.length) parts.push(h('span', { class: classes.join(' ') || null }, text.slice(last)));
  return parts;
}

/** A live log panel of `source` (null: everything) into `container`; returns cleanup. */
export function logPanel(container, source) {
  const lines = [];
  const output = h('div#log-output.log', { role: 'log', 'aria-live': 'off' });
  const filter = h('input', { type: 'search', placeholder: 'filter (regex)', 'aria-label': 'Filter lines by regular expression' });
  const follow = h('input', { type: 'checkbox', checked: true });
  const wrap = h('input', { type: 'checkbox', checked: true });
  const info = h('span.muted');
  container.append(h('div.toolbar', filter, h('label', follow, ' follow'), h('label', wrap, ' wrap'), info), output);
  let pattern = null;

  const matches = (line) => !pattern || pattern.test(line);
  const row = (line) => h('div.line', ansi(line));
  function redraw() {
    fill(output, lines.filter(matches).map(row));
    if (follow.checked) output.scrollTop = output.scrollHeight;
  }
  function add(line) {
    lines.push(line);
    if (lines.length > maximumLines) {
      lines.splice(0, lines.length - maximumLines);
      if (output.childElementCount > maximumLines) output.firstChild.remove();
    }
    if (!matches(line)) return;
    output.append(row(line));
    if (follow.checked) output.scrollTop = output.scrollHeight;
  }
  filter.addEventListener('input', () => {
    try { pattern = filter.value ? new RegExp(filter.value, 'i') : null; filter.setCustomValidity(''); info.textContent = ''; }
    catch { filter.setCustomValidity('not a regular expression'); info.textContent = 'not a regular expression'; return; }
    redraw();
  });
  wrap.addEventListener('change', () => output.classList.toggle('nowrap', !wrap.checked));
  output.addEventListener('scroll', () => {
    const atBottom = output.scrollHeight - output.scrollTop - output.clientHeight < 20;
    if (follow.checked !== atBottom) follow.checked = atBottom;
  });

  const controller = new AbortController();
  (async () => {
    try {
      const history = await json('/logs').catch(() => '');
      // History lines start with their source; `upstream` is every source but the proxy.
      const wanted = (line) => !source || (source === 'upstream'
        ? !line.startsWith('[proxy] ') : line.startsWith(`[${source}] `));
      for (const line of String(history).split('\n')) if (line && wanted(line)) add(line);
      await streamLines(source ? `/logs/stream/${source}` : '/logs/stream', add, controller.signal);
    } catch (error) {
      if (error.name === 'AbortError') return;
      output.append(error instanceof Unavailable ? unavailable('This log', `/logs/stream/${source}`) : h('p.error-text', error.message));
    }
  })();
  return () => controller.abort();
}

export function render(main) {
  const sources = h('select', { 'aria-label': 'Log source' },
    h('option', { value: '' }, 'all'), h('option', { value: 'proxy' }, 'proxy'), h('option', { value: 'upstream' }, 'upstream'),
    store.models.filter((model) => !model.peerID).map((model) => h('option', { value: model.id }, model.id)));
  const panel = h('div');
  main.append(h('div.toolbar', h('h1', 'Logs'), sources), panel);
  let cleanup = logPanel(panel, null);
  sources.addEventListener('change', () => {
    cleanup();
    panel.replaceChildren();
    cleanup = logPanel(panel, sources.value || null);
  });
  return () => cleanup();
}
