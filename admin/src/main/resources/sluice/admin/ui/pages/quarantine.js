// Quarantine: search held messages a page at a time ("Load more" follows the API's next link), preview
// one as text (never rendered as HTML), release to all or some recipients, delete.
import { get, post, del, query, enc } from '../api.js';
import { h, fill, pageTitle, table, field, input, select, busy, values, confirmDialog, note, progress, errorBox, fmtTime, fmtBytes, isoFromLocal } from '../dom.js';

const REASONS = [['', 'Any'], ['Spam', 'Spam'], ['HighConfidenceSpam', 'High confidence spam'], ['Phish', 'Phishing'], ['Malware', 'Malware'], ['Policy', 'Policy']];

export async function render(ctx) {
  const results = h('div', { 'aria-live': 'polite' });
  const detail = h('div');
  const submit = h('button', { type: 'submit', class: 'primary', id: 'quarantine-search' }, 'Search');
  const form = h('form', { class: 'fields', onsubmit: (e) => { e.preventDefault(); search(ctx, form, submit, results, detail); } },
    field('Sender', input({ name: 'sender', placeholder: '*@fabrikam.com' })),
    field('Recipient', input({ name: 'recipient' })),
    field('Reason', select('reason', REASONS, '')),
    field('Received from', input({ name: 'from', type: 'datetime-local' })),
    field('Received until', input({ name: 'to', type: 'datetime-local' })),
    h('div', {}, submit));
  ctx.main.append(pageTitle('Quarantine'), h('section', { class: 'panel' }, form), detail, results);
  await search(ctx, form, submit, results, detail);
}

let searches = 0; // searches submitted: an answer, or a "Load more" answer, to an earlier one is dropped

async function search(ctx, form, submit, results, detail) {
  const v = values(form);
  const mine = ++searches;
  fill(results, progress('Searching the quarantine…'));
  await busy(submit, 'Searching…', async () => {
    const page = await get('/quarantine' + query({ ...ctx.orgQuery(), sender: v.sender, recipient: v.recipient, reason: v.reason,
      from: isoFromLocal(v.from), to: isoFromLocal(v.to), limit: 200 }))
      .catch((err) => { if (mine === searches) throw err; });
    if (mine !== searches) return; // a newer search was submitted meanwhile: its answer or error stays
    show(ctx, results, detail, { items: page.items, next: page.next });
  }, results);
}

/** The next page of the search shown, appended, unless a search was submitted or this page appended meanwhile. */
async function more(ctx, results, detail, shown, button, out) {
  const link = shown.next, of = searches;
  await busy(button, 'Loading…', async () => {
    const page = await get(link.replace(/^\/api\/v1(?=\/quarantine\?)/, ''));
    if (of !== searches || shown.next !== link) return;
    shown.items = shown.items.concat(page.items);
    shown.next = page.next;
    show(ctx, results, detail, shown);
    results.querySelector('#quarantine-more')?.focus(); // keyboard users stay where they were
  }, out);
}

function show(ctx, results, detail, shown) {
  const { items: found, next } = shown;
  const out = h('div', { 'aria-live': 'polite' });
  const button = next ? h('button', { type: 'button', id: 'quarantine-more', onclick: () => more(ctx, results, detail, shown, button, out) },
    'Load more') : null;
  fill(results, h('h2', {}, `${found.length} held message${found.length === 1 ? '' : 's'}${next ? ', more to load' : ''}`), table([
    { title: 'Received', cell: (q) => fmtTime(q.receivedAt) },
    { title: 'Sender', class: 'wrap', cell: (q) => q.sender || '<>' },
    { title: 'Recipients', class: 'wrap', cell: (q) => q.recipients.join(', ') },
    { title: 'Subject', class: 'wrap', cell: (q) => h('button', { type: 'button', class: 'link', onclick: () => open(ctx, q.id, detail) }, q.subject || '(no subject)') },
    { title: 'Reason', cell: (q) => q.reason },
    { title: 'Released', cell: (q) => (q.releasedTo.length ? `to ${q.releasedTo.length} by ${q.releasedBy}` : '—') },
    { title: 'Expires', cell: (q) => fmtTime(q.expiresAt) },
  ], found, 'Nothing in quarantine matches.', 'Quarantined messages'), button ? h('div', { class: 'actions' }, button) : null, out);
}

