// Where traffic went (region-admin for own accounts, ops for any): the traffic report of a window as
// shares per region, on a chart and on the map, policyViolations first; a meeting's routing history.
import { h, replace, field, notice, formatTime, formatNumber, formatShare } from '../dom.js';
import { api, catalogue } from '../api.js';
import { shareChart } from '../chart.js';
import { WorldMap, loadWorld } from '../worldmap.js';

const HOUR = 3600 * 1000;

/** A datetime-local value (UTC) for a Date. */
function utcInput(date) {
  return date.toISOString().slice(0, 16);
}

function fromUtcInput(value) {
  return value ? new Date(`${value}:00Z`) : null;
}

function accountControl(ctx) {
  const own = ctx.session.accounts;
  if (!ctx.hasRole('ops') && own.length > 0) {
    const select = h('select', { name: 'account' }, own.map((a) => h('option', { value: a }, a)));
    return { element: field('Account', select), value: () => select.value };
  }
  const listId = 'own-accounts';
  const input = h('input', { type: 'text', name: 'account', required: true, list: listId, value: own[0] ?? '',
    pattern: '[A-Za-z0-9][A-Za-z0-9._:@\\-]{0,127}', autocomplete: 'off' });
  return {
    element: h('div', {}, field('Account', input, 'Operations may read the report of any account.'),
      h('datalist', { id: listId }, own.map((a) => h('option', { value: a })))),
    value: () => input.value.trim(),
  };
}

