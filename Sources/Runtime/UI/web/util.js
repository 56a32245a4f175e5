// Small DOM and formatting helpers shared by the pages. Text goes in with textContent only:
// model output, log lines and config values are untrusted.

/** Creates an element: h('td.num', {title: 'x'}, 'text', childNode, ...); h('table#id.class'). */
export function h(tag, attributes, ...children) {
  const [head, ...classes] = tag.split('.');
  const [name, id] = head.split('#');
  const element = document.createElement(name || 'div');
  if (id) element.id = id;
  if (classes.length) element.className = classes.join(' ');
  if (attributes === undefined || attributes === null) {
    // no attributes, no first child
  } else if (typeof attributes !== 'object' || attributes instanceof Node || Array.isArray(attributes)) {
    children.unshift(attributes);
  } else {
    for (const [key, value] of Object.entries(attributes)) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith('on')) element.addEventListener(key.slice(2), value);
      else if (key === 'dataset') Object.assign(element.dataset, value);
      else element.setAttribute(key, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** Replaces an element's children. */
export function fill(element, ...children) {
  element.replaceChildren();
  for (const child of children.flat(Infinity)) {
    if (child !== undefined && child !== null && child !== false) element.append(child);
  }
  return element;
}

/** "1.5 GiB" for a byte count; "—" for none. */
export function bytes(value) {
  if (value === undefined || value === null || value < 0) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let index = 0;
  let amount = value;
  while (amount >= 1024 && index < units.length - 1) { amount /= 1024; index += 1; }
  return `${amount.toFixed(index === 0 || amount >= 100 ? 0 : 1)} ${units[index]}`;
}

/** "350 ms", "4.2 s", "3m 10s", "2h 5m" for milliseconds. */
export function duration(ms) {
  if (ms === undefined || ms === null || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${Math.floor(seconds % 60)}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

/** "12 s ago" with the absolute time on hover. */
export function relativeTime(iso) {
  if (!iso) return h('span.muted', '—');
  const then = new Date(iso);
  const ago = Date.now() - then.getTime();
  const text = ago < 5000 ? 'just now' : `${duration(ago).replace(/\.\d s$/, ' s')} ago`;
  return h('time', { datetime: iso, title: then.toLocaleString() }, text);
}

/** A number with fixed decimals, "—" for missing or negative ("not reported"). */
export function number(value, decimals = 0) {
  if (value === undefined || value === null || value < 0 || Number.isNaN(value)) return '—';
  return Number(value).toLocaleString(undefined, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** The state dot and label: one colour language everywhere. */
export function stateBadge(state) {
  const name = state || 'unknown';
  return h(`span.state.state-${name}`, h('span.dot', { 'aria-hidden': 'true' }), name);
}

/** A "not available" note for a feature whose route this server does not have. */
export function unavailable(what, route) {
  return h('p.note.unavailable', `${what} is not available: this swap-server does not serve ${route}.`);
}

/** The page's query (after `?` in the hash route) as URLSearchParams. */
export function routeQuery() {
  const hash = location.hash;
  const index = hash.indexOf('?');
  return new URLSearchParams(index < 0 ? '' : hash.slice(index + 1));
}
