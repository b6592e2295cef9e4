// Dashboard: is mail flowing? The last 24 hours per step, the queue, connector health, recent failures.
import { get, query } from '../api.js';
import { h, fill, pageTitle, table, badge, fmtTime, errorBox, progress } from '../dom.js';
import { mailFlowChart, SERIES } from './chart.js';

export async function render(ctx) {
  const org = ctx.orgQuery();
  const flowBox = h('section', { class: 'panel', 'aria-labelledby': 'flow-h' }, h('h2', { id: 'flow-h' }, 'Mail flow, last 24 hours'),
    progress('Counting…'));
  const cards = h('div', { class: 'cards' });
  const health = h('section', { class: 'panel', 'aria-labelledby': 'health-h' }, h('h2', { id: 'health-h' }, 'Outbound connector health'));
  const failures = h('section', { class: 'panel', 'aria-labelledby': 'fail-h' }, h('h2', { id: 'fail-h' }, 'Recent failures'));
  ctx.main.append(pageTitle('Dashboard', h('button', { type: 'button', onclick: ctx.refresh }, 'Refresh')),
    cards, flowBox, h('div', { class: 'grid2' }, health, failures));

  const [flow, queue, connectors, failed] = await Promise.allSettled([
    get('/stats/mailflow' + query({ hours: 24, ...org })),
    get('/queue' + query({ limit: 1000, ...org })),
    get('/connectors/outbound' + query(org)),
    get('/trace' + query({ status: 'Failed', limit: 8, ...org })),
  ]);

  if (flow.status === 'fulfilled') {
    const t = flow.value.totals;
    fill(cards, SERIES.map(([k, label]) => card(label, t[k], k)),
      queue.status === 'fulfilled' ? card('In the queue', queueCount(queue.value.items), null, '#/queue') : null);
    const chart = h('div');
    fill(flowBox, h('h2', { id: 'flow-h' }, 'Mail flow, last 24 hours'), chart,
      h('p', { class: 'small muted' }, 'Recipients per hour, from the message trace.'));
    let drawnAt = 0;
    const draw = () => { // drawn for the width there is, and again when that changes (a phone turned)
      const width = flowBox.clientWidth - 34;
      if (Math.abs(width - drawnAt) < 40) return;
      drawnAt = width;
      fill(chart, mailFlowChart(flow.value.hours, width));
    };
    draw();
    new ResizeObserver(draw).observe(flowBox);
  } else {
    fill(flowBox, h('h2', { id: 'flow-h' }, 'Mail flow, last 24 hours'), errorBox(flow.reason));
  }

  health.append(connectors.status === 'fulfilled'
    ? table([
      { title: 'Connector', cell: (c) => h('a', { href: '#/connectors' }, c.name) },
      { title: 'State', cell: (c) => (c.enabled ? badge('On', 'ok') : badge('Off', 'off')) },
      { title: 'Last validation', cell: validation },
    ], connectors.value.items, 'No outbound connectors: mail goes to hosted mailboxes and by MX.')
    : errorBox(connectors.reason));

  failures.append(failed.status === 'fulfilled'
    ? table([
      { title: 'Time', cell: (m) => fmtTime(m.received) },
      { title: 'Recipient', class: 'wrap', cell: (m) => h('a', { href: `#/trace/${m.networkMessageId}` }, m.recipient || '—') },
      { title: 'Subject', class: 'wrap', cell: (m) => m.subject || '' },
    ], failed.value.items, 'No failed messages in the last 48 hours.')
    : errorBox(failed.reason));
}

function card(label, n, series, href) {
  const body = [h('div', { class: 'n' }, String(n)), h('div', { class: 'l' }, label)];
  return h('div', { class: 'card' + (series ? ` s-${series}` : '') }, href ? h('a', { href }, body) : body);
}

function queueCount(items) {
  return items.length >= 1000 ? '1000+' : items.length;
}

function validation(c) {
  const v = c.lastValidation;
  if (!v) return badge('Not validated', 'warn');
  return h('span', {}, v.succeeded ? badge('Succeeded', 'ok') : badge('Failed', 'bad'), ' ', h('span', { class: 'small muted' }, fmtTime(v.at)));
}
