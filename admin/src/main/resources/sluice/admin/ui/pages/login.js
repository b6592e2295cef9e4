// Log in with username and password: POST /session sets the session cookie and answers the CSRF token.
import { post, setCsrfToken } from '../api.js';
import { h, fill, busy, field, input } from '../dom.js';

export function render(root, message, onLoggedIn) {
  const out = h('div', { id: 'login-error' });
  const username = input({ name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const password = input({ name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'login-submit' }, 'Log in');
  const form = h('form', { 'aria-describedby': 'login-error', onsubmit: (e) => {
    e.preventDefault();
    busy(submit, 'Logging in…', async () => {
      const session = await post('/session', { username: username.value.trim(), password: password.value });
      setCsrfToken(session.csrfToken);
      onLoggedIn();
    }, out);
  } },
  field('Username', username), field('Password', password), submit);
  fill(root, h('main', { class: 'login', id: 'main' }, h('div', { class: 'panel' },
    h('h1', {}, h('img', { src: '/ui/icon.svg', alt: '' }), 'Sluice admin center'),
    message ? h('div', { class: 'info', role: 'status' }, message) : null,
    out, form,
    h('p', { class: 'small muted' }, 'No account yet? Create the first administrator with the admin token printed at '
      + 'start-up (also in ', h('code', {}, 'data/admin-token'), '): ', h('code', {}, 'POST /api/v1/users'),
      ', as the README shows.'))));
  username.focus();
}
