// The admin center's shell: who is logged in, the organization in view, the navigation, and the page
// for the address after '#'. Each page is a module in pages/ exporting render(ctx).
import { get, del, setCsrfToken, onSessionExpired } from './api.js';
import { h, fill, errorBox, progress, note } from './dom.js';

const PAGES = [
  // [route, label, module, who may see it]
  ['dashboard', 'Dashboard', 'dashboard', 'all'],
  ['domains', 'Accepted domains', 'domains', 'all'],
  ['mailboxes', 'Mailboxes', 'mailboxes', 'all'],
  ['connectors', 'Connectors', 'connectors', 'all'],
  ['rules', 'Mail flow rules', 'rules', 'all'],
  ['policies', 'Protection policies', 'policies', 'all'],
  ['dkim', 'DKIM', 'dkim', 'all'],
  ['quarantine', 'Quarantine', 'quarantine', 'all'],
  ['trace', 'Message trace', 'trace', 'all'],
  ['queue', 'Queue', 'queue', 'all'],
  ['users', 'Administrators', 'users', 'admins'],
  ['audit', 'Audit log', 'audit', 'all'],
];
const ORG_KEY = 'sluice.organizationId';
/** What the login page says after a restart (logout, expiry): the reload would forget it otherwise. */
const LOGIN_MESSAGE_KEY = 'sluice.loginMessage';

const state = { session: null, organizations: [], organizationId: '' };
const root = document.getElementById('app');

// The server's words: besides an expiry, a 401 may mean the browser sent two session cookies (another site
// of this domain planted one), which only clearing this site's cookies ends; a generic line would hide that.
onSessionExpired((err) => restart(err.refused ? err.message : 'Your session has expired or ended. Log in again to continue.'));
window.addEventListener('hashchange', () => { if (state.session) route(); });
start();

/** @param afterLogin a login just succeeded: a 401 now is not "not logged in yet" but the server saying why not */
async function start(afterLogin = false) {
  try {
    state.session = await get('/session');
  } catch (err) {
    if (err.status === 401) {
      const message = sessionStorage.getItem(LOGIN_MESSAGE_KEY);
      sessionStorage.removeItem(LOGIN_MESSAGE_KEY);
      // Without the server's detail the login page would come back blank after every login, with no way out.
      return showLogin(message || (afterLogin || err.refused ? err.message : undefined));
    }
    return fill(root, h('div', { class: 'login' }, errorBox(err)));
  }
  setCsrfToken(state.session.csrfToken);
  try {
    state.organizations = (await get('/organizations')).items;
  } catch (err) {
    state.organizations = [];
  }
  const saved = sessionStorage.getItem(ORG_KEY);
  const ids = state.organizations.map((o) => o.id);
  state.organizationId = ids.includes(saved) ? saved : (isGlobal() || ids.length !== 1 ? '' : ids[0]);
  renderShell();
  route();
}

async function showLogin(message) {
  state.session = null;
  setCsrfToken(null);
  document.title = 'Log in · Sluice';
  const { render } = await import('./pages/login.js');
  render(root, message, () => start(true));
}

function isGlobal() {
  return state.session.role === 'GlobalAdmin';
}

function renderShell() {
  const nav = h('nav', { class: 'side', 'aria-label': 'Admin center' },
    PAGES.filter(([, , , who]) => who === 'all' || state.session.role !== 'Helpdesk')
      .map(([r, label]) => h('a', { href: '#/' + r, 'data-route': r }, label)));
  const toggle = h('button', { type: 'button', class: 'menu-toggle', 'aria-expanded': 'false', 'aria-controls': 'side-nav',
    onclick: () => {
      const open = nav.classList.toggle('open');
      toggle.setAttribute('aria-expanded', String(open));
    } }, 'Menu');
  nav.id = 'side-nav';
  nav.addEventListener('click', (e) => {
    if (e.target.closest('a')) { nav.classList.remove('open'); toggle.setAttribute('aria-expanded', 'false'); }
  });
  const orgs = h('select', { id: 'org-select', onchange: (e) => {
    state.organizationId = e.target.value;
    sessionStorage.setItem(ORG_KEY, state.organizationId);
    route();
  } },
  state.organizations.length !== 1 ? h('option', { value: '' }, 'All organizations') : null,
  state.organizations.map((o) => h('option', { value: o.id, selected: o.id === state.organizationId }, o.name)));
  const s = state.session;
  fill(root,
    h('header', { class: 'top' },
      toggle,
      h('span', { class: 'brand' }, h('img', { src: '/ui/icon.svg', alt: '' }), 'Sluice'),
      h('label', {}, 'Organization', orgs),
      h('span', { class: 'who', id: 'who' }, `${s.displayName || s.username} · ${roleName(s.role)}`),
      h('button', { type: 'button', id: 'logout', onclick: logout }, 'Log out')),
    h('div', { class: 'shell' }, nav, h('main', { id: 'main', tabindex: '-1' })));
}