export async function render(root, ctx) {
  const account = accountControl(ctx);
  const now = new Date();
  const from = h('input', { type: 'datetime-local', name: 'from', required: true, value: utcInput(new Date(now - 7 * 24 * HOUR)) });
  const to = h('input', { type: 'datetime-local', name: 'to', required: true, value: utcInput(new Date(now.getTime() + 60000)) });
  const report = h('div', { class: 'report', 'aria-live': 'polite' });
  const map = new WorldMap({ title: 'Regions shaded by their share of the participants' });
  const preset = (hours) => h('button', {
    type: 'button', onclick: () => {
      const end = new Date(Date.now() + 60000);
      to.value = utcInput(end);
      from.value = utcInput(new Date(end - hours * HOUR));
      form.requestSubmit();
    },
  }, hours < 48 ? `Last ${hours} h` : `Last ${hours / 24} days`);
  const form = h('form', { class: 'panel inline-form', onsubmit: (e) => { e.preventDefault(); show(); }, 'aria-label': 'Traffic report window' },
    account.element, field('From (UTC)', from), field('To (UTC)', to),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Show the report'),
      preset(1), preset(24), preset(24 * 7), preset(24 * 30)));

  const meeting = h('input', { type: 'text', name: 'meetingId', required: true, autocomplete: 'off' });
  const historyBox = h('div', { class: 'history', 'aria-live': 'polite' });
  const historyForm = h('form', { class: 'panel inline-form', onsubmit: (e) => { e.preventDefault(); history(); }, 'aria-label': 'Routing history of a meeting' },
    field('Meeting id', meeting, 'As the client sent it in its routing requests.'),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Show its routing history')));

  replace(root, h('h1', {}, 'Where traffic went'),
    h('p', { class: 'lead' }, 'From the routing records of every plan the service answered: which regions carried the meetings.'),
    form, report, h('div', { class: 'map-layout single' }, map.element),
    h('h2', {}, 'A meeting\'s routing history'), historyForm, historyBox);

  const [world, model] = await Promise.all([loadWorld(), catalogue()]);
  map.setModel(world, model.regions, model.dataCenters);
  const regionName = new Map(model.regions.map((r) => [r.code, r.name]));

  async function show() {
    const start = fromUtcInput(from.value);
    const end = fromUtcInput(to.value);
    if (!start || !end || !(start < end)) {
      replace(report, notice('error', 'Choose a window whose start is before its end.'));
      return;
    }
    replace(report, h('p', { class: 'muted' }, 'Loading the report…'));
    try {
      const query = new URLSearchParams({ from: start.toISOString(), to: end.toISOString() });
      const r = (await api(`/api/v1/accounts/${encodeURIComponent(account.value())}/traffic-report?${query}`)).data;
      const clean = r.policyViolations === 0;
      const headline = h('div', { class: ['headline', clean ? 'good' : 'bad'], 'data-violations': String(r.policyViolations) },
        h('span', { class: 'figure' }, formatNumber(r.policyViolations)),
        h('span', { class: 'words' }, clean
          ? 'policy violations: no recorded plan used a region its policy blocked or did not allow'
          : 'policy violations: recorded plans used a region their own policy excluded — report this at once'));
      const rows = r.byRegion.map((b) => ({ key: b.region, label: b.region, share: b.share, count: b.participants }));
      const chart = rows.length
        ? shareChart(rows, { title: `Share of participants per region, ${r.accountId}, ${formatTime(r.from)} – ${formatTime(r.to)}`, className: 'traffic-chart' })
        : notice('info', 'No recorded plan of this account in this window.');
      replace(report, h('section', { class: 'panel' },
        h('h2', {}, `${r.accountId}: ${formatTime(r.from)} – ${formatTime(r.to)}`), headline,
        h('dl', { class: 'figures' }, h('dt', {}, 'Plans'), h('dd', {}, formatNumber(r.plans)),
          h('dt', {}, 'Participants'), h('dd', {}, formatNumber(r.participants)),
          h('dt', {}, 'Meetings'), h('dd', {}, formatNumber(r.meetings))),
        chart,
        rows.length ? h('p', { class: 'muted small' }, r.byRegion.map((b) => `${b.region} (${regionName.get(b.region) ?? 'unknown'}): ${formatShare(b.share)} of participants in ${formatNumber(b.meetings)} meetings`).join(' · ')) : null));
      map.shade(Object.fromEntries(r.byRegion.map((b) => [b.region, b.share])));
    } catch (e) {
      map.shade(null);
      replace(report, notice('error', `No report: ${e.message}`, e.fieldErrors?.length ? h('ul', {}, e.fieldErrors.map((l) => h('li', {}, l))) : null));
    }
  }

  async function history(next) {
    const id = meeting.value.trim();
    if (!id) return;
    if (!next) replace(historyBox, h('p', { class: 'muted' }, 'Loading…'));
    try {
      const path = next ?? `/api/v1/accounts/${encodeURIComponent(account.value())}/meetings/${encodeURIComponent(id)}/routing-history`;
      const answer = await api(path);
      const link = /<([^>]+)>;\s*rel="next"/.exec(answer.headers.get('Link') ?? '');
      const items = answer.data.map((p) => h('li', { 'data-plan': p.planId },
        h('div', { class: 'when' }, formatTime(p.recordedAt)),
        h('div', {}, h('strong', {}, `${p.strategy} · ${formatNumber(p.participants)} participants`), ` · regions ${p.regionsUsed.join(', ')}`),
        h('div', { class: 'muted' }, `Data centers: ${p.dataCenters.map((d) => `${d.id}${d.primary ? ' (primary)' : ''} ${d.participants}`).join(', ')}`),
        h('div', { class: 'muted' }, `Policy: blocked ${p.effectivePolicy.blockedRegions.join(', ') || 'none'}; `
          + `allowed ${p.effectivePolicy.allowedRegions ? p.effectivePolicy.allowedRegions.join(', ') : 'all'}; from ${p.effectivePolicy.sources.join(', ')}`)));
      const list = next ? historyBox.querySelector('ol') : h('ol', { class: 'timeline' });
      if (!next) {
        replace(historyBox, answer.data.length ? list : notice('info', `No recorded plan of meeting ${id} for this account.`));
      }
      list.append(...items);
      historyBox.querySelector('button.more')?.remove();
      if (link) {
        const url = new URL(link[1], location.href);
        if (url.origin === location.origin) {
          historyBox.append(h('button', { type: 'button', class: 'more', onclick: () => history(url.pathname + url.search) }, 'Older plans'));
        }
      }
    } catch (e) {
      replace(historyBox, notice('error', `No history: ${e.message}`));
    }
  }

  if (account.value()) await show();
}
