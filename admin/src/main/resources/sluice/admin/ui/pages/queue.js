// Queue viewer: queued messages grouped by destination domain, each recipient's state and last
// error; retry now, suspend, resume, remove with or without a non-delivery report.
import { get, post, del, query, enc } from '../api.js';
import { h, pageTitle, table, badge, busy, confirmDialog, fmtTime, fmtBytes } from '../dom.js';

const STATE_KIND = { Queued: 'warn', Suspended: 'off', Delivered: 'ok', Failed: 'bad' };

export async function render(ctx) {
  const out = h('div', { 'aria-live': 'polite', id: 'queue-out' });
  ctx.main.append(pageTitle('Queue', h('button', { type: 'button', onclick: ctx.refresh }, 'Refresh')), out);
  const items = (await get('/queue' + query({ ...ctx.orgQuery(), limit: 1000 }))).items;
  if (!items.length) return ctx.main.append(h('p', { class: 'panel empty' }, 'The queue is empty: every message has been delivered or returned.'));
  const byDestination = new Map();
  for (const m of items) {
    for (const d of new Set(m.recipients.filter((r) => r.state === 'Queued' || r.state === 'Suspended').map((r) => r.address.split('@').pop().toLowerCase()))) {
      if (!byDestination.has(d)) byDestination.set(d, []);
      byDestination.get(d).push(m);
    }
  }
  ctx.main.append(h('p', { class: 'muted' }, `${items.length} message${items.length === 1 ? '' : 's'} to ${byDestination.size} destination${byDestination.size === 1 ? '' : 's'}.`));
  for (const [domain, messages] of [...byDestination].sort((a, b) => b[1].length - a[1].length)) {
    const waiting = (m) => m.recipients.filter((r) => r.address.toLowerCase().endsWith('@' + domain));
    const suspended = messages.every((m) => waiting(m).every((r) => r.state === 'Suspended'));
    ctx.main.append(h('section', { class: 'panel queue-destination', 'aria-label': `Queue for ${domain}` },
      h('div', { class: 'spread' }, h('h2', {}, domain), h('span', {}, `${messages.length} message${messages.length === 1 ? '' : 's'} `,
        suspended ? badge('Suspended', 'off') : badge('Retrying', 'warn'))),
      table([
        { title: 'Queue id', cell: (m) => h('code', {}, m.id) },
        { title: 'Sender', class: 'wrap', cell: (m) => m.sender || '<>' },
        { title: 'Received', cell: (m) => h('span', {}, fmtTime(m.receivedAt), h('div', { class: 'small muted' }, fmtBytes(m.size))) },
        { title: 'Recipients', class: 'wrap', cell: (m) => h('ul', { class: 'small' }, waiting(m).map((r) => h('li', {}, r.address, ' ',
          badge(r.state, STATE_KIND[r.state]), ` ${r.attempts} attempt${r.attempts === 1 ? '' : 's'}`,
          r.nextAttemptAt && r.state === 'Queued' ? h('span', { class: 'muted' }, `, next ${fmtTime(r.nextAttemptAt)}`) : null,
          r.lastReply ? h('div', {}, 'Last error: ', h('code', { class: 'last-error' }, r.lastReply)) : null))) },
        { title: 'Actions', cell: (m) => (ctx.canChange ? actions(ctx, m, out) : '') },
      ], messages)));
  }
}

function actions(ctx, m, out) {
  const act = (label, busyLabel, fn, done) => {
    const b = h('button', { type: 'button', 'data-action': label.toLowerCase(), onclick: () => busy(b, busyLabel, async () => {
      await fn();
      ctx.refresh(done);
    }, out) }, label);
    return b;
  };
  const anySuspended = m.recipients.some((r) => r.state === 'Suspended');
  const anyQueued = m.recipients.some((r) => r.state === 'Queued');
  const remove = (ndr) => {
    const b = h('button', { type: 'button', class: 'danger', 'data-action': ndr ? 'remove-ndr' : 'remove', onclick: async () => {
      const question = ndr ? `Remove message ${m.id} and send its sender a non-delivery report?`
        : `Remove message ${m.id} silently? Its sender is not told.`;
      if (!await confirmDialog(question, 'Remove')) return;
      busy(b, 'Removing…', async () => {
        await del(`/queue/${enc(m.id)}` + query({ ndr: ndr ? 'true' : '' }));
        ctx.refresh(`Message ${m.id} was removed${ndr ? '; its sender gets a non-delivery report' : ''}.`);
      }, out);
    } }, ndr ? 'Remove with NDR' : 'Remove without NDR');
    return b;
  };
  return h('div', { class: 'actions' },
    anyQueued ? act('Retry', 'Retrying…', () => post(`/queue/${enc(m.id)}/retry`), `Message ${m.id} is being retried now.`) : null,
    anyQueued ? act('Suspend', 'Suspending…', () => post(`/queue/${enc(m.id)}/suspend`), `Message ${m.id} is suspended: no delivery attempts until you resume it.`) : null,
    anySuspended ? act('Resume', 'Resuming…', () => post(`/queue/${enc(m.id)}/resume`), `Message ${m.id} is resumed and was attempted again.`) : null,
    remove(true), remove(false));
}

