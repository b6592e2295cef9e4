// Accepted domains (and, for global administrators, the organizations they belong to).
import { get, post, patch, del, query, enc } from '../api.js';
import { h, pageTitle, table, field, input, select, check, busy, values, confirmDialog, note } from '../dom.js';

const TYPES = [['Authoritative', 'Authoritative: every recipient is hosted here'],
  ['InternalRelay', 'Internal relay: unknown recipients go to your on-premises servers']];

export async function render(ctx) {
  const out = h('div', { 'aria-live': 'polite' });
  ctx.main.append(pageTitle('Accepted domains'), out);
  if (ctx.isGlobal) ctx.main.append(organizations(ctx));
  if (ctx.canChange) ctx.main.append(createForm(ctx, out));
  const domains = (await get('/domains' + query(ctx.orgQuery()))).items;
  ctx.main.append(h('h2', {}, 'Domains'), table([
    { title: 'Domain', cell: (d) => h('strong', {}, d.domainName) },
    { title: 'Type', cell: (d) => (d.unreadable ? '' : d.domainType + (d.matchSubdomains ? ' (and subdomains)' : '')) },
    { title: 'Status', cell: (d) => (d.unreadable ? h('div', {}, h('strong', {}, 'Unreadable'), h('p', { class: 'small muted' }, d.note))
      : d.status === 'PendingVerification'
      ? h('div', {}, h('strong', {}, 'Pending verification'),
        h('p', { class: 'small muted' }, `Publish this TXT record at ${d.domainName}, then verify:`),
        h('code', { class: 'record' }, d.verificationRecord))
      : 'Verified') },
    { title: 'Organization', cell: (d) => ctx.organizationName(d.organizationId) },
    { title: 'Actions', cell: (d) => (ctx.canChange ? actions(ctx, d, out) : '') },
  ], domains, 'No accepted domains yet. Add the domains this organization receives mail for.', 'Accepted domains'));
}

function createForm(ctx, out) {
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Add domain');
  const form = h('form', { class: 'fields', id: 'domain-form', onsubmit: (e) => {
    e.preventDefault();
    const v = values(form);
    busy(submit, 'Adding…', async () => {
      const d = await post('/domains', { organizationId: ctx.targetOrganization(), domainName: v.domainName, domainType: v.domainType,
        matchSubdomains: v.matchSubdomains });
      ctx.refresh(d.status === 'PendingVerification'
        ? `${d.domainName} was added. Publish its TXT record (below), then verify it.`
        : `${d.domainName} is now an accepted domain.`);
    }, out);
  } },
  field('Domain name', input({ name: 'domainName', required: true, placeholder: 'contoso.com' })),
  field('Type', select('domainType', TYPES, 'Authoritative')),
  check('Match subdomains (internal relay only)', 'matchSubdomains'),
  h('div', {}, submit));
  return h('section', { class: 'panel' }, h('h2', {}, 'Add an accepted domain'),
    ctx.organizations.length > 1 ? h('p', { class: 'small muted' }, 'For organization: ',
      h('strong', {}, ctx.organizationName(ctx.targetOrganization())), ' (choose another at the top).') : null,
    form);
}

function actions(ctx, d, out) {
  if (d.unreadable) { // stored by an older version under a name read more strictly now: it can only be deleted
    const remove = h('button', { type: 'button', class: 'danger', onclick: () => busy(remove, 'Deleting…', async () => {
      await del(`/domains/${enc(d.id)}`); ctx.refresh();
    }, out) }, 'Delete');
    return h('div', { class: 'actions' }, remove);
  }
  if (d.status === 'PendingVerification') {
    const verify = h('button', { type: 'button', class: 'primary', onclick: () => busy(verify, 'Verifying…', async () => {
      await post(`/domains/${enc(d.id)}/verify`, {});
      ctx.refresh(`${d.domainName} is verified and now an accepted domain.`);
    }, out) }, 'Verify');
    const cancel = h('button', { type: 'button', class: 'danger', onclick: () => busy(cancel, 'Deleting…', async () => {
      await del(`/domains/${enc(d.id)}`); ctx.refresh();
    }, out) }, 'Delete');
    return h('div', { class: 'actions' }, verify, cancel);
  }
  const other = d.domainType === 'Authoritative' ? 'InternalRelay' : 'Authoritative';
  const change = h('button', { type: 'button', onclick: () => busy(change, 'Changing…', async () => {
    await patch(`/domains/${enc(d.id)}`, { domainType: other, matchSubdomains: false });
    ctx.refresh();
  }, out) }, `Make ${other}`);
  const remove = h('button', { type: 'button', class: 'danger', onclick: async () => {
    if (!await confirmDialog(`Delete the accepted domain ${d.domainName}? Mail for it will be refused.`, 'Delete')) return;
    busy(remove, 'Deleting…', async () => { await del(`/domains/${enc(d.id)}`); ctx.refresh(); }, out);
  } }, 'Delete');
  return h('div', { class: 'actions' }, change, remove);
}

function organizations(ctx) {
  const out = h('div');
  const submit = h('button', { type: 'submit' }, 'Create organization');
  const form = h('form', { class: 'row', onsubmit: (e) => {
    e.preventDefault();
    busy(submit, 'Creating…', async () => {
      const org = await post('/organizations', { name: values(form).name });
      sessionStorage.setItem('sluice.organizationId', org.id);
      out.replaceChildren(note(`Organization ${org.name} created.`));
      await ctx.reloadOrganizations();
    }, out);
  } }, field('New organization', input({ name: 'name', required: true, placeholder: 'Contoso' })), submit);
  return h('details', { class: 'panel', open: ctx.organizations.length === 0 },
    h('summary', {}, h('strong', {}, `Organizations (${ctx.organizations.length})`)),
    h('p', { class: 'small muted' }, ctx.organizations.map((o) => o.name).join(', ') || 'None yet: create the first one.'),
    form, out);
}

