// Administrators: accounts with a role and their organizations; create, enable/disable, reset password, delete.
import { get, post, patch, del, enc } from '../api.js';
import { h, pageTitle, table, field, input, select, busy, values, confirmDialog, note, badge } from '../dom.js';

const ROLES = [['OrgAdmin', 'Organization administrator'], ['Helpdesk', 'Helpdesk (read-only, quarantine release, trace)'], ['GlobalAdmin', 'Global administrator']];

export async function render(ctx) {
  const out = h('div', { 'aria-live': 'polite' });
  ctx.main.append(pageTitle('Administrators'), out);
  if (ctx.canChange) ctx.main.append(createForm(ctx, out));
  const users = (await get('/users')).items;
  ctx.main.append(h('h2', {}, 'Accounts'), table([
    { title: 'Username', cell: (u) => h('strong', {}, u.username) },
    { title: 'Display name', cell: (u) => u.displayName || '' },
    { title: 'Role', cell: (u) => u.role },
    { title: 'Organizations', class: 'wrap', cell: (u) => (u.role === 'GlobalAdmin' ? 'All' : u.organizationIds.map(ctx.organizationName).join(', ')) },
    { title: 'State', cell: (u) => (u.enabled ? badge('Enabled', 'ok') : badge('Disabled', 'off')) },
    { title: 'Actions', cell: (u) => (ctx.canChange && u.username !== ctx.session.username ? actions(ctx, u, out) : '') },
  ], users, 'No accounts yet.', 'Administrator accounts'));
}

function createForm(ctx, out) {
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Create account');
  const orgs = h('select', { name: 'organizationIds', multiple: true, size: Math.min(4, Math.max(2, ctx.organizations.length)) },
    ctx.organizations.map((o) => h('option', { value: o.id, selected: o.id === ctx.targetOrganization() }, o.name)));
  const form = h('form', { class: 'fields', id: 'user-form', onsubmit: (e) => {
    e.preventDefault();
    const v = values(form);
    busy(submit, 'Creating…', async () => {
      const u = await post('/users', { username: v.username, displayName: v.displayName || null, role: v.role, password: v.password,
        organizationIds: v.role === 'GlobalAdmin' ? [] : [...orgs.selectedOptions].map((o) => o.value) });
      ctx.refresh(`Account ${u.username} created.`);
    }, out);
  } },
  field('Username', input({ name: 'username', required: true, autocomplete: 'off' })),
  field('Display name', input({ name: 'displayName' })),
  field('Role', select('role', ctx.isGlobal ? ROLES : ROLES.slice(0, 2), 'OrgAdmin')),
  field('Organizations', orgs, 'Ctrl-click or ⌘-click for several.'),
  field('Password', input({ name: 'password', type: 'password', required: true, minlength: 12, autocomplete: 'new-password' }), 'At least 12 characters.'),
  h('div', {}, submit));
  return h('section', { class: 'panel' }, h('h2', {}, 'Create an administrator'), form);
}

function actions(ctx, u, out) {
  const toggle = h('button', { type: 'button', onclick: () => busy(toggle, '…', async () => {
    await patch(`/users/${enc(u.id)}`, { enabled: !u.enabled });
    ctx.refresh();
  }, out) }, u.enabled ? 'Disable' : 'Enable');
  const reset = h('button', { type: 'button', onclick: () => {
    const pw = input({ name: 'password', type: 'password', minlength: 12, autocomplete: 'new-password' });
    const set = h('button', { type: 'submit', class: 'primary' }, 'Set password');
    const form = h('form', { class: 'row', onsubmit: (e) => {
      e.preventDefault();
      busy(set, 'Setting…', async () => {
        await post(`/users/${enc(u.id)}/password`, { password: pw.value });
        out.replaceChildren(note(`The password of ${u.username} was changed.`));
      }, out);
    } }, field(`New password for ${u.username}`, pw), set);
    out.replaceChildren(h('div', { class: 'panel' }, form));
    pw.focus();
  } }, 'Reset password');
  const remove = h('button', { type: 'button', class: 'danger', onclick: async () => {
    if (!await confirmDialog(`Delete the account ${u.username}? Its API tokens stop working.`, 'Delete')) return;
    busy(remove, 'Deleting…', async () => { await del(`/users/${enc(u.id)}`); ctx.refresh(); }, out);
  } }, 'Delete');
  return h('div', { class: 'actions' }, toggle, reset, remove);
}
