// Map page (every role): the data centers on the world map, refreshing themselves, with details on click.
import { h, replace, notice, formatTime } from '../dom.js';
import { api, catalogue } from '../api.js';
import { WorldMap, loadWorld } from '../worldmap.js';
import { dcDetails, dcTable } from '../dcview.js';

export async function render(root, ctx) {
  const status = h('p', { class: 'muted', 'aria-live': 'polite' }, 'Loading the data centers…');
  const details = h('aside', { class: 'panel details-panel', 'aria-live': 'polite', 'aria-label': 'Selected data center' },
    h('h2', {}, 'Details'), h('p', { class: 'muted' }, 'Choose a data center on the map (click it, or Tab to it and press Enter).'));
  const tableBox = h('div', { class: 'table-box' });
  let regions = [];
  let selected = null;
  const map = new WorldMap({
    title: 'Data centers of the model on a world map',
    onSelect: (dc) => {
      selected = dc.id;
      showDetails(dc);
    },
  });
  const showDetails = (dc) => {
    const region = regions.find((r) => r.code === dc.region);
    replace(details, h('h2', {}, `${dc.id} — ${dc.city}`), dcDetails(dc, region?.name));
  };
  replace(root, h('h1', {}, 'Data centers'), status, h('div', { class: 'map-layout' }, map.element, details), tableBox);

  const [world, model] = await Promise.all([loadWorld(), catalogue()]);
  regions = model.regions;
  map.setModel(world, model.regions, model.dataCenters);
  const show = (dataCenters) => {
    map.update(dataCenters);
    replace(tableBox, dcTable(dataCenters, { caption: `All ${dataCenters.length} data centers` }));
    if (selected) {
      const dc = dataCenters.find((d) => d.id === selected);
      if (dc) showDetails(dc);
    }
    replace(status, `${dataCenters.length} data centers · updated ${formatTime(new Date().toISOString())} · `
      + `refreshes every ${Math.round(ctx.config.refreshIntervalMillis / 1000)} s`);
    status.setAttribute('data-count', String(dataCenters.length));
  };
  show(model.dataCenters);
  ctx.every(ctx.config.refreshIntervalMillis, async () => {
    try {
      show((await api('/api/v1/data-centers')).data);
    } catch (e) {
      replace(status, notice('error', `Refresh failed: ${e.message}`));
    }
  });
}
