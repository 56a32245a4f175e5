// Requests to swap-server. Every call is same-origin, so a browser that answered the Basic
// prompt once sends the key with each of them; the key is never put in a URL or storage.

/** A route this server does not have (404 from a route the UI expects). */
export class Unavailable extends Error {
  constructor(path) { super(`${path} is not available on this server`); this.path = path; }
}

/** An HTTP error with the server's message. */
export class HTTPError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function failure(response, path) {
  if (response.status === 404) {
    const text = await response.text();
    // A 404 naming a model or profile is an answer; "No route" means the route is missing.
    if (!text.includes('"model_not_found"') && !text.includes('"profile_not_found"')) return new Unavailable(path);
    return new HTTPError(404, errorMessage(text));
  }
  return new HTTPError(response.status, errorMessage(await response.text()) || response.statusText);
}

/** The message of an OpenAI-shaped error body, or the text itself. */
export function errorMessage(text) {
  try {
    const body = JSON.parse(text);
    return body?.error?.message || body?.message || body?.error || text;
  } catch { return text; }
}

/** GET (or another method) and parse JSON; throws Unavailable for a missing route. */
export async function json(path, options = {}) {
  const init = { method: options.method || 'GET', headers: { Accept: 'application/json' }, signal: options.signal };
  if (options.body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  const response = await fetch(path, init);
  if (!response.ok) throw await failure(response, path);
  const text = await response.text();
  try { return JSON.parse(text); } catch { return text; }
}

/** POST with an optional JSON body. */
export function post(path, body) { return json(path, { method: 'POST', body }); }

/** Lines of a streamed text response, each handed to onLine, until signal aborts. */
export async function streamLines(path, onLine, signal) {
  const response = await fetch(path, { signal });
  if (!response.ok) throw await failure(response, path);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let pending = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    pending += value;
    const lines = pending.split('\n');
    pending = lines.pop();
    for (const line of lines) onLine(line);
  }
  if (pending) onLine(pending);
}

/** Parses `text/event-stream` bytes: calls onEvent({event, data, id}) per event. */
export function sseParser(onEvent) {
  let buffer = '';
  return (chunk) => {
    buffer += chunk;
    let end;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      const event = { event: 'message', data: '' };
      const data = [];
      for (const line of block.split(/\r?\n/)) {
        if (!line || line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') data.push(value);
        else event[field] = value;
      }
      if (data.length) { event.data = data.join('\n'); onEvent(event); }
    }
  };
}
