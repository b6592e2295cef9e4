// The connector wizard, modelled on Exchange's: mail flow scenario (from → to), name, how the connector
// is used or how the sender is identified, routing, TLS, review, and for outbound a validation step
// that connects to every next hop and shows the per-host report.
import { get, post, patch, enc } from '../api.js';
import { h, fill, pageTitle, field, input, textarea, check, busy, values, list, errorBox, note, progress, badge, fmtTime, table } from '../dom.js';

const PLACES = { sluice: 'Sluice (your organization)', internet: 'Internet', partner: 'Partner organization', onprem: "Your organization's on-premises email server" };

export async function render(ctx) {
  const [kind, id] = ctx.params;
  const s = { kind: 'outbound', from: 'sluice', to: 'onprem', enabled: true, scope: 'domains', hop: 'smarthosts', tls: 'None', identify: 'ip', requireTls: false };
  if (id && (kind === 'outbound' || kind === 'inbound')) Object.assign(s, fromConnector(kind, await get(`/connectors/${kind}/${enc(id)}`)));
  const title = s.id ? `${s.kind === 'outbound' ? 'Outbound' : 'Inbound'} connector ${s.name}` : 'Add a connector';
  ctx.main.append(pageTitle(title, h('a', { class: 'button', href: '#/connectors' }, 'Back to connectors')));
  if (s.id && !ctx.canChange) {
    ctx.main.append(h('div', { class: 'info', id: 'read-only' }, 'Your role can view connectors but not change them.'),
      h('section', { class: 'panel' }, review(s)));
    return;
  }
  const box = h('section', { class: 'panel wizard', 'aria-live': 'polite' });
  ctx.main.append(box);
  show(ctx, box, s, s.id ? 1 : 0);
}

function fromConnector(kind, c) {
  const place = c.connectorType === 'OnPremises' ? 'onprem' : (kind === 'outbound' && c.recipientDomains.includes('*') ? 'internet' : 'partner');
  return {
    id: c.id, organizationId: c.organizationId, kind, name: c.name, comment: c.comment || '', enabled: c.enabled,
    from: kind === 'outbound' ? 'sluice' : place, to: kind === 'outbound' ? place : 'sluice',
    scope: c.allAcceptedDomains ? 'all' : c.isTransportRuleScoped ? 'rules' : 'domains',
    recipientDomains: (c.recipientDomains || []).join('\n'), hop: c.useMxRecord ? 'mx' : 'smarthosts',
    smartHosts: (c.smartHosts || []).join('\n'), originalSmartHosts: (c.smartHosts || []).join('\n'), localHopsAllowed: !!c.localHopsAllowed, tls: c.tlsSettings || 'None', tlsDomain: c.tlsDomain || '',
    identify: c.tlsSenderCertificateName ? 'cert' : 'ip', senderIpAddresses: (c.senderIpAddresses || []).join('\n'),
    tlsSenderCertificateName: c.tlsSenderCertificateName || '', senderDomains: (c.senderDomains || []).join('\n'),
    requireTls: c.requireTls, restrictDomainsToIpAddresses: c.restrictDomainsToIpAddresses,
    restrictDomainsToCertificate: c.restrictDomainsToCertificate, treatMessagesAsInternal: c.treatMessagesAsInternal,
    lastValidation: c.lastValidation,
  };
}

function steps(s) {
  return s.kind === 'outbound'
    ? [['Mail flow', flowStep], ['Name', nameStep], ['Use of connector', useStep], ['Routing', routingStep], ['Security', tlsStep], ['Review', reviewStep], ['Validate', validateStep]]
    : [['Mail flow', flowStep], ['Name', nameStep], ['Identify the sender', identifyStep], ['Security', inboundSecurityStep], ['Review', reviewStep]];
}

