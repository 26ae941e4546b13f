// Region policy page (region-admin): allow or block each region for one of the admin's accounts,
// a home region, saved with If-Match; a conflicting change is shown with who made it; the history.
import { h, replace, field, notice, formatTime, uid } from '../dom.js';
import { api, ApiError } from '../api.js';

function accountPicker(ctx, onChange) {
  const accounts = ctx.session.accounts;
  const select = h('select', { name: 'account', onchange: () => onChange(select.value) },
    accounts.map((a) => h('option', { value: a }, a)));
  return { element: field('Account', select, 'The accounts your token lets you manage.'), select };
}

function summary(p) {
  const parts = [];
  parts.push(p.allowedRegions ? `only ${p.allowedRegions.join(', ') || '(no region)'}` : 'every region');
  if (p.blockedRegions?.length) parts.push(`blocked ${p.blockedRegions.join(', ')}`);
  parts.push(p.homeRegion ? `home ${p.homeRegion}` : 'no home region');
  return parts.join(' · ');
}

export async function render(root, ctx) {
  const accounts = ctx.session.accounts;
  if (accounts.length === 0) {
    replace(root, h('h1', {}, 'Region policy'), notice('info',
      'Your token names no account (its accounts claim is empty), so there is no policy you may manage.'));
    return;
  }
  const body = h('div', { class: 'policy-body' });
  const picker = accountPicker(ctx, (account) => load(account));
  replace(root, h('h1', {}, 'Region policy'),
    h('p', { class: 'lead' }, 'Choose the data-center regions your meetings may use. No media of a meeting ever touches a blocked region.'),
    picker.element, body);

  let regions = (await api('/api/v1/regions')).data;

  async function load(account, message) {
    replace(body, h('p', { class: 'muted' }, `Loading the policy of ${account}…`));
    let policy = null;
    let etag = null;
    try {
      const answer = await api(`/api/v1/accounts/${encodeURIComponent(account)}/region-policy`);
      policy = answer.data;
      etag = answer.etag;
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 404) throw e;
    }
    const history = (await api(`/api/v1/accounts/${encodeURIComponent(account)}/region-policy/history`)).data;
    regions = (await api('/api/v1/regions')).data;
    replace(body, editor(account, policy, etag, message), timeline(history));
  }

  function editor(account, policy, etag, message) {
    const messages = h('div', { class: 'messages', 'aria-live': 'polite' }, message ?? null);
    const modeName = uid('mode');
    const allowList = policy?.allowedRegions != null;
    const blockMode = h('input', { type: 'radio', name: modeName, value: 'block', checked: !allowList });
    const allowMode = h('input', { type: 'radio', name: modeName, value: 'allow', checked: allowList });
    const known = new Set(regions.map((r) => r.code));
    const stored = [...(policy?.blockedRegions ?? []), ...(policy?.allowedRegions ?? [])].filter((c) => !known.has(c));
    const rows = [...regions.map((r) => ({ code: r.code, name: r.name, dcs: r.dataCenters.length })),
      ...[...new Set(stored)].map((c) => ({ code: c, name: 'not in the loaded model', dcs: 0 }))];
    const allowedOf = (code) => (allowList ? policy.allowedRegions.includes(code) : true)
      && !(policy?.blockedRegions ?? []).includes(code);
    const choices = new Map();
    const home = h('select', { name: 'homeRegion' }, h('option', { value: '' }, 'No home region'),
      rows.map((r) => h('option', { value: r.code, selected: policy?.homeRegion === r.code }, `${r.code} — ${r.name}`)));
    const table = h('table', { class: 'data policy-table' },
      h('caption', {}, `Regions for ${account}`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Region'), h('th', { scope: 'col' }, 'Data centers'),
        h('th', { scope: 'col' }, 'Meetings may use it?'))),
      h('tbody', {}, rows.map((r) => {
        const name = uid(`region-${r.code}`);
        const allow = h('input', { type: 'radio', name, value: 'allow', checked: allowedOf(r.code), 'data-region': r.code });
        const block = h('input', { type: 'radio', name, value: 'block', checked: !allowedOf(r.code), 'data-region': r.code });
        choices.set(r.code, { allow, block });
        const group = h('fieldset', { class: 'choice' }, h('legend', { class: 'visually-hidden' }, `Region ${r.code} (${r.name})`),
          h('label', {}, allow, ' Allowed'), h('label', {}, block, ' Blocked'));
        return h('tr', { 'data-region': r.code }, h('th', { scope: 'row' }, h('strong', {}, r.code), ` ${r.name}`),
          h('td', { class: 'num' }, String(r.dcs)), h('td', {}, group));
      })));

    const collect = () => {
      const allowed = [];
      const blocked = [];
      for (const [code, c] of choices) (c.allow.checked ? allowed : blocked).push(code);
      return allowMode.checked
        ? { blockedRegions: blocked, allowedRegions: allowed, homeRegion: home.value || null }
        : { blockedRegions: blocked, allowedRegions: null, homeRegion: home.value || null };
    };

    async function save(event) {
      event.preventDefault();
      const input = collect();
      if (input.homeRegion && input.blockedRegions.includes(input.homeRegion)) {
        replace(messages, notice('error', `The home region ${input.homeRegion} cannot be blocked: allow it or choose another home region.`));
        return;
      }
      saveButton.disabled = true;
      try {
        const answer = await api(`/api/v1/accounts/${encodeURIComponent(account)}/region-policy`,
          { method: 'PUT', body: input, ifMatch: etag ?? undefined });
        const affected = answer.headers.get('Meridian-Live-Meetings-Affected');
        await load(account, notice('success', `Saved: version ${answer.data.version} at ${formatTime(answer.data.updatedAt)}.`,
          affected !== null ? ` Live meetings affected: ${affected}.` : ''));
      } catch (e) {
        saveButton.disabled = false;
        await failed(e);
      }
    }

    async function remove() {
      if (!policy) return;
      try {
        await api(`/api/v1/accounts/${encodeURIComponent(account)}/region-policy`, { method: 'DELETE', ifMatch: etag });
        await load(account, notice('success', 'The policy was removed: meetings of this account may use every region again.'));
      } catch (e) {
        await failed(e);
      }
    }

    async function failed(e) {
      if (e instanceof ApiError && (e.status === 412 || e.status === 428)) {
        let current = null;
        try {
          current = (await api(`/api/v1/accounts/${encodeURIComponent(account)}/region-policy`)).data;
        } catch (ignored) {
          // deleted meanwhile: say so below
        }
        const who = current
          ? `${current.updatedBy} changed this policy at ${formatTime(current.updatedAt)} (now version ${current.version}) while you were editing it.`
          : 'Someone removed this policy while you were editing it.';
        replace(messages, notice('error', h('strong', {}, 'Not saved: the policy changed meanwhile. '), who,
          ' Your changes were not saved. ',
          h('button', { type: 'button', class: 'reload', onclick: () => load(account) }, 'Reload the current policy')));
        return;
      }
      const lines = e instanceof ApiError ? e.fieldErrors : [];
      replace(messages, notice('error', `Not saved: ${e.message}`, lines.length ? h('ul', {}, lines.map((l) => h('li', {}, l))) : null));
    }

    const saveButton = h('button', { type: 'submit', class: 'primary' }, policy ? 'Save changes' : 'Create the policy');
    const state = policy
      ? h('p', { class: 'muted policy-state', 'data-version': String(policy.version) },
        `Version ${policy.version}, changed by ${policy.updatedBy} at ${formatTime(policy.updatedAt)}: ${summary(policy)}.`)
      : h('p', { class: 'muted policy-state', 'data-version': '0' }, 'This account has no policy yet: its meetings may use every region.');
    return h('form', { class: 'panel policy-form', onsubmit: save, 'aria-label': `Region policy of ${account}` },
      h('h2', {}, `Policy of ${account}`), state,
      h('fieldset', { class: 'mode' }, h('legend', {}, 'How the regions marked above count'),
        h('label', {}, blockMode, ' Block list: every region except the blocked ones (regions added to the model later are allowed)'),
        h('label', {}, allowMode, ' Allow list: only the allowed regions (regions added to the model later are blocked)')),
      table,
      field('Home region', home, 'Never blocked and always allowed; the service refuses a policy that blocks it.'),
      messages,
      h('div', { class: 'actions' }, saveButton,
        h('button', { type: 'button', onclick: () => load(account) }, 'Discard my changes'),
        policy ? h('button', { type: 'button', class: 'danger', onclick: remove }, 'Remove the policy') : null));
  }

  function timeline(history) {
    return h('section', { class: 'panel', 'aria-labelledby': 'history-title' },
      h('h2', { id: 'history-title' }, 'History'),
      history.length === 0 ? h('p', { class: 'muted' }, 'No change was ever made.')
        : h('ol', { class: 'timeline' }, history.map((c) => h('li', { 'data-version': String(c.version), 'data-action': c.action },
          h('div', { class: 'when' }, formatTime(c.changedAt)),
          h('div', {}, h('strong', {}, `${c.action} · version ${c.version}`), ` by ${c.changedBy}`),
          h('div', { class: 'muted' }, summary(c))))));
  }

  await load(picker.select.value);
}
