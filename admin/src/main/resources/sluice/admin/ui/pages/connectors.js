// Connectors: inbound and outbound lists with status; the wizard (wizard.js) creates and edits them.
import { get, patch, del, query, enc } from '../api.js';
import { h, pageTitle, table, badge, busy, confirmDialog, fmtTime } from '../dom.js';

export async function render(ctx) {
  if (ctx.params.length) return (await import('./wizard.js')).render(ctx);
  const out = h('div', { 'aria-live': 'polite' });
  ctx.main.append(pageTitle('Connectors', ctx.canChange ? h('a', { class: 'button primary', href: '#/connectors/new', id: 'add-connector' }, 'Add a connector') : null),
    h('p', { class: 'muted' }, 'Connectors decide how mail reaches your on-premises servers and partners (outbound), and '
      + 'how Sluice recognises their servers when they send (inbound).'), out);
  const [outbound, inbound] = await Promise.all([get('/connectors/outbound' + query(ctx.orgQuery())), get('/connectors/inbound' + query(ctx.orgQuery()))]);
  ctx.main.append(h('h2', {}, 'Outbound: from Sluice to'), table([
    { title: 'Name', class: 'wrap', cell: (c) => name(ctx, 'outbound', c) },
    { title: 'To', cell: (c) => (c.connectorType === 'OnPremises' ? 'Your on-premises server' : 'Partner organization') },
    { title: 'Destinations', class: 'wrap', cell: (c) => (c.allAcceptedDomains ? 'All accepted domains' : c.isTransportRuleScoped ? 'Transport rules only' : c.recipientDomains.join(', ')) },
    { title: 'Next hop', class: 'wrap', cell: (c) => (c.useMxRecord ? 'MX record' : c.smartHosts.join(', ')) },
    { title: 'TLS', cell: (c) => c.tlsSettings || 'Opportunistic' },
    { title: 'Status', cell: (c) => status(c) },
    { title: 'Actions', cell: (c) => actions(ctx, 'outbound', c, out) },
  ], outbound.items, 'No outbound connectors: mail goes to hosted mailboxes or by MX to the internet.', 'Outbound connectors'),
  h('h2', {}, 'Inbound: to Sluice from'), table([
    { title: 'Name', class: 'wrap', cell: (c) => name(ctx, 'inbound', c) },
    { title: 'From', cell: (c) => (c.connectorType === 'OnPremises' ? 'Your on-premises server' : 'Partner organization') },
    { title: 'Identified by', class: 'wrap', cell: (c) => (c.tlsSenderCertificateName ? `Certificate ${c.tlsSenderCertificateName}` : c.senderIpAddresses.join(', ')) },
    { title: 'Sender domains', class: 'wrap', cell: (c) => c.senderDomains.join(', ') || '—' },
    { title: 'Requires TLS', cell: (c) => (c.requireTls ? 'Yes' : 'No') },
    { title: 'Status', cell: (c) => (c.enabled ? badge('On', 'ok') : badge('Off', 'off')) },
    { title: 'Actions', cell: (c) => actions(ctx, 'inbound', c, out) },
  ], inbound.items, 'No inbound connectors: only the internet and authenticated clients send to Sluice.', 'Inbound connectors'));
}

function name(ctx, kind, c) {
  return h('span', {}, h('a', { href: `#/connectors/${kind}/${enc(c.id)}` }, c.name),
    ctx.organizations.length > 1 ? h('div', { class: 'small muted' }, ctx.organizationName(c.organizationId)) : null);
}

function status(c) {
  const v = c.lastValidation;
  return h('div', {}, c.enabled ? badge('On', 'ok') : badge('Off', 'off'), ' ',
    !v ? badge('Not validated', 'warn') : v.succeeded ? badge('Validated', 'ok') : badge('Validation failed', 'bad'),
    v ? h('div', { class: 'small muted' }, fmtTime(v.at)) : null);
}

function actions(ctx, kind, c, out) {
  if (!ctx.canChange) return h('a', { href: `#/connectors/${kind}/${enc(c.id)}` }, 'View');
  const toggle = h('button', { type: 'button', onclick: () => busy(toggle, c.enabled ? 'Turning off…' : 'Turning on…', async () => {
    await patch(`/connectors/${kind}/${enc(c.id)}`, { enabled: !c.enabled });
    ctx.refresh();
  }, out) }, c.enabled ? 'Turn off' : 'Turn on');
  const remove = h('button', { type: 'button', class: 'danger', onclick: async () => {
    if (!await confirmDialog(`Delete the ${kind} connector ${c.name}?`, 'Delete')) return;
    busy(remove, 'Deleting…', async () => { await del(`/connectors/${kind}/${enc(c.id)}`); ctx.refresh(); }, out);
  } }, 'Delete');
  return h('div', { class: 'actions' }, h('a', { class: 'button', href: `#/connectors/${kind}/${enc(c.id)}` }, 'Edit'), toggle, remove);
}
