// The mail flow chart: one line per step over the hours, drawn as SVG (no library, no inline style).
import { h } from '../dom.js';

const NS = 'http://www.w3.org/2000/svg';
export const SERIES = [
  ['received', 'Received'], ['delivered', 'Delivered'], ['deferred', 'Deferred'],
  ['failed', 'Failed (bounced)'], ['rejected', 'Rejected'], ['quarantined', 'Quarantined'],
];

function svg(tag, attrs, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) el.append(c);
  return el;
}

/** A "nice" upper bound for the y axis: 1, 2, 5 × 10^n. */
function niceMax(n) {
  if (n <= 4) return 4;
  const p = 10 ** Math.floor(Math.log10(n));
  return [1, 2, 5, 10].map((m) => m * p).find((v) => v >= n);
}

/**
 * hours: [{hour, counts: {received, ...}}]; width: the pixels available, so that text keeps its size
 * on a phone instead of shrinking with a wide drawing.
 */
export function mailFlowChart(hours, width) {
  const W = Math.max(300, Math.round(width || 960)), H = W < 600 ? 200 : 240, L = 40, R = 12, T = 12, B = 30;
  const max = niceMax(Math.max(0, ...hours.flatMap((x) => SERIES.map(([k]) => x.counts[k]))));
  const x = (i) => L + (hours.length <= 1 ? 0 : (i * (W - L - R)) / (hours.length - 1));
  const y = (v) => T + (H - T - B) * (1 - v / max);
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'chart-title chart-desc' });
  const total = (k) => hours.reduce((s, x) => s + x.counts[k], 0);
  root.append(svg('title', { id: 'chart-title' }, 'Mail flow per hour'),
    svg('desc', { id: 'chart-desc' }, SERIES.map(([k, label]) => `${label}: ${total(k)}`).join(', ')));
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    root.append(svg('line', { class: 'grid', x1: L, x2: W - R, y1: y(v), y2: y(v) }),
      svg('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end' }, String(v)));
  }
  root.append(svg('line', { class: 'axis', x1: L, x2: W - R, y1: y(0), y2: y(0) }));
  const step = Math.max(1, Math.ceil(hours.length / Math.max(2, Math.floor((W - L) / 110))));
  hours.forEach((hr, i) => {
    if (i % step !== 0 && i !== hours.length - 1) return;
    const label = new Date(hr.hour).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
    const anchor = i === 0 ? 'start' : i === hours.length - 1 ? 'end' : 'middle';
    root.append(svg('text', { x: x(i), y: H - 10, 'text-anchor': anchor }, label));
  });
  for (const [k] of SERIES) {
    const points = hours.map((hr, i) => `${x(i).toFixed(1)},${y(hr.counts[k]).toFixed(1)}`).join(' ');
    root.append(svg('polyline', { class: `line s-${k}`, points }));
    hours.forEach((hr, i) => { // a dot on each non-zero hour, so a single busy hour still shows
      if (hr.counts[k]) root.append(svg('circle', { class: `dot s-${k}`, cx: x(i).toFixed(1), cy: y(hr.counts[k]).toFixed(1), r: 3.5 }));
    });
  }
  const legend = h('ul', { class: 'legend' }, SERIES.map(([k, label]) => h('li', { class: `s-${k}` }, `${label} (${total(k)})`)));
  return h('div', { class: 'chart' }, root, legend);
}
