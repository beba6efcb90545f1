// The console's shell: sign-in, navigation (the page is in the URL's fragment, never the key), errors.
import {api, adminKey, signIn, signOut, ApiError} from './api.js';
import {el, mount} from './dom.js';
import * as pages from './pages.js';

const $ = id => document.getElementById(id);
let tenant = null;

function showSignIn(message) {
  $('nav').hidden = true;
  $('who').hidden = true;
  $('main').hidden = true;
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = message || '';
  $('api-key').value = '';
  $('api-key').focus();
}

async function start() {
  if (!adminKey()) {
    showSignIn();
    return;
  }
  try {
    const data = await api('/tenants');
    tenant = data.tenants[0] || null;
  } catch (e) {
    signOut();
    showSignIn(e instanceof ApiError && (e.status === 401 || e.status === 403)
      ? 'This key is not an admin key of a tenant (' + e.message + ').' : e.message);
    return;
  }
  $('sign-in').hidden = true;
  $('nav').hidden = false;
  $('who').hidden = false;
  $('main').hidden = false;
  $('tenant-name').textContent = tenant ? 'Tenant ' + tenant.name : '';
  if (!location.hash || location.hash === '#/signed-out') location.hash = '#/agents';
  else route();
}

async function route() {
  if (!adminKey()) return;
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, query] = hash.split('?');
  const params = new URLSearchParams(query || '');
  const parts = path.split('/').map(decodeURIComponent);
  const main = $('main');
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('active', a.dataset.page === parts[0]);
  }
  mount(main, el('p', {class: 'note'}, 'Loading…'));
  try {
    switch (parts[0]) {
      case 'jobs':
        if (parts[1]) await pages.job(main, parts[1]);
        else await pages.jobs(main, params, tenant);
        break;
      case 'batches':
        if (parts[1]) await pages.batch(main, parts[1]);
        else await pages.batches(main, params);
        break;
      case 'keys':
        await pages.keys(main);
        break;
      default:
        await pages.agents(main);
    }
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      signOut();
      showSignIn('The relay no longer accepts this key: ' + e.message);
      return;
    }
    mount(main, el('p', {class: 'error', id: 'page-error', role: 'alert'}, e.message));
  }
}

$('sign-in-form').addEventListener('submit', event => {
  event.preventDefault();
  const key = $('api-key').value.trim();
  if (!key) return;
  signIn(key);
  $('api-key').value = '';
  start();
});
$('sign-out').addEventListener('click', () => {
  signOut();
  tenant = null;
  history.replaceState(null, '', location.pathname);
  showSignIn('Signed out.');
});
window.addEventListener('hashchange', route);
start();
