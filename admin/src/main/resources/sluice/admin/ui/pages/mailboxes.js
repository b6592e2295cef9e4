// Mailboxes: create, and per mailbox aliases, quota, usage, display name and a password reset.
// A mailbox or alias an older version stored under an address read more strictly now is marked Unreadable: delete only.
import { get, post, patch, del, query, enc } from '../api.js';
import { h, fill, pageTitle, table, field, input, textarea, busy, values, confirmDialog, note, list, fmtBytes, badge } from '../dom.js';

const MB = 1024 * 1024;

export async function render(ctx) {
  const out = h('div', { 'aria-live': 'polite' });
  const detail = h('div');
  ctx.main.append(pageTitle('Mailboxes'), out, detail);
  if (ctx.canChange) ctx.main.append(createForm(ctx, out));
  const boxes = (await get('/mailboxes' + query(ctx.orgQuery()))).items;
  ctx.main.append(h('h2', {}, 'Mailboxes'), table([
    { title: 'Address', class: 'wrap', cell: (m) => (m.unreadable ? unreadable(ctx, m, out)
      : h('button', { type: 'button', class: 'link', onclick: () => show(ctx, m.id, detail) }, m.address)) },
    { title: 'Display name', cell: (m) => m.displayName || '' },
    { title: 'Aliases', class: 'wrap', cell: (m) => h('span', {}, m.aliases.join(', ') || (m.unreadableAliases ? '' : '—'),
      ...(m.unreadableAliases || []).map((a) => h('span', {}, ' ', a.address, ' ', badge('Unreadable', 'off')))) },
    { title: 'Quota', cell: (m) => (m.unreadable ? '' : m.quotaBytes ? fmtBytes(m.quotaBytes) : 'Unlimited') },
    { title: 'Organization', cell: (m) => ctx.organizationName(m.organizationId) },
  ], boxes, 'No mailboxes. Mail for an Authoritative domain needs one per recipient.', 'Mailboxes'));
}

// Stored by an older version under an address read more strictly now: it receives no mail and can only be deleted.
function unreadable(ctx, m, out) {
  return h('div', {}, h('strong', {}, m.address), ' ', badge('Unreadable', 'off'), h('p', { class: 'small muted' }, m.note),
    ctx.canChange ? deleteButton(ctx, m, out) : null);
}

function createForm(ctx, out) {
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Create mailbox');
  const form = h('form', { class: 'fields', id: 'mailbox-form', onsubmit: (e) => {
    e.preventDefault();
    const v = values(form);
    busy(submit, 'Creating…', async () => {
      const m = await post('/mailboxes', {
        organizationId: ctx.targetOrganization(), address: v.address, displayName: v.displayName || null,
        password: v.password || null, aliases: list(v.aliases), quotaBytes: v.quotaMb ? Math.round(Number(v.quotaMb) * MB) : 0,
      });
      ctx.refresh(`Mailbox ${m.address} created.`);
    }, out);
  } },
  field('Address', input({ name: 'address', type: 'email', required: true, placeholder: 'alice@contoso.com' })),
  field('Display name', input({ name: 'displayName' })),
  field('Password', input({ name: 'password', type: 'password', autocomplete: 'new-password', minlength: 8 }), 'For IMAP and SMTP AUTH; 8 characters or more.'),
  field('Quota (MB)', input({ name: 'quotaMb', type: 'number', min: 0, step: 'any', placeholder: '0 = unlimited' })),
  field('Aliases', textarea('aliases', '', { rows: 2, placeholder: 'al@contoso.com, a.smith@contoso.com' }), 'Separated by commas or new lines.', true),
  h('div', {}, submit));
  return h('section', { class: 'panel' }, h('h2', {}, 'Create a mailbox'), form);
}