function show(ctx, box, s, index) {
  const all = steps(s);
  const [label, step] = all[index];
  const out = h('div');
  const form = h('form', { novalidate: true });
  const view = step(s, ctx, out);
  const last = label === 'Review';
  const next = h('button', { type: 'submit', class: 'primary', id: 'wizard-next' }, last ? (s.id ? 'Save' : 'Create connector') : 'Next');
  const back = h('button', { type: 'button', id: 'wizard-back', disabled: index === 0 || (s.id && index === 1),
    onclick: () => { view.read && view.read(values(form)); show(ctx, box, s, index - 1); } }, 'Back');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const problem = view.read ? view.read(values(form)) : null;
    if (problem) return out.replaceChildren(errorBox({ message: problem }));
    if (!last) return show(ctx, box, s, index + 1);
    busy(next, s.id ? 'Saving…' : 'Creating…', async () => {
      const saved = await save(ctx, s);
      s.id = saved.id;
      if (s.kind === 'outbound') show(ctx, box, s, index + 1);
      else fill(box, note(`The inbound connector ${saved.name} is saved.`), h('a', { class: 'button primary', href: '#/connectors' }, 'Done'));
    }, out);
  });
  form.append(view.body, out);
  if (label !== 'Validate') form.append(h('div', { class: 'wizard-nav' }, back, next));
  fill(box, h('ol', { class: 'steps', 'aria-label': 'Steps' }, all.map(([l], i) => h('li', {
    class: i < index ? 'done' : '', 'aria-current': i === index ? 'step' : null }, l))),
  h('h2', { tabindex: '-1', id: 'wizard-step' }, label), form);
  box.querySelector('#wizard-step').focus();
}

function choice(name, value, title, desc, current) {
  return h('label', { class: 'choice' }, h('input', { type: 'radio', name, value, checked: value === current }),
    h('span', {}, h('b', {}, title), desc ? h('span', { class: 'small muted' }, desc) : null));
}

function flowStep(s) {
  const to = h('div', { class: 'choices' });
  const drawTo = (from) => fill(to, from === 'sluice'
    ? ['onprem', 'partner', 'internet'].map((p) => choice('to', p, PLACES[p], null, s.to === 'sluice' ? 'onprem' : s.to))
    : [choice('to', 'sluice', PLACES.sluice, null, 'sluice')]);
  drawTo(s.from);
  const from = h('div', { class: 'choices', onchange: (e) => drawTo(e.target.value) },
    ['sluice', 'onprem', 'partner', 'internet'].map((p) => choice('from', p, PLACES[p], null, s.from)));
  return {
    body: h('div', { class: 'grid2' }, h('fieldset', {}, h('legend', {}, 'Connection from'), from), h('fieldset', {}, h('legend', {}, 'Connection to'), to)),
    read: (v) => {
      if (v.from === 'internet') return 'Mail from the internet needs no connector: Sluice receives it for your accepted domains. Choose where the connection comes from that Sluice must recognise.';
      s.from = v.from; s.to = v.to;
      s.kind = v.from === 'sluice' ? 'outbound' : 'inbound';
      if (s.kind === 'outbound' && s.to === 'internet') { s.scope = 'domains'; s.recipientDomains = s.recipientDomains || '*'; s.hop = s.hop || 'mx'; }
      if (s.kind === 'outbound' && s.to === 'onprem' && !s.recipientDomains) s.scope = 'all';
      return null;
    },
  };
}

function nameStep(s) {
  return {
    body: h('div', { class: 'fields' },
      field('Name', input({ name: 'name', value: s.name || '', required: true, placeholder: s.kind === 'outbound' ? 'To on-premises' : 'From on-premises' })),
      field('Description', input({ name: 'comment', value: s.comment || '' }), null),
      check('Turn it on after saving', 'enabled', s.enabled)),
    read: (v) => { s.name = v.name; s.comment = v.comment; s.enabled = v.enabled; return v.name ? null : 'Give the connector a name.'; },
  };
}

