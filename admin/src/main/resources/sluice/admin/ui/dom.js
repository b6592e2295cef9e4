// Small DOM helpers. Text always goes in as text nodes, never parsed as markup, so nothing the API answers
// (a subject, a remote server's reply, a quarantined message) can become markup.

/** h('p', {class: 'x', onclick: fn}, 'text', child, [more]) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'for') el.htmlFor = v;
    else if (k === 'value') el.value = v;
    else if (k === 'checked' || k === 'selected') el[k] = true;
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces an element's content. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function errorBox(err) {
  const fields = (err.fieldErrors || []).map((e) => h('li', {}, h('code', {}, e.pointer.replace(/^#\//, '')), ' ', e.detail));
  return h('div', { class: 'alert', role: 'alert' }, h('strong', {}, err.message || String(err)),
    fields.length ? h('ul', {}, fields) : null);
}

export function note(text) {
  return h('div', { class: 'note', role: 'status' }, text);
}

export function progress(text) {
  return h('div', { class: 'progress', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), text);
}

/** Marks the inputs the API's field errors point at (by name), and focuses the first. */
export function markInvalid(form, err) {
  form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
  let first = null;
  for (const e of err.fieldErrors || []) {
    const name = e.pointer.replace(/^#\//, '').split('/')[0];
    const el = form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (el) { el.setAttribute('aria-invalid', 'true'); first = first || el; }
  }
  if (first) first.focus();
}

/**
 * Runs fn with the button disabled and a spinner in it; shows a failure in `out` (an element) as the
 * API's problem. Returns fn's result, or undefined when it threw.
 */
export async function busy(button, busyLabel, fn, out) {
  const label = Array.from(button.childNodes);
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  fill(button, h('span', { class: 'spinner', 'aria-hidden': 'true' }), busyLabel);
  if (out) out.replaceChildren();
  try {
    return await fn();
  } catch (err) {
    if (out) out.replaceChildren(errorBox(err));
    else console.error(err);
    const form = button.closest('form');
    if (form && err.fieldErrors) markInvalid(form, err);
    return undefined;
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    fill(button, label);
  }
}

let fieldSeq = 0;

/** A labelled control: field('Name', input({name: 'name'}), 'help text'). */
export function field(label, control, help, wide) {
  const id = control.id || `f${++fieldSeq}`;
  control.id = id;
  let hint = null;
  if (help) {
    hint = h('small', { id: id + '-help' }, help);
    control.setAttribute('aria-describedby', id + '-help');
  }
  return h('div', { class: wide ? 'field wide' : 'field' }, h('label', { for: id }, h('span', {}, label)), control, hint);
}

export function check(label, name, checked, help) {
  const box = h('input', { type: 'checkbox', name, checked });
  return h('label', { class: 'check' }, box, h('span', {}, label, help ? h('small', { class: 'muted' }, h('br'), help) : null));
}

export const input = (attrs) => h('input', { type: 'text', autocomplete: 'off', ...attrs });

export function select(name, options, value, attrs) {
  return h('select', { name, ...attrs }, options.map((o) => {
    const [v, label] = Array.isArray(o) ? o : [o, o];
    return h('option', { value: v, selected: v === value }, label);
  }));
}

export function textarea(name, value, attrs) {
  const t = h('textarea', { name, ...attrs });
  t.value = value || '';
  return t;
}

/** A table, or a muted line when there are no rows. columns: [{title, cell(row), class?}] */
export function table(columns, rows, empty, caption) {
  if (!rows.length) return h('p', { class: 'empty panel' }, empty || 'Nothing to show.');
  return h('div', { class: 'table-wrap' }, h('table', {},
    caption ? h('caption', { class: 'visually-hidden' }, caption) : null,
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c.title)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, columns.map((c) => h('td', { class: c.class, 'data-label': c.title }, c.cell(r))))))));
}

export function badge(text, kind) {
  return h('span', { class: 'badge ' + (kind || 'off') }, text);
}

export function pageTitle(text, ...actions) {
  document.title = text + ' · Sluice';
  return h('div', { class: 'spread' }, h('h1', { tabindex: '-1' }, text), actions.length ? h('div', { class: 'actions' }, actions) : null);
}

/** A modal question; resolves true when confirmed. */
export function confirmDialog(message, confirmLabel = 'Confirm', danger = true) {
  return new Promise((resolve) => {
    const dialog = h('dialog', { 'aria-labelledby': 'confirm-text' });
    const done = (answer) => { dialog.close(); dialog.remove(); resolve(answer); };
    dialog.append(h('p', { id: 'confirm-text' }, message), h('div', { class: 'actions' },
      h('button', { type: 'button', class: danger ? 'danger' : 'primary', onclick: () => done(true) }, confirmLabel),
      h('button', { type: 'button', onclick: () => done(false) }, 'Cancel')));
    dialog.addEventListener('cancel', () => resolve(false));
    document.body.append(dialog);
    dialog.showModal();
  });
}

// ---- formatting ----

export function fmtTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function fmtBytes(n) {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
}

/** The non-empty items of a comma- or newline-separated list. */
export function list(text) {
  return String(text || '').split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
}

/** A datetime-local value ("2025-01-31T08:00") as an ISO instant, or '' */
export function isoFromLocal(value) {
  return value ? new Date(value).toISOString() : '';
}

/** An ISO instant as a datetime-local value in the browser's zone. */
export function localFromDate(d) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The values of a form's named controls: checkboxes as booleans, the rest as trimmed strings. */
export function values(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name) continue;
    if (el.type === 'checkbox') out[el.name] = el.checked;
    else if (el.type === 'radio') { if (el.checked) out[el.name] = el.value; }
    else out[el.name] = el.value.trim();
  }
  return out;
}
