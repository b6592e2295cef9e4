// DKIM signing keys: create one per domain, publish its DNS record, then enable; rotate; delete.
import { get, post, patch, del, query, enc } from '../api.js';
import { h, pageTitle, table, field, select, input, busy, values, confirmDialog, badge, fmtTime } from '../dom.js';

export async function render(ctx) {
  const out = h('div', { 'aria-live': 'polite' });
  ctx.main.append(pageTitle('DKIM'), h('p', { class: 'muted' }, 'A new key is off until you publish its TXT record in DNS; '
    + 'then turn it on. Rotating creates a key under a new selector and moves signing to it.'), out);
  const [keys, domains] = await Promise.all([get('/dkim' + query(ctx.orgQuery())), get('/domains' + query(ctx.orgQuery()))]);
  if (ctx.canChange) ctx.main.append(createForm(ctx, domains.items.filter((d) => !d.unreadable), out));
  ctx.main.append(h('h2', {}, 'Keys'), table([
    { title: 'Domain', cell: (k) => h('strong', {}, k.domainName) },
    { title: 'Selector', cell: (k) => h('code', {}, k.selector) },
    { title: 'Type', cell: (k) => k.keyType },
    { title: 'Signing', cell: (k) => (k.unreadable ? badge('Unreadable', 'off') : k.enabled ? badge('On', 'ok') : badge('Off', 'off')) },
    { title: 'DNS record to publish', class: 'wrap', cell: (k) => (k.unreadable ? h('p', { class: 'small muted' }, k.note) : h('div', {}, h('div', { class: 'small' }, 'TXT ', h('code', {}, k.dnsName)),
      h('pre', { class: 'small' }, k.dnsRecord), h('button', { type: 'button', class: 'link', onclick: (e) => copy(e.target, k.dnsRecord) }, 'Copy record'))) },
    { title: 'Created', cell: (k) => fmtTime(k.createdAt) },
    { title: 'Actions', cell: (k) => (ctx.canChange ? actions(ctx, k, out) : '') },
  ], keys.items, 'No DKIM keys. Outbound mail is signed only for domains with an enabled key.', 'DKIM keys'));
}

async function copy(button, text) {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  } catch {
    button.textContent = 'Select the record and copy it';
  }
}

function createForm(ctx, domains, out) {
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Create key');
  const form = h('form', { class: 'fields', onsubmit: (e) => {
    e.preventDefault();
    const v = values(form);
    const domain = domains.find((d) => d.domainName === v.domainName);
    busy(submit, 'Creating…', async () => {
      await post('/dkim', { organizationId: domain ? domain.organizationId : ctx.targetOrganization(), domainName: v.domainName,
        keyType: v.keyType, selector: v.selector || null });
      ctx.refresh();
    }, out);
  } },
  field('Domain', select('domainName', domains.map((d) => d.domainName), domains[0] && domains[0].domainName, { required: true })),
  field('Key type', select('keyType', [['Rsa2048', 'RSA 2048'], ['Ed25519', 'Ed25519']], 'Rsa2048')),
  field('Selector', input({ name: 'selector', placeholder: 'automatic' })),
  h('div', {}, submit));
  return h('section', { class: 'panel' }, h('h2', {}, 'Create a DKIM key'), form);
}

function actions(ctx, k, out) {
  const remove = h('button', { type: 'button', class: 'danger', onclick: async () => {
    if (!await confirmDialog(`Delete the key ${k.selector || ''} of ${k.domainName}?`, 'Delete')) return;
    busy(remove, 'Deleting…', async () => { await del(`/dkim/${enc(k.id)}`); ctx.refresh(); }, out);
  } }, 'Delete');
  if (k.unreadable) return h('div', { class: 'actions' }, remove); // it can only be deleted
  const toggle = h('button', { type: 'button', onclick: () => busy(toggle, '…', async () => {
    await patch(`/dkim/${enc(k.id)}`, { enabled: !k.enabled });
    ctx.refresh();
  }, out) }, k.enabled ? 'Turn off' : 'Turn on');
  const rotate = h('button', { type: 'button', onclick: async () => {
    if (!await confirmDialog(`Rotate the key of ${k.domainName}? Publish the new record before the old one is removed from DNS.`, 'Rotate', false)) return;
    busy(rotate, 'Rotating…', async () => { await post(`/dkim/${enc(k.id)}/rotate`, { keyType: k.keyType }); ctx.refresh(); }, out);
  } }, 'Rotate');
  return h('div', { class: 'actions' }, toggle, rotate, remove);
}
