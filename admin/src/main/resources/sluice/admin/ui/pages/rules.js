// Mail flow rules (transport rules): the organization's rules in priority order, turned on and off,
// moved, deleted; a new rule with one condition and one action. The API and 'sluice rule' offer every
// condition, exception and action.
import { get, post, patch, del, query, enc } from '../api.js';
import { h, pageTitle, table, field, input, select, busy, values, confirmDialog, badge } from '../dom.js';

const CONDITIONS = [['', 'Every message'], ['senderDomainIs', 'The sender domain is'], ['recipientDomainIs', 'A recipient domain is'],
  ['subjectContainsWords', 'The subject contains'], ['subjectOrBodyContainsWords', 'The subject or body contains'],
  ['attachmentExtensionMatchesWords', 'An attachment extension is'], ['fromScope', 'The sender is (InOrganization or NotInOrganization)']];
const ACTIONS = [['prependSubject', 'Prepend the subject with'], ['rejectMessage', 'Reject with the explanation'],
  ['redirectTo', 'Redirect to'], ['addBcc', 'Add as Bcc'], ['quarantine', 'Quarantine'], ['deleteMessage', 'Delete silently']];

export async function render(ctx) {
  const out = h('div', { 'aria-live': 'polite' });
  ctx.main.append(pageTitle('Mail flow rules'), h('p', { class: 'muted' }, 'Rules run in priority order after anti-malware: '
    + 'all conditions must match and no exception; then the actions apply.'), out);
  if (ctx.canChange) ctx.main.append(createForm(ctx, out));
  const rules = (await get('/rules' + query(ctx.orgQuery()))).items;
  ctx.main.append(h('h2', {}, 'Rules'), table([
    { title: 'Priority', cell: (r) => String(r.priority) },
    { title: 'Name', class: 'wrap', cell: (r) => h('span', {}, h('strong', {}, r.name),
      ctx.organizations.length > 1 ? h('div', { class: 'small muted' }, ctx.organizationName(r.organizationId)) : null) },
    { title: 'When', class: 'wrap', cell: (r) => summary(r.conditions) || 'Every message' },
    { title: 'Except', class: 'wrap', cell: (r) => summary(r.exceptions) || '—' },
    { title: 'Do', class: 'wrap', cell: (r) => summary(r.actions) },
    { title: 'Status', cell: (r) => (r.enabled ? badge('On', 'ok') : badge('Off', 'off')) },
    { title: 'Actions', cell: (r) => (ctx.canChange ? actions(ctx, r, out) : '') },
  ], rules, 'No mail flow rules.', 'Mail flow rules'));
}

/** "name: value" for each set entry of a rule's conditions, exceptions or actions. */
function summary(o) {
  return Object.entries(o).filter(([, v]) => v !== null && v !== false && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => (v === true ? k : `${k}: ${typeof v === 'object' && !Array.isArray(v) ? Object.values(v).join(' ') : v}`)).join('; ');
}

function createForm(ctx, out) {
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Add rule');
  const form = h('form', { class: 'fields', id: 'rule-form', onsubmit: (e) => {
    e.preventDefault();
    const v = values(form);
    const list = (s) => s.split(',').map((x) => x.trim()).filter((x) => x);
    const conditions = {};
    if (v.condition) conditions[v.condition] = v.condition === 'fromScope' ? v.conditionValue.trim() : list(v.conditionValue);
    const actions = {};
    if (v.action === 'rejectMessage') actions.rejectMessage = { reasonText: v.actionValue };
    else if (v.action === 'redirectTo' || v.action === 'addBcc') actions[v.action] = list(v.actionValue);
    // the form trims its values: the prefix gets the space that separates it from the subject back
    else if (v.action === 'prependSubject') actions.prependSubject = `${v.actionValue.trim()} `;
    else actions[v.action] = true;
    busy(submit, 'Adding…', async () => {
      const r = await post('/rules', { organizationId: ctx.targetOrganization(), name: v.name, conditions, actions });
      ctx.refresh(`Rule ${r.name} added at priority ${r.priority}.`);
    }, out);
  } },
  field('Name', input({ name: 'name', required: true, placeholder: 'Tag external mail' })),
  field('When', select('condition', CONDITIONS, '')), field('Value (comma-separated)', input({ name: 'conditionValue' })),
  field('Do', select('action', ACTIONS, 'prependSubject')), field('Value', input({ name: 'actionValue', placeholder: '[EXT] ' })),
  h('div', {}, submit));
  return h('section', { class: 'panel' }, h('h2', {}, 'Add a rule'), form);
}

function actions(ctx, r, out) {
  const toggle = h('button', { type: 'button', onclick: () => busy(toggle, r.enabled ? 'Turning off…' : 'Turning on…', async () => {
    await patch(`/rules/${enc(r.id)}`, { enabled: !r.enabled });
    ctx.refresh();
  }, out) }, r.enabled ? 'Turn off' : 'Turn on');
  const up = h('button', { type: 'button', disabled: r.priority === 0, onclick: () => busy(up, 'Moving…', async () => {
    await patch(`/rules/${enc(r.id)}`, { priority: r.priority - 1 });
    ctx.refresh();
  }, out) }, 'Move up');
  const remove = h('button', { type: 'button', class: 'danger', onclick: async () => {
    if (!await confirmDialog(`Delete the mail flow rule ${r.name}?`, 'Delete')) return;
    busy(remove, 'Deleting…', async () => { await del(`/rules/${enc(r.id)}`); ctx.refresh(); }, out);
  } }, 'Delete');
  return h('div', { class: 'actions' }, toggle, up, remove);
}