async function open(ctx, id, detail) {
  fill(detail, progress('Loading the message…'));
  let q, p;
  try {
    [q, p] = await Promise.all([get(`/quarantine/${enc(id)}`), get(`/quarantine/${enc(id)}/preview`)]);
  } catch (err) {
    return fill(detail, errorBox(err));
  }
  const out = h('div', { 'aria-live': 'polite' });
  const boxes = q.recipients.map((r) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name: 'rcpt', value: r, checked: !q.releasedTo.includes(r) }), h('span', {}, r,
      q.releasedTo.includes(r) ? h('span', { class: 'small muted' }, ' (already released)') : null)));
  const release = h('button', { type: 'submit', class: 'primary', id: 'quarantine-release' }, 'Release');
  const form = h('form', { onsubmit: (e) => {
    e.preventDefault();
    const chosen = boxes.map((b) => b.querySelector('input')).filter((c) => c.checked).map((c) => c.value);
    if (!chosen.length) return out.replaceChildren(errorBox({ message: 'Choose at least one recipient to release to.' }));
    busy(release, 'Releasing…', async () => {
      const all = chosen.length === q.recipients.length;
      // ticking a recipient shown as already released asks for it again; otherwise the server skips
      // whoever was released meanwhile (another click, another user), so the message is delivered once
      const again = chosen.some((c) => q.releasedTo.includes(c));
      const r = await post(`/quarantine/${enc(id)}/release`, { ...(all ? {} : { recipients: chosen }), ...(again ? { again } : {}) });
      const skipped = r.alreadyReleased.length ? `Already released to ${r.alreadyReleased.join(', ')}, not again.` : '';
      out.replaceChildren(note(r.queueId ? `Released to ${r.recipients.join(', ')} (queued as ${r.queueId}). ${skipped}`.trim()
        : `Nothing released. ${skipped}`));
    }, out);
  } }, h('fieldset', {}, h('legend', {}, 'Release to'), boxes), h('div', { class: 'actions' }, release,
    ctx.canChange ? deleteButton(ctx, q, out) : null));
  fill(detail, h('section', { class: 'panel', 'aria-labelledby': 'q-h' },
    h('div', { class: 'spread' }, h('h2', { id: 'q-h', tabindex: '-1' }, q.subject || '(no subject)'),
      h('button', { type: 'button', onclick: () => detail.replaceChildren() }, 'Close')),
    h('dl', { class: 'review' }, [['From', q.sender || '<>'], ['To', q.recipients.join(', ')], ['Reason', `${q.reason}${q.details ? ': ' + q.details : ''}`],
      ['Received', fmtTime(q.receivedAt)], ['Size', fmtBytes(q.size)], ['Message ID', q.messageId || '—']]
      .flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    h('details', {}, h('summary', {}, 'Headers'), h('pre', { class: 'small' }, p.headers.map((x) => `${x.name}: ${x.value}`).join('\n'))),
    h('h3', {}, 'Preview', p.fromHtml ? h('span', { class: 'small muted' }, ' (HTML shown as text)') : null),
    h('pre', { id: 'quarantine-preview' }, p.text + (p.truncated ? '\n…' : '')),
    out, form));
  detail.querySelector('h2').focus();
}

function deleteButton(ctx, q, out) {
  const b = h('button', { type: 'button', class: 'danger', onclick: async () => {
    if (!await confirmDialog('Delete this message from the quarantine? It cannot be released afterwards.', 'Delete')) return;
    busy(b, 'Deleting…', async () => { await del(`/quarantine/${enc(q.id)}`); ctx.refresh(); }, out);
  } }, 'Delete');
  return b;
}
