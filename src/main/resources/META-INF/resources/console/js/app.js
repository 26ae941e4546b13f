// The console's entry point: sign-in, the navigation by role, and the pages.
import { h, replace, field, notice, formatTime } from './dom.js';
import * as session from './session.js';
import { startSignIn, completeSignIn, signOut } from './oidc.js';
import * as mapPage from './pages/map.js';
import * as policyPage from './pages/policy.js';
import * as trafficPage from './pages/traffic.js';
import * as opsPage from './pages/ops.js';

const PAGES = [
  { hash: '#/map', title: 'Map', roles: null, page: mapPage },
  { hash: '#/policy', title: 'Region policy', roles: ['region-admin'], page: policyPage },
  { hash: '#/traffic', title: 'Where traffic went', roles: ['region-admin', 'ops'], page: trafficPage },
  { hash: '#/ops', title: 'Operations', roles: ['ops'], page: opsPage },
];

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
let config = null;
let timers = [];

function stopTimers() {
  timers.forEach(clearInterval);
  timers = [];
}

function allowed(page) {
  return !page.roles || page.roles.some((r) => session.hasRole(r));
}

function renderChrome() {
  const s = session.current();
  if (!s) {
    replace(nav);
    replace(who);
    return;
  }
  const currentHash = location.hash || '#/map';
  replace(nav, h('ul', {}, PAGES.filter(allowed).map((p) => h('li', {},
    h('a', { href: p.hash, 'aria-current': p.hash === currentHash ? 'page' : null }, p.title)))));
  replace(who,
    h('span', { class: 'subject', 'data-subject': s.subject }, s.subject),
    h('span', { class: 'muted small' }, ` · ${s.roles.length ? s.roles.join(', ') : 'no Meridian role'}`,
      s.accounts.length ? ` · accounts ${s.accounts.join(', ')}` : '',
      s.expiresAt ? ` · until ${formatTime(new Date(s.expiresAt).toISOString())}` : '',
      ` · ${{ dev: 'development sign-in', oidc: 'signed in with the provider', pasted: 'pasted token' }[s.source] ?? s.source}`),
    h('button', { type: 'button', class: 'sign-out', onclick: () => { signOut(); route(); } }, 'Sign out'));
}

async function route(event) {
  const moveFocus = Boolean(event);
  stopTimers();
  renderChrome();
  if (!session.current()) {
    renderSignIn();
    return;
  }
  const hash = location.hash || '#/map';
  const entry = PAGES.find((p) => p.hash === hash) ?? PAGES[0];
  document.title = `${entry.title} · Meridian console`;
  if (!allowed(entry)) {
    replace(main, h('h1', {}, entry.title), notice('info',
      `This page needs the role ${entry.roles.join(' or ')}; your token has ${session.current().roles.join(', ') || 'no Meridian role'}.`));
    return;
  }
  replace(main, h('p', { class: 'muted' }, 'Loading…'));
  const ctx = {
    config,
    session: session.current(),
    hasRole: session.hasRole,
    every(ms, fn) {
      timers.push(setInterval(() => {
        if (!document.hidden) fn();
      }, Math.max(1000, ms)));
    },
  };
  try {
    await entry.page.render(main, ctx);
    const heading = main.querySelector('h1');
    heading?.setAttribute('tabindex', '-1');
    if (moveFocus) heading?.focus();
  } catch (e) {
    if (session.current()) replace(main, h('h1', {}, entry.title), notice('error', `This page could not be shown: ${e.message}`));
  }
}

function renderSignIn(message) {
  document.title = 'Sign in · Meridian console';
  const messages = h('div', { class: 'messages', 'aria-live': 'polite' }, message ? notice('error', message) : null);
  const fail = (e) => replace(messages, notice('error', e.message));
  const sections = [];
  if (config.oidc) {
    sections.push(h('section', { class: 'panel sign-in-oidc' },
      h('h2', {}, 'With your organisation\'s account'),
      h('p', {}, `Signs you in at ${config.oidc.issuer} and comes back here.`),
      h('button', { type: 'button', class: 'primary', id: 'oidc-sign-in', onclick: () => startSignIn(config.oidc).catch(fail) }, 'Sign in')));
  }
  if (config.devSignIn) {
    const subject = h('input', { type: 'text', name: 'subject', value: 'dev-admin', autocomplete: 'off', required: true });
    const roles = session.KNOWN_ROLES.map((r) => h('label', {}, h('input', { type: 'checkbox', name: 'roles', value: r, checked: r !== 'meeting-client' }), ` ${r}`));
    const accounts = h('input', { type: 'text', name: 'accounts', value: 'acme', autocomplete: 'off' });
    sections.push(h('form', {
      class: 'panel sign-in-dev', 'aria-label': 'Development sign-in',
      onsubmit: async (e) => {
        e.preventDefault();
        try {
          const response = await fetch('/console/dev-sign-in', {
            method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, credentials: 'omit',
            body: JSON.stringify({
              subject: subject.value.trim(),
              roles: roles.map((l) => l.querySelector('input')).filter((i) => i.checked).map((i) => i.value),
              accounts: accounts.value.split(/[\s,]+/).filter(Boolean),
            }),
          });
          const body = await response.json();
          if (!response.ok) throw new Error((body.errors ?? []).map((x) => `${x.field}: ${x.message}`).join('; ') || body.detail || 'refused');
          session.signIn(body.token, 'dev');
          route();
        } catch (err) {
          fail(err);
        }
      },
    },
    h('h2', {}, 'Development sign-in'),
    notice('warning', 'Development only: the token is signed with the development key of deploy/dev, which a production service refuses.'),
    field('Name (the token subject)', subject),
    h('fieldset', { class: 'choice' }, h('legend', {}, 'Roles'), roles),
    field('Accounts you manage', accounts, 'Account ids, separated by commas or spaces.'),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Sign in (development)'))));
  }
  const token = h('textarea', { name: 'token', rows: 4, spellcheck: 'false', autocomplete: 'off', required: true });
  sections.push(h('form', {
    class: 'panel sign-in-token', 'aria-label': 'Sign in with a token',
    onsubmit: (e) => {
      e.preventDefault();
      try {
        session.signIn(token.value, 'pasted');
        route();
      } catch (err) {
        fail(err);
      }
    },
  },
  h('h2', {}, 'With a bearer token'),
  field('Bearer token (JWT)', token, 'Kept in this browser tab only (sessionStorage) until you sign out or close the tab.'),
  h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Use this token'))));
  replace(main, h('h1', {}, 'Sign in to the Meridian console'), messages, h('div', { class: 'sign-in' }, sections));
}

async function boot() {
  try {
    const response = await fetch('/console/config', { credentials: 'omit', headers: { Accept: 'application/json' } });
    config = await response.json();
  } catch (e) {
    replace(main, notice('error', 'The console cannot reach the service.'));
    return;
  }
  session.onChange((s, reason) => {
    if (!s && reason !== 'signed-out' && reason !== 'signed-in') {
      stopTimers();
      renderChrome();
      renderSignIn(reason);
    } else if (s && reason === 'renewed') {
      renderChrome();
    }
  });
  let callbackError = null;
  try {
    await completeSignIn();
  } catch (e) {
    callbackError = e.message;
  }
  session.restore();
  if (callbackError) {
    renderSignIn(callbackError);
  } else {
    route();
  }
  window.addEventListener('hashchange', route);
}

boot();
