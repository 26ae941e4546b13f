// Ops page: data-center status changes with a reason, load at a glance, the what-if simulation with
// baseline and scenario side by side, and live meetings and events once the service has them.
import { h, replace, field, notice, formatNumber, formatTime, uid } from '../dom.js';
import { api, ApiError, catalogue } from '../api.js';
import { dcTable } from '../dcview.js';
import { shareChart } from '../chart.js';
import { livePanel } from '../live.js';

const STATUS_WORDS = { ACTIVE: 'Activate', DRAINING: 'Drain', DOWN: 'Take down' };

function weights(text, field_) {
  const out = {};
  for (const part of text.split(/[,\n]+/).map((p) => p.trim()).filter(Boolean)) {
    const m = /^([A-Za-z0-9_-]+)\s*[=:]\s*([0-9]*\.?[0-9]+)$/.exec(part);
    if (!m) throw new Error(`${field_}: "${part}" is not CODE=NUMBER`);
    out[m[1]] = Number(m[2]);
  }
  return out;
}

export async function render(root, ctx) {
  const model = await catalogue();
  const messages = h('div', { class: 'messages', 'aria-live': 'polite' });
  const dcSelect = h('select', { name: 'dataCenter', required: true },
    model.dataCenters.map((dc) => h('option', { value: dc.id }, `${dc.id} — ${dc.city} (${dc.region})`)));
  const statusName = uid('status');
  const statusRadios = Object.entries(STATUS_WORDS).map(([value, word]) =>
    h('label', {}, h('input', { type: 'radio', name: statusName, value, checked: value === 'DRAINING' }), ` ${word} (${value})`));
  const reason = h('input', { type: 'text', name: 'reason', required: true, maxlength: 500, autocomplete: 'off' });
  const tableBox = h('div', { class: 'table-box' });
  const statusForm = h('form', { class: 'panel status-form', 'aria-label': 'Change a data center\'s status', onsubmit: (e) => { e.preventDefault(); apply(); } },
    h('h2', {}, 'Change a data center\'s status'),
    field('Data center', dcSelect),
    h('fieldset', { class: 'choice' }, h('legend', {}, 'New status'), statusRadios),
    field('Reason', reason, 'Shown to everyone in the catalogue and logged with your name.'),
    messages,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Apply')));

  const showTable = (dataCenters) => replace(tableBox, dcTable(dataCenters, {
    caption: 'Load at a glance',
    actions: (dc) => Object.entries(STATUS_WORDS).filter(([value]) => value !== dc.status).map(([value, word]) =>
      h('button', {
        type: 'button', class: 'small-button', 'aria-label': `${word} ${dc.id}`, 'data-action': value,
        onclick: () => {
          dcSelect.value = dc.id;
          statusForm.querySelector(`input[value="${value}"]`).checked = true;
          reason.focus();
        },
      }, word)),
  }));

  async function apply() {
    const status = statusForm.querySelector(`input[name="${statusName}"]:checked`).value;
    if (!reason.value.trim()) {
      replace(messages, notice('error', 'Say why: the reason is shown with the status.'));
      return;
    }
    try {
      const dc = (await api(`/api/v1/data-centers/${encodeURIComponent(dcSelect.value)}/status`,
        { method: 'PUT', body: { status, reason: reason.value.trim() } })).data;
      replace(messages, notice('success', `${dc.id} is now ${dc.status} (${dc.statusReason}), set by ${dc.statusChangedBy} at ${formatTime(dc.statusChangedAt)}.`));
      reason.value = '';
      showTable((await api('/api/v1/data-centers')).data);
    } catch (e) {
      replace(messages, notice('error', `Not changed: ${e.message}`));
    }
  }

  const simulation = simulationSection(model);
  replace(root, h('h1', {}, 'Operations'), h('div', { class: 'ops-top' }, statusForm), tableBox, simulation);
  showTable(model.dataCenters);
  ctx.every(ctx.config.refreshIntervalMillis, async () => {
    if (root.contains(document.activeElement) && tableBox.contains(document.activeElement)) return;
    try {
      showTable((await api('/api/v1/data-centers')).data);
    } catch (e) {
      // the next tick tries again; a refused token ends the session in api()
    }
  });
  const live = await livePanel(ctx);
  if (live) root.append(live);
}

function simulationSection(model) {
  const checkboxes = (items, name) => h('div', { class: 'checks' }, items.map(([value, text]) =>
    h('label', {}, h('input', { type: 'checkbox', name, value }), ` ${text}`)));
  const down = checkboxes(model.dataCenters.map((dc) => [dc.id, dc.id]), 'dataCentersDown');
  const blocked = checkboxes(model.regions.map((r) => [r.code, r.code]), 'regionsBlocked');
  const factors = h('input', { type: 'text', name: 'capacityFactor', placeholder: 'us-sjc=0.5', autocomplete: 'off' });
  const meetings = h('input', { type: 'number', name: 'meetings', min: 1, value: '2000', required: true });
  const min = h('input', { type: 'number', name: 'min', min: 1, value: '2', required: true });
  const max = h('input', { type: 'number', name: 'max', min: 1, value: '40', required: true });
  const countries = h('input', { type: 'text', name: 'countries', value: 'US=0.4, DE=0.2, IN=0.2, BR=0.1, JP=0.1', required: true, autocomplete: 'off' });
  const seed = h('input', { type: 'number', name: 'seed', value: '42' });
  const strategy = h('select', { name: 'strategy' }, ['AUTO', 'SINGLE', 'CASCADE'].map((v) => h('option', { value: v }, v)));
  const result = h('div', { class: 'simulation-result', 'aria-live': 'polite' });
  const run = h('button', { type: 'submit', class: 'primary' }, 'Run the simulation');

  async function submit(event) {
    event.preventDefault();
    let body;
    try {
      body = {
        scenario: {
          dataCentersDown: [...down.querySelectorAll('input:checked')].map((i) => i.value),
          regionsBlocked: [...blocked.querySelectorAll('input:checked')].map((i) => i.value),
          capacityFactor: weights(factors.value, 'Capacity factors'),
        },
        workload: {
          meetings: Number(meetings.value), participantsPerMeeting: { min: Number(min.value), max: Number(max.value) },
          countries: weights(countries.value, 'Countries'), seed: seed.value === '' ? 0 : Number(seed.value),
        },
        strategy: strategy.value,
      };
    } catch (e) {
      replace(result, notice('error', e.message));
      return;
    }
    run.disabled = true;
    replace(result, h('p', { class: 'muted' }, 'Simulating…'));
    try {
      replace(result, comparison((await api('/api/v1/simulations', { method: 'POST', body })).data));
    } catch (e) {
      replace(result, notice('error', `No simulation: ${e.message}`, e instanceof ApiError && e.fieldErrors.length
        ? h('ul', {}, e.fieldErrors.map((l) => h('li', {}, l))) : null));
    } finally {
      run.disabled = false;
    }
  }

  return h('section', { class: 'panel simulation', 'aria-labelledby': 'sim-title' },
    h('h2', { id: 'sim-title' }, 'What if? Simulate a change before making it'),
    h('form', { onsubmit: submit, 'aria-label': 'Simulation' },
      h('div', { class: 'sim-inputs' },
        h('fieldset', {}, h('legend', {}, 'Scenario: data centers down'), down),
        h('fieldset', {}, h('legend', {}, 'Scenario: regions blocked'), blocked),
        h('fieldset', { class: 'workload' }, h('legend', {}, 'Capacity and workload'),
          field('Capacity factors', factors, 'DC=FACTOR pairs, e.g. us-sjc=0.5 (each over 0, at most 10)'),
          field('Meetings', meetings), field('Smallest meeting', min), field('Largest meeting', max),
          field('Participant countries', countries, 'COUNTRY=WEIGHT pairs (ISO codes)'),
          field('Seed', seed, 'The same seed draws the same meetings'), field('Strategy', strategy))),
      h('div', { class: 'actions' }, run)),
    result);
}

function side(title, key, data) {
  const rows = [
    ['Routable meetings', formatNumber(data.routableMeetings)],
    ['Unroutable meetings', formatNumber(data.unroutableMeetings)],
    ['Routed participants', formatNumber(data.routedParticipants)],
    ['Mean RTT', data.meanRttMs === null ? '—' : `${data.meanRttMs} ms`],
    ['p95 RTT', data.p95RttMs === null ? '—' : `${data.p95RttMs} ms`],
    ['Mean worst pair latency', data.meanWorstPairLatencyMs == null ? '—' : `${data.meanWorstPairLatencyMs} ms`],
    ['Data centers over the limit', data.dataCentersOverLimit.length ? data.dataCentersOverLimit.join(', ') : 'none'],
  ];
  return h('section', { class: 'side', 'data-side': key }, h('h3', {}, title),
    h('dl', { class: 'figures' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    shareChart(data.byRegion.filter((r) => r.share > 0).map((r) => ({ key: r.region, label: r.region, share: r.share, count: r.participants })),
      { title: `${title}: share per region` }));
}

function comparison(r) {
  const c = r.comparison;
  const signed = (v, unit = '') => (v === null || v === undefined ? '—' : `${v > 0 ? '+' : ''}${v}${unit}`);
  return h('div', {},
    h('p', {}, `${formatNumber(r.workload.meetings)} meetings, ${formatNumber(r.workload.participants)} participants, seed ${r.workload.seed}, strategy ${r.strategy}.`),
    h('div', { class: 'side-by-side' }, side('Baseline: the live model', 'baseline', r.baseline), side('Scenario', 'scenario', r.scenario)),
    h('p', { class: 'delta' }, `Scenario minus baseline: routable meetings ${signed(c.routableMeetingsChange)}, `
      + `mean RTT ${signed(c.meanRttMsChange, ' ms')}, p95 RTT ${signed(c.p95RttMsChange, ' ms')}, `
      + `mean worst pair ${signed(c.meanWorstPairLatencyMsChange, ' ms')}.`));
}
