// System: CPU, memory and per-GPU figures over the last hour from /api/performance (inline
// SVG sparklines), the hardware summary from /api/hardware, and the version.
import { json, Unavailable } from '../api.js';
import { bytes, fill, h, number, unavailable } from '../util.js';

function sparkline(values, maximum) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('viewBox', '0 0 100 100');
  svg.setAttribute('preserveAspectRatio', 'none');
  if (values.length > 1) {
    const top = maximum || Math.max(...values, 1);
    const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
    line.setAttribute('points', values.map((value, index) =>
      `${(100 * index) / (values.length - 1)},${100 - (100 * Math.max(0, value)) / top}`).join(' '));
    svg.append(line);
  }
  return svg;
}

function chart(title, values, unit, maximum) {
  const last = values.at(-1);
  return h('div.card', { style: 'grid-column: span 2' }, h('div.label', title),
    h('div.value', last === undefined ? '—' : `${number(last, 1)} ${unit}`), sparkline(values, maximum));
}

function performance(container, data) {
  const sys = data.sys_stats || [];
  const cpu = sys.map((s) => (s.cpu_util_per_core?.length ? s.cpu_util_per_core.reduce((a, b) => a + b, 0) / s.cpu_util_per_core.length : 0));
  const memory = sys.map((s) => (s.mem_total_mb ? (100 * s.mem_used_mb) / s.mem_total_mb : 0));
  const swap = sys.map((s) => (s.swap_total_mb ? (100 * s.swap_used_mb) / s.swap_total_mb : 0));
  const load = sys.map((s) => s.load_avg_1 || 0);
  const gpus = new Map();
  for (const stat of data.gpu_stats || []) {
    if (!gpus.has(stat.id)) gpus.set(stat.id, []);
    gpus.get(stat.id).push(stat);
  }
  fill(container, h('div#performance.cards',
    chart('CPU (all cores)', cpu, '%', 100), chart('memory used', memory, '%', 100),
    chart('swap used', swap, '%', 100), chart('load average (1 min)', load, ''),
    [...gpus.entries()].flatMap(([id, stats]) => [
      chart(`GPU ${id} ${stats.at(-1).name || ''} utilisation`, stats.map((s) => s.gpu_util_pct), '%', 100),
      chart(`GPU ${id} memory`, stats.map((s) => s.mem_used_mb), `MB of ${number(stats.at(-1).mem_total_mb)}`, stats.at(-1).mem_total_mb),
    ])),
  h('p.muted', `${sys.length} samples${sys.length ? ` since ${new Date(sys[0].timestamp).toLocaleTimeString()}` : ''}`));
}

function hardware(container, snapshot) {
  const os = snapshot.operating_system || {};
  const cpu = snapshot.cpu || {};
  fill(container, h('dl#hardware.kv',
    h('dt', 'system'), h('dd', [os.name, os.version, os.kernel && `kernel ${os.kernel}`].filter(Boolean).join(' · ') || '—'),
    h('dt', 'architecture'), h('dd', snapshot.architecture?.name || '—'),
    h('dt', 'environment'), h('dd', snapshot.environment?.kind || '—'),
    h('dt', 'cpu'), h('dd', `${cpu.model || '?'} · ${cpu.physical_core_count ?? '?'} cores, ${cpu.logical_thread_count ?? '?'} threads`),
    h('dt', 'memory'), h('dd', bytes(snapshot.memory?.capacity_bytes)),
    (snapshot.accelerators || []).flatMap((accelerator) => [
      h('dt', `${accelerator.kind} ${accelerator.index}`),
      h('dd', `${accelerator.vendor || ''} ${accelerator.model || ''} · ${bytes(accelerator.memory?.capacity_bytes)} ${accelerator.memory?.kind || ''}`
        + (accelerator.driver ? ` · ${accelerator.driver.name} ${accelerator.driver.version}` : '')),
    ])));
}

export function render(main) {
  const perf = h('div');
  const hw = h('div');
  const version = h('div');
  main.append(h('h1', 'System'), h('h2', 'Last hour'), perf, h('h2', 'Hardware'), hw, h('h2', 'Version'), version);
  const failed = (container, what, route) => (error) => fill(container,
    error instanceof Unavailable ? unavailable(what, route)
      : error.status === 503 ? h('p.note', `${what}: not enabled on this server (503).`) : h('p.error-text', error.message));
  const loadPerformance = () => json('/api/performance').then((data) => performance(perf, data))
    .catch(failed(perf, 'Performance monitoring', '/api/performance'));
  loadPerformance();
  const timer = setInterval(() => { if (!document.hidden && perf.querySelector('#performance')) loadPerformance(); }, 5000);
  json('/api/hardware').then((snapshot) => hardware(hw, snapshot)).catch(failed(hw, 'The hardware summary', '/api/hardware'));
  json('/api/version').then((info) => fill(version, h('dl.kv', h('dt', 'version'), h('dd', info.version),
    h('dt', 'commit'), h('dd', info.commit || '—'), h('dt', 'built'), h('dd', info.build_date || '—'))))
    .catch(failed(version, 'Version information', '/api/version'));
  return () => clearInterval(timer);
}