function useStep(s) {
  const opts = [choice('scope', 'domains', 'Only when email messages are sent to these domains', 'Exact names or wildcards such as *.contoso.com; * means every domain.', s.scope)];
  if (s.to === 'onprem') opts.push(choice('scope', 'all', 'For email messages sent to all accepted domains', 'Recipients of your domains that have no hosted mailbox (hybrid).', s.scope));
  opts.push(choice('scope', 'rules', 'Only when I have a mail flow rule that redirects messages to this connector', null, s.scope));
  return {
    body: h('div', {}, h('fieldset', {}, h('legend', {}, 'Use this connector'), h('div', { class: 'choices' }, opts)),
      field('Recipient domains', textarea('recipientDomains', s.recipientDomains, { rows: 3, placeholder: 'fabrikam.com' }), 'One per line or separated by commas.', true)),
    read: (v) => {
      s.scope = v.scope; s.recipientDomains = v.recipientDomains;
      return s.scope === 'domains' && !list(v.recipientDomains).length ? 'Name at least one recipient domain.' : null;
    },
  };
}

function routingStep(s, ctx) {
  // Only a global administrator may let a connector deliver to this node itself (a content filter on loopback).
  const local = ctx.isGlobal ? check('These smart hosts may be this node itself (a content filter on 127.0.0.1)', 'localHopsAllowed',
    s.localHopsAllowed, 'Loopback and this machine\'s own addresses are refused otherwise, also when a host name resolves to them.') : null;
  return {
    body: h('div', {}, h('fieldset', {}, h('legend', {}, 'How should mail be routed?'), h('div', { class: 'choices' },
      s.to === 'onprem' ? null : choice('hop', 'mx', 'Use the MX record associated with the recipient domain', null, s.hop),
      choice('hop', 'smarthosts', 'Route email through these smart hosts', 'Host names or IP addresses, with :port when not 25.', s.to === 'onprem' ? 'smarthosts' : s.hop))),
    field('Smart hosts', textarea('smartHosts', s.smartHosts, { rows: 3, placeholder: 'mail.onprem.contoso.com:25' }), null, true), local),
    read: (v) => {
      s.hop = v.hop || 'smarthosts'; s.smartHosts = v.smartHosts;
      if (ctx.isGlobal) s.localHopsAllowed = !!v.localHopsAllowed;
      else if (list(v.smartHosts).join() !== list(s.originalSmartHosts || '').join()) s.localHopsAllowed = false; // the API clears it
      return s.hop === 'smarthosts' && !list(v.smartHosts).length ? 'Add at least one smart host, or use the MX record.' : null;
    },
  };
}

function tlsStep(s) {
  const on = s.tls !== 'None';
  return {
    body: h('div', {}, check('Always use Transport Layer Security (TLS) to secure the connection (recommended)', 'requireTlsOut', on,
      'Without it TLS is opportunistic. A required TLS that fails is never downgraded: mail waits, and returns with the reason.'),
    h('fieldset', {}, h('legend', {}, 'Connect only if the recipient\'s certificate'), h('div', { class: 'choices' },
      choice('tls', 'EncryptionOnly', 'Is any certificate (encryption only)', null, on ? s.tls : 'CertificateValidation'),
      choice('tls', 'CertificateValidation', 'Is issued by a trusted certificate authority (CA)', null, on ? s.tls : 'CertificateValidation'),
      choice('tls', 'DomainValidation', 'Is issued by a trusted CA and its subject name matches this domain', null, on ? s.tls : 'CertificateValidation')),
    field('Certificate domain', input({ name: 'tlsDomain', value: s.tlsDomain || '', placeholder: 'mail.contoso.com' }), 'For the last choice only.'))),
    read: (v) => {
      s.tls = v.requireTlsOut ? v.tls : 'None';
      s.tlsDomain = s.tls === 'DomainValidation' ? v.tlsDomain : '';
      return s.tls === 'DomainValidation' && !s.tlsDomain ? 'Name the domain the certificate must match.' : null;
    },
  };
}

