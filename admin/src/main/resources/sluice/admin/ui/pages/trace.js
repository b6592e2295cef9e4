// Message trace: search by sender, recipient, time, status, message id, a page at a time ("Load more"
// follows the API's next link); export the results loaded as CSV; the detail view shows each
// recipient's timeline of events with the remote server's reply.
import { get, query, enc } from '../api.js';
import { h, fill, pageTitle, table, field, input, select, busy, values, progress, badge, fmtTime, fmtBytes, isoFromLocal } from '../dom.js';

const STATUSES = [['', 'Any'], ['Received', 'Received'], ['Pending', 'Pending'], ['Delivered', 'Delivered'], ['Failed', 'Failed'],
  ['Quarantined', 'Quarantined'], ['Expanded', 'Expanded']];
const STATUS_KIND = { Delivered: 'ok', Failed: 'bad', Pending: 'warn', Quarantined: 'warn' };
const EVENT_SERIES = { Receive: 'received', Send: 'delivered', Deliver: 'delivered', Defer: 'deferred', Fail: 'failed', Quarantine: 'quarantined' };
let lastSearch = null; // kept while the page is open, so "back to results" does not search again; a logout reloads it
let searches = 0; // searches submitted: an answer, or a "Load more" answer, to an earlier one is dropped

export async function render(ctx) {
  if (ctx.params[0]) return detail(ctx, ctx.params[0]);
  const results = h('div', { 'aria-live': 'polite', id: 'trace-results' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'trace-search' }, 'Search');
  const old = (lastSearch && lastSearch.form) || {};
  const form = h('form', { class: 'fields', onsubmit: (e) => { e.preventDefault(); search(ctx, form, submit, results); } },
    field('Sender', input({ name: 'sender', value: old.sender, placeholder: 'alice@contoso.com or *@contoso.com' })),
    field('Recipient', input({ name: 'recipient', value: old.recipient })),
    field('Message ID', input({ name: 'messageId', value: old.messageId, placeholder: '<id@host>' })),
    field('Status', select('status', STATUSES, old.status || '')),
    field('From', input({ name: 'from', type: 'datetime-local', value: old.from }), 'Default: the last 48 hours.'),
    field('To', input({ name: 'to', type: 'datetime-local', value: old.to })),
    h('div', {}, submit));
  ctx.main.append(pageTitle('Message trace'), h('section', { class: 'panel' }, form), results);
  if (lastSearch && lastSearch.organizationId === ctx.organizationId) show(results, lastSearch);
  else await search(ctx, form, submit, results);
}

async function search(ctx, form, submit, results) {
  const v = values(form);
  const mine = ++searches;
  fill(results, progress('Searching the message trace…'));
  await busy(submit, 'Searching…', async () => {
    const page = await get('/trace' + query({ ...ctx.orgQuery(), sender: v.sender, recipient: v.recipient, messageId: v.messageId,
      status: v.status, from: isoFromLocal(v.from), to: isoFromLocal(v.to), limit: 500 }))
      .catch((err) => { if (mine === searches) throw err; });
    if (mine !== searches) return; // a newer search was submitted meanwhile: its answer or error stays
    lastSearch = { form: v, items: page.items, next: page.next, organizationId: ctx.organizationId };
    show(results, lastSearch);
  }, results);
}

/**
 * The next page of the search shown, appended; the next link keeps its filters and time range. The
 * answer is dropped when a search was submitted meanwhile, or when that page was appended already: the
 * page was left and opened again, showing the same search with its own "Load more".
 */
async function more(results, shown, button, out) {
  const link = shown.next, of = searches;
  await busy(button, 'Loading…', async () => {
    const page = await get(link.replace(/^\/api\/v1(?=\/trace\?)/, ''));
    if (of !== searches || shown.next !== link) return;
    shown.items = shown.items.concat(page.items);
    shown.next = page.next;
    const live = results.isConnected ? results : document.getElementById('trace-results'); // the page opened again
    if (!live) return;
    show(live, shown);
    live.querySelector('#trace-more')?.focus(); // keyboard users stay where they were
  }, out);
}

