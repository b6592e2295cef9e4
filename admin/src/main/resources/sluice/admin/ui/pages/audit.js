// Audit log: every configuration change, newest first: who, when, which organization, what changed.
import { get, query } from '../api.js';
import { h, fill, pageTitle, table, field, input, busy, values, progress, fmtTime, isoFromLocal } from '../dom.js';

export async function render(ctx) {
  const results = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Show');
  const form = h('form', { class: 'fields', onsubmit: (e) => { e.preventDefault(); load(ctx, form, submit, results); } },
    field('From', input({ name: 'from', type: 'datetime-local' })),
    field('To', input({ name: 'to', type: 'datetime-local' })),
    h('div', {}, submit));
  ctx.main.append(pageTitle('Audit log'), h('section', { class: 'panel' }, form), results);
  await load(ctx, form, submit, results);
}

async function load(ctx, form, submit, results) {
  const v = values(form);
  fill(results, progress('Loading…'));
  await busy(submit, 'Loading…', async () => {
    const items = (await get('/audit' + query({ ...ctx.orgQuery(), from: isoFromLocal(v.from), to: isoFromLocal(v.to), limit: 200 }))).items;
    fill(results, table([
      { title: 'When', cell: (a) => fmtTime(a.at) },
      { title: 'Who', cell: (a) => a.actor },
      { title: 'Action', cell: (a) => h('code', {}, a.action) },
      { title: 'Organization', cell: (a) => (a.organizationId ? ctx.organizationName(a.organizationId) : '—') },
      { title: 'Changes', class: 'wrap', cell: (a) => (a.details ? h('details', {}, h('summary', {}, a.targetId ? `Object ${a.targetId.slice(0, 8)}` : 'Details'),
        h('pre', { class: 'small' }, JSON.stringify(a.details, null, 2))) : (a.targetId || '')) },
    ], items, 'No changes recorded in this range.', 'Audit log'));
  }, results);
}