function roleName(role) {
  return { GlobalAdmin: 'Global administrator', OrgAdmin: 'Organization administrator', Helpdesk: 'Helpdesk' }[role] || role;
}

async function logout() {
  try {
    await del('/session');
  } catch (err) {
    // 401: the session had ended already, which is all logging out asks. Anything else: it still runs.
    if (err.status !== 401) {
      const main = document.getElementById('main');
      const failed = errorBox(new Error(`Logging out failed, so you are still logged in. ${err.message}`));
      failed.id = 'logout-error';
      document.getElementById('logout-error')?.remove();
      if (main) main.prepend(failed);
      return;
    }
  }
  sessionStorage.removeItem(ORG_KEY);
  location.hash = '';
  restart('You have logged out.');
}

let restarting = false;

/**
 * Back to the login by reloading the page, so that nothing the pages kept in memory (the last trace
 * search and its results, half-filled forms) is there for whoever logs in next on this browser.
 */
function restart(message) {
  if (restarting) return; // several requests may find the session gone at once
  restarting = true;
  sessionStorage.setItem(LOGIN_MESSAGE_KEY, message);
  location.reload();
}

/** The context a page renders with. */
function context(main, params) {
  const s = state.session;
  return {
    main, params, session: s,
    organizations: state.organizations,
    organizationId: state.organizationId,
    /** True when the role may change configuration (the API decides; this only hides what would fail). */
    canChange: s.role !== 'Helpdesk',
    isGlobal: s.role === 'GlobalAdmin',
    /** The organization a new object goes to: the one in view, else the only or first one. */
    targetOrganization: () => state.organizationId || (state.organizations[0] && state.organizations[0].id) || '',
    organizationName: (id) => (state.organizations.find((o) => o.id === id) || {}).name || (id ? id.slice(0, 8) : '—'),
    orgQuery: () => (state.organizationId ? { organizationId: state.organizationId } : {}),
    navigate: (hash) => { location.hash = hash; },
    /** Renders the page again, with `message` (if any) shown under its title. */
    refresh: (message) => { flash = message || null; return route(); },
    reloadOrganizations: async () => {
      state.organizations = (await get('/organizations')).items;
      const saved = sessionStorage.getItem(ORG_KEY);
      if (state.organizations.some((o) => o.id === saved)) state.organizationId = saved;
      renderShell();
      route();
    },
  };
}

let rendering = 0;
let flash = null;

async function route() {
  const main = document.getElementById('main');
  if (!main) return;
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const name = parts[0] || 'dashboard';
  const page = PAGES.find(([r]) => r === name) || PAGES[0];
  document.querySelectorAll('nav.side a').forEach((a) => {
    if (a.dataset.route === page[0]) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  const mine = ++rendering;
  fill(main, progress('Loading…'));
  // busy until the page has rendered what it loads (a page shows its heading before its data arrives)
  main.setAttribute('aria-busy', 'true');
  try {
    const module = await import(`./pages/${page[2]}.js`);
    if (mine !== rendering) return;
    main.replaceChildren();
    await module.render(context(main, parts.slice(1)));
    const heading = main.querySelector('h1');
    if (heading) heading.focus({ preventScroll: true });
    if (flash && heading) heading.parentElement.after(note(flash));
    flash = null;
  } catch (err) {
    if (mine === rendering && err.status !== 401) fill(main, errorBox(err));
  } finally {
    if (mine === rendering) main.removeAttribute('aria-busy');
  }
}