function show(results, shown) {
  const { items, next } = shown;
  const csv = h('button', { type: 'button', id: 'trace-csv', disabled: !items.length, onclick: () => download(items) }, 'Export CSV');
  const out = h('div', { 'aria-live': 'polite' });
  const button = next ? h('button', { type: 'button', id: 'trace-more', onclick: () => more(results, shown, button, out) }, 'Load more') : null;
  const count = `${items.length} result${items.length === 1 ? '' : 's'}${next ? ', more to load' : ''}`;
  fill(results, h('div', { class: 'spread' }, h('h2', {}, count), csv), table([
    { title: 'Received', cell: (m) => fmtTime(m.received) },
    { title: 'Sender', class: 'wrap', cell: (m) => m.sender || '<>' },
    { title: 'Recipient', class: 'wrap', cell: (m) => h('a', { href: `#/trace/${enc(m.networkMessageId)}` }, m.recipient || '—') },
    { title: 'Subject', class: 'wrap', cell: (m) => m.subject || '' },
    { title: 'Status', cell: (m) => badge(m.status, STATUS_KIND[m.status]) },
    { title: 'Size', cell: (m) => fmtBytes(m.size) },
  ], items, 'No messages match. Widen the time range or use * in addresses.', 'Trace results'),
  button ? h('div', { class: 'actions' }, button) : null, out);
}

/** A CSV cell, quoted, with a leading ' on anything a spreadsheet would read as a formula. */
export function csvCell(value) {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return '"' + s.replace(/"/g, '""') + '"';
}

function download(items) {
  const cols = ['received', 'sender', 'recipient', 'subject', 'status', 'messageId', 'networkMessageId', 'size'];
  const text = [cols.join(','), ...items.map((m) => cols.map((c) => csvCell(m[c])).join(','))].join('\r\n') + '\r\n';
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = h('a', { href: url, download: `message-trace-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.csv` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

async function detail(ctx, id) {
  ctx.main.append(pageTitle('Message trace details', h('a', { class: 'button', href: '#/trace' }, 'Back to results')));
  const box = h('div', {}, progress('Loading the events…'));
  ctx.main.append(box);
  const d = await get(`/trace/${enc(id)}`);
  const first = d.events[0];
  // A submission to several organizations is split into one copy each under one network message id: a global
  // administrator sees every copy, so the organizations are listed and each timeline says whose copy it is.
  const orgs = [...new Set(d.events.map((e) => e.organizationId).filter((o) => o))];
  const byRecipient = new Map();
  for (const e of d.events) {
    const key = (e.recipient || '(message)') + (orgs.length > 1 && e.organizationId ? ` (${ctx.organizationName(e.organizationId)})` : '');
    if (!byRecipient.has(key)) byRecipient.set(key, []);
    byRecipient.get(key).push(e);
  }
  fill(box, h('section', { class: 'panel' }, h('dl', { class: 'review' }, [
    ['Subject', first.subject || '(no subject)'], ['Sender', first.sender || '<>'], ['Message ID', first.messageId || '—'],
    ['Network message ID', d.networkMessageId], ['Size', fmtBytes(first.size)], [orgs.length > 1 ? 'Organizations' : 'Organization', orgs.length ? orgs.map(ctx.organizationName).join(', ') : '—'],
  ].flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]))),
  [...byRecipient].map(([rcpt, events]) => h('section', { class: 'panel recipient-timeline', 'aria-label': `Events for ${rcpt}` },
    h('h2', {}, rcpt), h('ol', { class: 'timeline' }, events.map(eventItem)))));
}

function eventItem(e) {
  return h('li', { class: `s-${EVENT_SERIES[e.type] || 'quarantined'}` },
    h('div', {}, h('strong', { class: 'event-type' }, e.type), ' ', h('span', { class: 'small muted' }, fmtTime(e.at))),
    e.detail ? h('div', {}, e.detail) : null,
    e.remoteReply ? h('div', { class: 'small' }, 'Reply: ', h('code', { class: 'remote-reply' }, e.remoteReply)) : null,
    e.clientAddress ? h('div', { class: 'small muted' }, (e.type === 'Receive' ? 'Client ' : 'Server ') + e.clientAddress) : null,
    e.tls ? h('div', { class: 'small muted' }, 'TLS ', e.tls) : null,
    e.queueId ? h('div', { class: 'small muted' }, 'Queue id ', h('code', {}, e.queueId)) : null);
}