async function show(ctx, id, detail) {
  const m = await get(`/mailboxes/${enc(id)}`);
  const out = h('div', { 'aria-live': 'polite' });
  const save = h('button', { type: 'submit', class: 'primary' }, 'Save');
  const form = h('form', { class: 'fields', onsubmit: (e) => {
    e.preventDefault();
    const v = values(form);
    busy(save, 'Saving…', async () => {
      await patch(`/mailboxes/${enc(id)}`, { displayName: v.displayName, aliases: list(v.aliases),
        quotaBytes: v.quotaMb ? Math.round(Number(v.quotaMb) * MB) : 0 });
      ctx.refresh(`Mailbox ${m.address} saved.`);
    }, out);
  } },
  field('Display name', input({ name: 'displayName', value: m.displayName, disabled: !ctx.canChange })),
  field('Quota (MB)', input({ name: 'quotaMb', type: 'number', min: 0, step: 'any', value: m.quotaBytes ? m.quotaBytes / MB : '', disabled: !ctx.canChange })),
  field('Aliases', textarea('aliases', m.aliases.join('\n'), { rows: 3, disabled: !ctx.canChange }), null, true),
  ctx.canChange ? h('div', {}, save) : null);
  const usage = m.quotaBytes ? `${fmtBytes(m.usageBytes)} of ${fmtBytes(m.quotaBytes)} (${Math.round((100 * m.usageBytes) / m.quotaBytes)}%)`
    : `${fmtBytes(m.usageBytes)} (no quota)`;
  fill(detail, h('section', { class: 'panel', 'aria-labelledby': 'mbx-h' },
    h('div', { class: 'spread' }, h('h2', { id: 'mbx-h' }, m.address),
      h('button', { type: 'button', onclick: () => detail.replaceChildren() }, 'Close')),
    h('p', {}, 'Usage: ', h('strong', {}, usage), m.passwordSet ? '' : ' · no password set (cannot log in)'),
    out, form, unreadableAliases(ctx, m, out), ctx.canChange ? passwordForm(id, out) : null,
    ctx.canChange ? h('p', {}, deleteButton(ctx, m, out)) : null));
  detail.querySelector('h2').focus();
}

function unreadableAliases(ctx, m, out) {
  if (!m.unreadableAliases) return null;
  return h('div', {}, h('h3', {}, 'Unreadable aliases'), ...m.unreadableAliases.map((a) => {
    const remove = h('button', { type: 'button', class: 'danger', onclick: () => busy(remove, 'Deleting…', async () => {
      await del(`/mailboxes/${enc(m.id)}/aliases/${enc(a.address)}`); ctx.refresh(`The alias ${a.address} was deleted.`);
    }, out) }, 'Delete alias');
    return h('div', {}, h('p', {}, h('strong', {}, a.address), ' ', badge('Unreadable', 'off')),
      h('p', { class: 'small muted' }, a.note), ctx.canChange ? h('p', {}, remove) : null);
  }));
}

function passwordForm(id, out) {
  const submit = h('button', { type: 'submit' }, 'Reset password');
  const form = h('form', { class: 'fields', onsubmit: (e) => {
    e.preventDefault();
    busy(submit, 'Setting…', async () => {
      await patch(`/mailboxes/${enc(id)}`, { password: values(form).password });
      form.reset();
      out.replaceChildren(note('The password was changed.'));
    }, out);
  } }, field('New password', input({ name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: 8 })),
  h('div', {}, submit));
  return h('div', {}, h('h3', {}, 'Reset the password'), form);
}

function deleteButton(ctx, m, out) {
  const b = h('button', { type: 'button', class: 'danger', onclick: async () => {
    // the API deletes the mailbox, not its stored mail (kept, as the store keeps mail a directory mistake orphaned)
    if (!await confirmDialog(`Delete the mailbox ${m.address}? Mail for it is refused from then on.`, 'Delete')) return;
    busy(b, 'Deleting…', async () => { await del(`/mailboxes/${enc(m.id)}`); ctx.refresh(); }, out);
  } }, 'Delete mailbox');
  return b;
}
