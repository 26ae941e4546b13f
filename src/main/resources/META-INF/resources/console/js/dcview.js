// A data center's figures as a description list and as table rows (map and ops pages).
import { h, formatNumber, formatTime } from './dom.js';
import { dcState, used } from './status.js';

function badge(dc) {
  const state = dcState(dc);
  return h('span', { class: ['badge', `dc-${state.kind}`] }, dc.status === 'ACTIVE' ? `ACTIVE · ${state.word}` : dc.status);
}

/** Everything the catalogue says about one DC; `live` only once the service reports it. */
export function dcDetails(dc, regionName) {
  const rows = [
    ['Data center', `${dc.id} — ${dc.city}`],
    ['Region', regionName ? `${dc.region} (${regionName})` : dc.region],
    ['Status', badge(dc)],
    ['Status reason', dc.statusReason || '—'],
    ['Status set by', dc.statusChangedBy ? `${dc.statusChangedBy}, ${formatTime(dc.statusChangedAt)}` : 'never changed'],
    ['Capacity', `${formatNumber(dc.capacity)} participants`],
    ['Reported load', `${formatNumber(dc.reportedLoad)}${dc.lastReportAt ? ` (report of ${formatTime(dc.lastReportAt)})` : ' (no report yet)'}`],
    ['Reserved', formatNumber(dc.reserved)],
  ];
  if ('live' in dc) rows.push(['Live', formatNumber(dc.live)]);
  rows.push(['Headroom', `${formatNumber(dc.headroom)} participants`]);
  rows.push(['In use', `${formatNumber(used(dc))} (${dcState(dc).percent} of capacity)`]);
  if (dc.stale) rows.push(['Load report', 'stale: older than the service accepts, so the site takes no one']);
  return h('dl', { class: 'details', 'data-dc': dc.id }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

/** A table of every DC; actions(dc) may return extra cells' content (buttons). */
export function dcTable(dataCenters, { caption = 'Data centers', actions = null } = {}) {
  const hasLive = dataCenters.some((dc) => 'live' in dc);
  const head = ['Data center', 'Region', 'Status', 'In use', 'Load', 'Reserved', ...(hasLive ? ['Live'] : []), 'Headroom', 'Status set'];
  return h('table', { class: 'data dc-table' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)), actions ? h('th', { scope: 'col' }, 'Actions') : null)),
    h('tbody', {}, dataCenters.map((dc) => {
      const state = dcState(dc);
      return h('tr', { 'data-dc': dc.id, 'data-status': dc.status },
        h('th', { scope: 'row' }, `${dc.id} `, h('span', { class: 'muted' }, dc.city)),
        h('td', {}, dc.region),
        h('td', {}, badge(dc), dc.statusReason ? h('div', { class: 'muted small' }, dc.statusReason) : null),
        h('td', { class: 'num' }, h('meter', { min: 0, max: 1, low: 0.6, high: 0.85, optimum: 0, value: Math.min(1, used(dc) / dc.capacity), 'aria-label': `${dc.id} in use` }), ` ${state.percent}`),
        h('td', { class: 'num' }, formatNumber(dc.reportedLoad)),
        h('td', { class: 'num' }, formatNumber(dc.reserved)),
        hasLive ? h('td', { class: 'num' }, formatNumber(dc.live)) : null,
        h('td', { class: 'num' }, formatNumber(dc.headroom)),
        h('td', { class: 'small' }, dc.statusChangedBy ? `${dc.statusChangedBy}, ${formatTime(dc.statusChangedAt)}` : '—'),
        actions ? h('td', {}, actions(dc)) : null);
    })));
}
