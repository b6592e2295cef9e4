// Protection policies of one organization: connection filter, anti-spam, anti-malware.
import { get, patch, enc } from '../api.js';
import { h, pageTitle, field, input, select, textarea, check, busy, values, note, list } from '../dom.js';

const SPAM_ACTIONS = [['MoveToJmf', 'Move to Junk Email folder'], ['AddXHeader', 'Add X-header'], ['ModifySubject', 'Prepend subject'],
  ['Quarantine', 'Quarantine'], ['Reject', 'Reject'], ['NoAction', 'No action']];

export async function render(ctx) {
  const org = ctx.targetOrganization();
  ctx.main.append(pageTitle('Protection policies'));
  if (!org) return ctx.main.append(h('p', { class: 'panel' }, 'Create an organization first.'));
  ctx.main.append(h('p', { class: 'muted' }, 'Policies of ', h('strong', {}, ctx.organizationName(org)),
    ctx.organizationId ? '' : ' (choose another organization at the top).'));
  const base = `/policies/%s/${enc(org)}`;
  const [conn, spam, malware] = await Promise.all(['connection-filter', 'anti-spam', 'anti-malware'].map((k) => get(base.replace('%s', k))));
  const ro = !ctx.canChange;
  ctx.main.append(h('div', { class: 'grid2' },
    section(ctx, 'Connection filter', base.replace('%s', 'connection-filter'), [
      field('IP allow list', textarea('ipAllowList', conn.ipAllowList.join('\n'), { rows: 4, disabled: ro }), 'Addresses or CIDR ranges that skip spam filtering.', true),
      field('IP block list', textarea('ipBlockList', conn.ipBlockList.join('\n'), { rows: 4, disabled: ro }), 'Refused at connection.', true),
    ], (v) => ({ ipAllowList: list(v.ipAllowList), ipBlockList: list(v.ipBlockList) })),
    section(ctx, 'Anti-malware', base.replace('%s', 'anti-malware'), [
      field('When malware is found', select('action', [['Reject', 'Reject the message'], ['Quarantine', 'Quarantine the message']], malware.action, { disabled: ro })),
      field('Quarantine retention (days)', input({ name: 'quarantineRetentionPeriod', type: 'number', min: 1, max: 30, value: malware.quarantineRetentionPeriod, disabled: ro })),
      check('Common attachments filter (block these file types)', 'enableFileFilter', malware.enableFileFilter),
      field('File types', textarea('fileTypes', malware.fileTypes.join(', '), { rows: 3, disabled: ro }), null, true),
    ], (v) => ({ action: v.action, quarantineRetentionPeriod: Number(v.quarantineRetentionPeriod), enableFileFilter: v.enableFileFilter, fileTypes: list(v.fileTypes) }))),
  section(ctx, 'Anti-spam', base.replace('%s', 'anti-spam'), [
    field('Spam at SCL', input({ name: 'spamScl', type: 'number', min: 1, max: 9, value: spam.spamScl, disabled: ro })),
    field('Spam action', select('spamAction', SPAM_ACTIONS, spam.spamAction, { disabled: ro })),
    field('High confidence spam at SCL', input({ name: 'highConfidenceSpamScl', type: 'number', min: 1, max: 9, value: spam.highConfidenceSpamScl, disabled: ro })),
    field('High confidence spam action', select('highConfidenceSpamAction', SPAM_ACTIONS, spam.highConfidenceSpamAction, { disabled: ro })),
    field('Subject prefix', input({ name: 'modifySubjectValue', value: spam.modifySubjectValue || '', disabled: ro })),
    field('Spoofed sender action', select('spoofAction', SPAM_ACTIONS, spam.spoofAction, { disabled: ro })),
    field('DMARC p=reject action', select('dmarcRejectAction', SPAM_ACTIONS, spam.dmarcRejectAction, { disabled: ro })),
    field('DMARC p=quarantine action', select('dmarcQuarantineAction', SPAM_ACTIONS, spam.dmarcQuarantineAction, { disabled: ro })),
    field('Quarantine retention (days)', input({ name: 'quarantineRetentionPeriod', type: 'number', min: 1, max: 30, value: spam.quarantineRetentionPeriod, disabled: ro })),
  ], (v) => ({
    spamScl: Number(v.spamScl), highConfidenceSpamScl: Number(v.highConfidenceSpamScl), spamAction: v.spamAction,
    highConfidenceSpamAction: v.highConfidenceSpamAction, modifySubjectValue: v.modifySubjectValue, spoofAction: v.spoofAction,
    dmarcRejectAction: v.dmarcRejectAction, dmarcQuarantineAction: v.dmarcQuarantineAction,
    quarantineRetentionPeriod: Number(v.quarantineRetentionPeriod),
  })));
  if (ro) ctx.main.querySelectorAll('input[type=checkbox]').forEach((c) => { c.disabled = true; });
}

function section(ctx, title, path, fields, body) {
  const out = h('div', { 'aria-live': 'polite' });
  const save = h('button', { type: 'submit', class: 'primary' }, `Save ${title.toLowerCase()}`);
  const form = h('form', { class: 'fields', onsubmit: (e) => {
    e.preventDefault();
    busy(save, 'Saving…', async () => {
      await patch(path, body(values(form)));
      out.replaceChildren(note(`${title} saved.`));
    }, out);
  } }, fields, ctx.canChange ? h('div', {}, save) : null);
  return h('section', { class: 'panel', 'aria-label': title }, h('h2', {}, title), out, form);
}