function identifyStep(s) {
  return {
    body: h('div', {}, h('fieldset', {}, h('legend', {}, `How should Sluice identify email from ${s.from === 'onprem' ? 'your email server' : 'your partner'}?`),
      h('div', { class: 'choices' },
        choice('identify', 'ip', 'By verifying that the IP address of the sending server matches one of these', 'IPv4 or IPv6 addresses and CIDR ranges.', s.identify),
        choice('identify', 'cert', 'By verifying that the subject name on the sending server\'s TLS certificate matches this name', 'Wildcards such as *.contoso.com are allowed.', s.identify))),
    h('div', { class: 'fields' },
      field('Sender IP addresses', textarea('senderIpAddresses', s.senderIpAddresses, { rows: 3, placeholder: '192.0.2.10\n2001:db8::/64' })),
      field('Certificate subject name', input({ name: 'tlsSenderCertificateName', value: s.tlsSenderCertificateName || '', placeholder: 'mail.contoso.com' })),
      field('Sender domains', textarea('senderDomains', s.senderDomains, { rows: 2, placeholder: '*' }), 'The sender domains this connector applies to; * for all.'))),
    read: (v) => {
      s.identify = v.identify; s.senderIpAddresses = v.senderIpAddresses; s.tlsSenderCertificateName = v.tlsSenderCertificateName; s.senderDomains = v.senderDomains;
      if (s.identify === 'ip' && !list(v.senderIpAddresses).length) return 'Add at least one sender IP address or range.';
      if (s.identify === 'cert' && !v.tlsSenderCertificateName) return 'Give the certificate subject name.';
      return null;
    },
  };
}

function inboundSecurityStep(s) {
  return {
    body: h('div', { class: 'choices' },
      check('Reject email messages if they aren\'t sent over TLS', 'requireTls', s.requireTls || s.identify === 'cert'),
      s.from === 'partner' ? check('Reject messages from these sender domains unless they come from the IP addresses above', 'restrictDomainsToIpAddresses', s.restrictDomainsToIpAddresses) : null,
      s.from === 'partner' ? check('Reject messages from these sender domains unless the certificate name above matches', 'restrictDomainsToCertificate', s.restrictDomainsToCertificate) : null,
      s.from === 'onprem' ? check('Treat messages from this connector as internal to the organization', 'treatMessagesAsInternal', s.treatMessagesAsInternal) : null),
    read: (v) => {
      s.requireTls = v.requireTls; s.restrictDomainsToIpAddresses = !!v.restrictDomainsToIpAddresses;
      s.restrictDomainsToCertificate = !!v.restrictDomainsToCertificate; s.treatMessagesAsInternal = !!v.treatMessagesAsInternal;
      return null;
    },
  };
}

function reviewStep(s, ctx) {
  return { body: h('div', {}, review(s, ctx), h('p', { class: 'small muted' }, s.id ? 'Save to apply the changes.' : 'Create the connector; an outbound connector can then be validated.')) };
}

