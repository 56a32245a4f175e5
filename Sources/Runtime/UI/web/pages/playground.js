// Playground: a streaming chat with any model or alias (OpenAI chat or Anthropic messages),
// with the parameters the server's locks changed shown before the first token, the
// loading phase shown as status (never as the answer), cancel, and quick embeddings and
// rerank checks (rerank where the model declares `reranker`). The conversation lives while the page is open.
import { errorMessage, json, sseParser } from '../api.js';
import { on, store } from '../store.js';
import { duration, fill, h } from '../util.js';

const session = `swpg-${Math.random().toString(36).slice(2, 7)}`;
const conversation = [];

/** "temperature 1.2 → 0, locked by model `coder` (set, config.yaml:17:9)" per entry of
 *  X-Swap-Lock-Changes; `model` (as requested) finds the lock's level in the plan. */
export function lockNotes(header, model) {
  if (!header) return [];
  let changes;
  try { changes = JSON.parse(header); } catch { return []; }
  const id = store.plan?.names?.[model] || model;
  const provenance = store.plan?.models?.[id]?.lockProvenance || {};
  return changes.map((change) => {
    const sent = change.sent === null || change.sent === undefined ? 'unset' : change.sent;
    const forwarded = change.forwarded === null || change.forwarded === undefined ? 'removed' : change.forwarded;
    const origins = provenance[change.key] || [];
    const level = (origins.find((origin) => origin.kind === change.action) || origins[0])?.level;
    const where = [change.action, change.declared_at].filter(Boolean).join(', ');
    return `${change.key} ${sent} → ${forwarded}${level ? `, locked by ${level}` : ''}${where ? ` (${where})` : ''}`;
  });
}

