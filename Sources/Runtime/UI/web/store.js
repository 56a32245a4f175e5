// The live state every page reads: one connection to /api/events (fetch-streamed),
// reconnecting with backoff 1 s, 2 s, 4 s, then every 5 s.
import { json, sseParser, Unavailable } from './api.js';

const listeners = new Map();

/** Shared state. `models` holds modelStatus entries; `inflight` in-flight entries by id. */
export const store = {
  connection: 'connecting',
  models: [],
  inflight: new Map(),
  inflightSeen: false,
  profiles: { active: null, profiles: [] },
  status: null,
  plan: null,
  uiConfig: { activity: { session_id: ['X-Session-ID'] } },
};

/** Calls fn(payload) on each `type` ('models', 'inflight', 'activity', 'configReload',
 *  'memory', 'connection', 'profiles', 'plan', 'logData'); returns the unsubscribe function. */
export function on(type, fn) {
  if (!listeners.has(type)) listeners.set(type, new Set());
  listeners.get(type).add(fn);
  return () => listeners.get(type).delete(fn);
}

function emit(type, payload) {
  for (const fn of listeners.get(type) || []) {
    try { fn(payload); } catch (error) { console.warn(`swap ui: ${type} listener failed`, error); }
  }
}

function setConnection(state) {
  store.connection = state;
  emit('connection', state);
}

/** Refetches /api/profiles. */
export async function refreshProfiles() {
  try {
    store.profiles = await json('/api/profiles');
    emit('profiles', store.profiles);
  } catch (error) { if (!(error instanceof Unavailable)) console.warn('swap ui: profiles', error.message); }
}

/** Refetches the plan (after a reload). */
export async function refreshPlan() {
  try {
    store.plan = await json('/api/config/plan');
    emit('plan', store.plan);
  } catch (error) { console.warn('swap ui: plan', error.message); }
  return store.plan;
}

function handle(type, payload) {
  switch (type) {
    case 'modelStatus':
      // ttl_remaining_ms is as of this frame: keep the deadline on this clock.
      for (const entry of payload) {
        if (entry.ttl_remaining_ms != null) entry.ttlDeadline = Date.now() + entry.ttl_remaining_ms;
      }
      store.models = payload;
      emit('models', payload);
      break;
    case 'inflight':
      store.inflightSeen = true;
      if (payload.operation === 'snapshot') {
        store.inflight = new Map((payload.requests || []).map((entry) => [entry.id, entry]));
      } else if (payload.operation === 'upsert') {
        store.inflight.set(payload.request.id, payload.request);
      } else if (payload.operation === 'remove') {
        store.inflight.delete(payload.id);
      }
      emit('inflight', store.inflight);
      break;
    case 'profileChanged':
      store.profiles = { ...store.profiles, active: payload.active };
      emit('profiles', store.profiles);
      break;
    case 'uiConfig':
      store.uiConfig = payload;
      break;
    case 'configReload':
      store.status = { ...(store.status || {}), lastAttempt: payload };
      emit('configReload', payload);
      if (payload.success) refreshPlan();
      break;
    case 'memory': {
      // Each running model's memory, sampled: folded into the model rows.
      const byID = new Map(payload.map((entry) => [entry.id, entry]));
      store.models = store.models.map((model) => {
        const sample = byID.get(model.id);
        if (!sample) return model;
        return { ...model, memory: { rss_bytes: sample.rss_bytes, swap_bytes: sample.swap_bytes, gpu_bytes: sample.gpu_bytes } };
      });
      emit('memory', payload);
      emit('models', store.models);
      break;
    }
    case 'activity':
      emit('activity', payload);
      break;
    case 'logData':
      emit('logData', payload);
      break;
    default:
      break;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function connect() {
  let delay = 1000;
  for (;;) {
    try {
      const response = await fetch('/api/events', { headers: { Accept: 'text/event-stream' } });
      if (!response.ok) throw new Error(`/api/events answered ${response.status}`);
      setConnection('connected');
      delay = 1000;
      refreshProfiles();
      const parse = sseParser((event) => {
        let envelope;
        try {
          envelope = JSON.parse(event.data);
          handle(envelope.type, typeof envelope.data === 'string' ? JSON.parse(envelope.data) : envelope.data);
        } catch (error) {
          console.warn('swap ui: unreadable event', error.message);
        }
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parse(value);
      }
    } catch (error) {
      // A dropped connection or a server restart: try again below.
    }
    setConnection('reconnecting');
    await sleep(delay);
    delay = Math.min(delay * 2, 5000);
  }
}


/** Starts the connection (once). */
export function start() {
  refreshProfiles();
  refreshPlan();
  json('/api/config/status').then((status) => { store.status = status; emit('configReload', status.lastAttempt); })
    .catch(() => {});
  connect();
}