function review(s, ctx) {
  const rows = [['Mail flow', `${PLACES[s.from]} → ${PLACES[s.to]}`], ['Name', s.name], ['Description', s.comment || '—'], ['State', s.enabled ? 'On' : 'Off']];
  if (ctx && ctx.organizations.length > 1) rows.push(['Organization', ctx.organizationName(s.organizationId || ctx.targetOrganization())]);
  if (s.kind === 'outbound') {
    rows.push(['Used for', s.scope === 'all' ? 'All accepted domains' : s.scope === 'rules' ? 'Mail flow rules only' : list(s.recipientDomains).join(', ')],
      ['Routing', s.hop === 'mx' ? 'MX record of the recipient domain' : list(s.smartHosts).join(', ')
        + (s.localHopsAllowed ? ' (may be this node itself)' : '')],
      ['TLS', s.tls === 'None' ? 'Opportunistic' : s.tls + (s.tlsDomain ? ` (${s.tlsDomain})` : '')]);
  } else {
    rows.push(['Identified by', s.identify === 'cert' ? `Certificate ${s.tlsSenderCertificateName}` : list(s.senderIpAddresses).join(', ')],
      ['Sender domains', list(s.senderDomains).join(', ') || '*'], ['Requires TLS', s.requireTls ? 'Yes' : 'No']);
  }
  return h('dl', { class: 'review' }, rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

async function save(ctx, s) {
  const type = (s.kind === 'outbound' ? s.to : s.from) === 'onprem' ? 'OnPremises' : 'Partner';
  let body = { name: s.name, comment: s.comment, enabled: s.enabled, connectorType: type };
  if (s.kind === 'outbound') {
    Object.assign(body, {
      allAcceptedDomains: s.scope === 'all', isTransportRuleScoped: s.scope === 'rules',
      recipientDomains: s.scope === 'domains' ? list(s.recipientDomains) : [],
      useMxRecord: s.hop === 'mx', smartHosts: s.hop === 'mx' ? [] : list(s.smartHosts),
      tlsSettings: s.tls, tlsDomain: s.tls === 'DomainValidation' ? s.tlsDomain : '',
    });
    if (ctx.isGlobal) body.localHopsAllowed = !!s.localHopsAllowed; // others leave it as the API keeps it
  } else {
    Object.assign(body, {
      senderIpAddresses: s.identify === 'ip' ? list(s.senderIpAddresses) : [],
      tlsSenderCertificateName: s.identify === 'cert' ? s.tlsSenderCertificateName : '',
      senderDomains: list(s.senderDomains).length ? list(s.senderDomains) : ['*'],
      requireTls: s.requireTls, restrictDomainsToIpAddresses: s.restrictDomainsToIpAddresses,
      restrictDomainsToCertificate: s.restrictDomainsToCertificate, treatMessagesAsInternal: s.treatMessagesAsInternal,
    });
  }
  if (s.id) return patch(`/connectors/${s.kind}/${enc(s.id)}`, body);
  if (body.tlsSettings === 'None') body = { ...body, tlsSettings: null };
  return post(`/connectors/${s.kind}`, { organizationId: ctx.targetOrganization(), ...body });
}

function validateStep(s, ctx, out) {
  const report = h('div', { id: 'validation-report' }, s.lastValidation ? validationReport(s.lastValidation) : null);
  const run = h('button', { type: 'button', class: 'primary', id: 'validate-run' }, 'Validate');
  const recipient = input({ name: 'recipient', type: 'email', placeholder: 'postmaster@fabrikam.com' });
  run.addEventListener('click', () => busy(run, 'Validating…', async () => {
    fill(report, progress('Connecting to each next hop as delivery would (EHLO, STARTTLS, certificate)… this can take up to a minute.'));
    try {
      const r = await post(`/connectors/outbound/${enc(s.id)}/validate`, recipient.value.trim() ? { recipients: [recipient.value.trim()] } : {});
      s.lastValidation = r;
      fill(report, validationReport(r));
    } catch (err) {
      report.replaceChildren();
      throw err;
    }
  }, out));
  return {
    body: h('div', {}, note(`The connector ${s.name} is saved. Validate it now: Sluice connects to its next hops and, with a recipient, sends a test message.`),
      h('div', { class: 'fields' }, field('Send a test message to (optional)', recipient), h('div', { class: 'actions' }, run,
        h('a', { class: 'button', href: '#/connectors', id: 'wizard-done' }, 'Done'))),
      report),
  };
}

export function validationReport(v) {
  return h('div', {}, h('h3', {}, 'Validation ', v.succeeded ? badge('Succeeded', 'ok') : badge('Failed', 'bad'), ' ', h('span', { class: 'small muted' }, fmtTime(v.at))),
    table([
      { title: 'Host', cell: (x) => h('code', {}, x.host) },
      { title: 'Result', cell: (x) => (x.succeeded ? badge('OK', 'ok') : badge('Failed', 'bad')) },
      { title: 'Steps', class: 'wrap', cell: (x) => h('ol', { class: 'small' }, x.steps.map((st) => h('li', {}, st))) },
      { title: 'Error', class: 'wrap', cell: (x) => x.error || '' },
    ], v.hosts, 'No hosts were tried.', 'Validation per host'));
}