export function render(main) {
  const model = h('select#pg-model', { 'aria-label': 'Model' });
  const endpoint = h('select#pg-endpoint', { 'aria-label': 'Endpoint' },
    h('option', { value: 'chat' }, 'chat · /v1/chat/completions'), h('option', { value: 'messages' }, 'chat · /v1/messages'),
    h('option', { value: 'embeddings' }, 'embeddings · /v1/embeddings'), h('option', { value: 'rerank' }, 'rerank · /v1/rerank'));
  const system = h('textarea#pg-system', { rows: 3, placeholder: 'optional' });
  const temperature = h('input#pg-temperature', { type: 'number', step: '0.1', min: '0', max: '2', value: '0.7' });
  const maxTokens = h('input#pg-max-tokens', { type: 'number', min: '1', value: '512' });
  const input = h('textarea#pg-input', { rows: 3, placeholder: 'Message (Ctrl+Enter sends)' });
  const send = h('button#pg-send', { type: 'submit' }, 'Send');
  const cancel = h('button#pg-cancel', { type: 'button', disabled: true }, 'Cancel');
  const clear = h('button', { type: 'button', onclick: () => { conversation.length = 0; fill(chat); } }, 'New chat');
  const chat = h('div#pg-chat.chat');
  const status = h('div#pg-status.status-line', { role: 'status' });
  const form = h('form', { onsubmit: (event) => { event.preventDefault(); submit(); } },
    input, h('div.toolbar', send, cancel, clear, status));
  main.append(h('h1', 'Playground'), h('div.playground',
    h('div', h('label.field', 'model', model), h('label.field', 'endpoint', endpoint), h('label.field', 'system prompt', system),
      h('label.field', 'temperature', temperature), h('label.field', 'max tokens', maxTokens)),
    h('div', chat, form)));
  input.addEventListener('keydown', (event) => { if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) submit(); });

  for (const message of conversation) chat.append(bubble(message.role, message.content));
  let controller = null;
  cancel.addEventListener('click', () => controller?.abort());

  // The listed models and selectors, plus every alias the plan knows (again when it changes).
  let listed = [];
  function fillModels() {
    const ids = new Set(listed);
    for (const name of Object.keys(store.plan?.names || {})) ids.add(name);
    const chosen = model.value || sessionStorage.getItem('swap.playground.model');
    fill(model, [...ids].sort().map((id) => h('option', { value: id }, id)));
    if (chosen && ids.has(chosen)) model.value = chosen;
  }
  // The rerank check is offered where the model's `capabilities` say `reranker` (an alias
  // reads its model's); llama-swap's capabilities have no flag for embeddings, so that
  // check is offered for every model.
  const records = new Map();
  const rerankOption = endpoint.querySelector('option[value="rerank"]');
  function fitEndpoints() {
    const id = store.plan?.names?.[model.value] ?? model.value;
    const reranker = records.get(model.value)?.capabilities?.reranker || records.get(id)?.capabilities?.reranker;
    rerankOption.disabled = !reranker;
    rerankOption.title = reranker ? '' : 'this model does not declare `capabilities: {reranker: true}`';
    if (rerankOption.disabled && endpoint.value === 'rerank') endpoint.value = 'chat';
  }
  json('/v1/models').then((list) => {
    for (const record of list.data || []) records.set(record.id, record);
    listed = [...records.keys()];
    fillModels();
    fitEndpoints();
  }).catch((error) => { status.textContent = error.message; });
  const stopPlan = on('plan', () => { fillModels(); fitEndpoints(); });
  fillModels();
  fitEndpoints();
  model.addEventListener('change', () => { sessionStorage.setItem('swap.playground.model', model.value); fitEndpoints(); });

  function bubble(role, text) {
    return h(`div.message.${role}`, h('div.role', role), h('div.content', text));
  }

  async function submit() {
    const text = input.value.trim();
    if (!text || controller) return;
    const kind = endpoint.value;
    controller = new AbortController();
    send.disabled = true;
    cancel.disabled = false;
    status.textContent = 'sending…';
    const started = performance.now();
    try {
      if (kind === 'embeddings' || kind === 'rerank') await quickTest(kind, text, controller.signal);
      else await streamChat(kind, text, started, controller.signal);
    } catch (error) {
      status.textContent = error.name === 'AbortError' ? 'cancelled' : error.message;
    } finally {
      controller = null;
      send.disabled = false;
      cancel.disabled = true;
    }
  }

  async function quickTest(kind, text, signal) {
    const body = kind === 'embeddings'
      ? { model: model.value, input: text }
      : { model: model.value, query: text.split('\n')[0], documents: text.split('\n').slice(1).filter(Boolean) };
    const response = await fetch(kind === 'embeddings' ? '/v1/embeddings' : '/v1/rerank', {
      method: 'POST', signal, headers: { 'Content-Type': 'application/json', 'X-Session-ID': session }, body: JSON.stringify(body),
    });
    const answer = await response.text();
    if (!response.ok) throw new Error(errorMessage(answer));
    const result = JSON.parse(answer);
    const summary = kind === 'embeddings'
      ? `${result.data?.length || 0} embedding(s) of ${result.data?.[0]?.embedding?.length || 0} dimensions`
      : (result.results || []).map((r) => `#${r.index}: ${r.relevance_score}`).join('\n');
    chat.append(bubble('user', text), bubble('assistant', summary));
    status.textContent = `${kind} answered`;
  }

  async function streamChat(kind, text, started, signal) {
    conversation.push({ role: 'user', content: text });
    chat.append(bubble('user', text));
    input.value = '';
    const reasoningNode = h('div.reasoning');
    const contentNode = h('div.content');
    const notes = h('div.lock-notes');
    const answer = h('div.message.assistant', h('div.role', 'assistant'), notes, reasoningNode, contentNode);
    chat.append(answer);
    const messages = conversation.map((message) => ({ ...message }));
    const body = { model: model.value, stream: true, max_tokens: Number(maxTokens.value) || undefined };
    if (temperature.value !== '') body.temperature = Number(temperature.value);
    if (kind === 'messages') {
      if (system.value) body.system = system.value;
      body.messages = messages;
    } else {
      body.messages = system.value ? [{ role: 'system', content: system.value }, ...messages] : messages;
      body.stream_options = { include_usage: true };
    }
    const response = await fetch(kind === 'messages' ? '/v1/messages' : '/v1/chat/completions', {
      method: 'POST', signal, headers: { 'Content-Type': 'application/json', 'X-Session-ID': session }, body: JSON.stringify(body),
    });
    const changes = lockNotes(response.headers.get('X-Swap-Lock-Changes'), body.model);
    fill(notes, changes.map((note) => h('div.lock-note', note)));
    if (!response.ok) {
      const message = errorMessage(await response.text());
      contentNode.textContent = message;
      answer.classList.add('error-text');
      conversation.pop();
      status.textContent = `${response.status}`;
      return;
    }
    let loadingSince = null;
    let firstToken = null;
    let tokens = 0;
    let usage = null;
    const loadingTicker = setInterval(() => {
      if (loadingSince !== null) status.textContent = `loading ${model.value}… ${duration(performance.now() - loadingSince)}`;
    }, 200);
    const parse = sseParser((event) => {
      if (event.data === '[DONE]') return;
      let chunk;
      try { chunk = JSON.parse(event.data); } catch { return; }
      if (chunk.id === 'swap-loading') {
        // The server loading the model: status, never part of the answer.
        if (loadingSince === null) loadingSince = performance.now();
        status.textContent = `loading ${model.value}… ${duration(performance.now() - loadingSince)}`;
        return;
      }
      if (loadingSince !== null) { loadingSince = null; status.textContent = 'generating…'; }
      if (chunk.error) { contentNode.textContent += errorMessage(JSON.stringify(chunk)); return; }
      let reasoning = '';
      let content = '';
      if (kind === 'messages') {
        if (chunk.type === 'content_block_delta') {
          reasoning = chunk.delta?.thinking || '';
          content = chunk.delta?.text || '';
        }
        if (chunk.usage || chunk.message?.usage) usage = { ...(usage || {}), ...(chunk.usage || chunk.message.usage) };
      } else {
        const delta = chunk.choices?.[0]?.delta || {};
        reasoning = delta.reasoning_content || delta.reasoning || '';
        content = delta.content || '';
        if (chunk.usage) usage = chunk.usage;
      }
      if (reasoning || content) {
        if (firstToken === null) firstToken = performance.now();
        tokens += 1;
      }
      if (reasoning) reasoningNode.textContent += reasoning;
      if (content) contentNode.textContent += content;
      if (firstToken !== null) status.textContent = `generating… ${tokens} chunks`;
    });
    try {
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parse(value);
      }
    } finally {
      clearInterval(loadingTicker);
    }
    conversation.push({ role: 'assistant', content: contentNode.textContent });
    const end = performance.now();
    const generated = usage?.completion_tokens ?? usage?.output_tokens ?? tokens;
    const rate = firstToken !== null && end > firstToken ? generated / ((end - firstToken) / 1000) : null;
    status.textContent = [
      firstToken !== null ? `first token ${duration(firstToken - started)}` : 'no tokens',
      `${generated} tokens`, rate ? `${rate.toFixed(1)} tok/s` : null,
    ].filter(Boolean).join(' · ');
  }
  return () => { stopPlan(); controller?.abort(); };
}
