// The world map: bundled Natural Earth country outlines (data/world-110m.geo.json), the regions outlined,
// every data center a marker with a text label, zoom and pan by buttons, wheel, drag or keys.
import { h, s, replace, formatShare } from './dom.js';
import { projection, pathOf, outlineOf, circlePath } from './geo.js';
import { dcState, dcSentence, LEGEND } from './status.js';

const WIDTH = 1000;
const CHAR_WIDTH = 6.4;
const MAX_ZOOM = 8;

let worldPromise = null;

/** The bundled geometry, fetched once per page load (from this origin). */
export function loadWorld() {
  if (!worldPromise) {
    worldPromise = Promise.all([
      fetch('data/world-110m.geo.json', { cache: 'force-cache' }).then((r) => r.json()),
      fetch('data/region-countries.json', { cache: 'force-cache' }).then((r) => r.json()),
    ]).then(([world, regions]) => ({ world, regionCountries: regions.regions }));
  }
  return worldPromise;
}

function markerShape(kind) {
  switch (kind) {
    case 'draining':
      return s('path', { class: 'shape', d: 'M0 -7L7 0L0 7L-7 0Z' });
    case 'down':
      return s('g', {}, s('rect', { class: 'shape', x: -6, y: -6, width: 12, height: 12 }),
        s('path', { class: 'cross', d: 'M-4 -4L4 4M4 -4L-4 4' }));
    default:
      return s('circle', { class: 'shape', r: 6 });
  }
}

function overlaps(a, b) {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/** A label box for text of width w placed at (x, y) with the given anchor. */
function box(x, y, w, anchor) {
  const x0 = anchor === 'start' ? x : anchor === 'end' ? x - w : x - w / 2;
  return { x0: x0 - 1, x1: x0 + w + 1, y0: y - 10, y1: y + 3 };
}

const CANDIDATES = [
  [9, 4, 'start'], [-9, 4, 'end'], [0, -10, 'middle'], [0, 17, 'middle'],
  [9, -7, 'start'], [9, 15, 'start'], [-9, -7, 'end'], [-9, 15, 'end'],
];

export class WorldMap {
  /** options: {title, onSelect(dc)} */
  constructor({ title = 'World map of the data centers', onSelect = () => {} } = {}) {
    this.onSelect = onSelect;
    this.proj = projection(WIDTH);
    this.view = { k: 1, tx: 0, ty: 0 };
    this.dataCenters = [];
    this.regions = [];
    this.selected = null;
    this.shares = null;
    const { width, height } = this.proj;
    this.geo = s('g', { class: 'geo' });
    this.overlay = s('g', { class: 'overlay' });
    this.svg = s('svg', {
      class: 'world', viewBox: `0 0 ${width} ${height}`, role: 'group', tabindex: '0',
      'aria-label': `${title}. Use + and - to zoom, arrow keys to pan, 0 to reset; Tab moves through the data centers.`,
    }, s('title', {}, title), s('rect', { class: 'sea', x: 0, y: 0, width, height }), this.geo, this.overlay);
    this.zoomLabel = h('span', { class: 'zoom-level', 'aria-live': 'polite' }, '1×');
    const controls = h('div', { class: 'map-controls' },
      h('button', { type: 'button', onclick: () => this.zoomBy(1.6), 'aria-label': 'Zoom in' }, '+'),
      h('button', { type: 'button', onclick: () => this.zoomBy(1 / 1.6), 'aria-label': 'Zoom out' }, '−'),
      h('button', { type: 'button', onclick: () => this.reset(), 'aria-label': 'Show the whole world' }, 'Whole world'),
      this.zoomLabel);
    this.legend = h('ul', { class: 'legend', 'aria-label': 'Legend' });
    this.element = h('figure', { class: 'map' }, controls, this.svg, this.legend);
    this.attachGestures();
  }

  /** First drawing: the geometry and the model's regions. */
  setModel({ world, regionCountries }, regions, dataCenters) {
    this.regions = regions;
    const byId = new Map(world.features.map((f) => [f.id, f]));
    const project = (p) => this.proj.project(p);
    const countries = s('g', { class: 'countries' }, world.features.map((f) => s('path', {
      class: 'country', d: pathOf(f.geometry, project), 'vector-effect': 'non-scaling-stroke',
    })));
    this.areas = new Map();
    const areas = s('g', { class: 'region-areas' });
    const outlines = s('g', { class: 'region-outlines' });
    for (const region of regions) {
      const features = (regionCountries[region.code] ?? []).map((id) => byId.get(id)).filter(Boolean);
      let area;
      let outline;
      if (features.length > 0) {
        area = features.map((f) => pathOf(f.geometry, project)).join('');
        outline = outlineOf(features.map((f) => f.geometry), project);
      } else {
        area = dataCenters.filter((dc) => dc.region === region.code)
          .map((dc) => { const [x, y] = project([dc.longitude, dc.latitude]); return circlePath(x, y, 10); }).join('');
        outline = area;
      }
      const areaPath = s('path', { class: 'region-area', d: area, 'data-region': region.code });
      this.areas.set(region.code, areaPath);
      areas.append(areaPath);
      outlines.append(s('path', {
        class: 'region-outline', d: outline, 'vector-effect': 'non-scaling-stroke', 'data-region': region.code,
      }, s('title', {}, `Region ${region.code}: ${region.name}`)));
    }
    replace(this.geo, countries, areas, outlines);
    this.update(dataCenters);
  }

  /** New figures for the markers (the map refreshes itself with these). */
  update(dataCenters) {
    this.dataCenters = dataCenters;
    this.render();
  }

  /** Shade regions by share ({region → share}), or clear the shading with null. */
  shade(shares) {
    this.shares = shares;
    const max = shares ? Math.max(0.0001, ...Object.values(shares)) : 1;
    for (const [code, path] of this.areas) {
      const share = shares?.[code];
      if (share > 0) {
        path.setAttribute('class', 'region-area shaded');
        path.setAttribute('fill-opacity', String(Math.round((0.2 + 0.7 * (share / max)) * 100) / 100));
        path.setAttribute('data-share', String(share));
      } else {
        path.setAttribute('class', 'region-area');
        path.removeAttribute('fill-opacity');
        path.removeAttribute('data-share');
      }
    }
    this.render();
  }

  select(id) {
    this.selected = id;
    this.render();
  }

  screen([lon, lat]) {
    const [x, y] = this.proj.project([lon, lat]);
    return [this.view.tx + this.view.k * x, this.view.ty + this.view.k * y];
  }

  render() {
    const { k, tx, ty } = this.view;
    this.geo.setAttribute('transform', `translate(${tx.toFixed(2)} ${ty.toFixed(2)}) scale(${k.toFixed(4)})`);
    this.zoomLabel.textContent = `${Math.round(k * 10) / 10}×`;
    const { width, height } = this.proj;
    const placed = [];
    const markers = s('g', { class: 'markers' });
    const labels = s('g', { class: 'labels', 'aria-hidden': 'true' });
    const points = this.dataCenters.map((dc) => ({ dc, p: this.screen([dc.longitude, dc.latitude]) }));
    for (const { p } of points) placed.push({ x0: p[0] - 7, x1: p[0] + 7, y0: p[1] - 7, y1: p[1] + 7 });
    if (this.shares) {
      for (const region of this.regions) {
        const share = this.shares[region.code];
        const own = points.filter((pt) => pt.dc.region === region.code);
        if (!(share > 0) || own.length === 0) continue;
        const mx = own.reduce((a, pt) => a + pt.p[0], 0) / own.length;
        const my = own.reduce((a, pt) => a + pt.p[1], 0) / own.length;
        const text = `${region.code} ${formatShare(share)}`;
        const w = text.length * CHAR_WIDTH;
        const spot = [[0, 26], [0, -18], [0, 40], [0, -32], [-w, 26], [w, 26], [-w, -18], [w, -18]]
          .map(([dx, dy]) => ({ x: mx + dx, y: my + dy, b: box(mx + dx, my + dy, w, 'middle') }))
          .find(({ b }) => b.x0 >= 0 && b.x1 <= width && b.y0 >= 0 && b.y1 <= height && !placed.some((o) => overlaps(o, b)));
        if (!spot) continue;
        placed.push(spot.b);
        labels.append(s('text', { class: 'share-label', x: spot.x.toFixed(1), y: spot.y.toFixed(1), 'text-anchor': 'middle', 'data-region': region.code }, text));
      }
    }
    const order = [...points].sort((a, b) => a.p[0] - b.p[0] || a.p[1] - b.p[1]);
    for (const { dc, p } of order) {
      const state = dcState(dc);
      const text = state.label;
      const w = text.length * CHAR_WIDTH;
      let choice = null;
      for (const distance of [1, 2, 3.2]) {
        for (const [dx, dy, anchor] of CANDIDATES) {
          const x = p[0] + dx * distance;
          const y = p[1] + dy * distance;
          const b = box(x, y, w, anchor);
          if (b.x0 < 0 || b.x1 > width || b.y0 < 0 || b.y1 > height) continue;
          if (!placed.some((o) => overlaps(o, b))) {
            choice = { x, y, anchor, b, distance };
            break;
          }
        }
        if (choice) break;
      }
      if (!choice) {
        choice = { x: p[0] + 9, y: p[1] + 4, anchor: 'start', b: box(p[0] + 9, p[1] + 4, w, 'start'), distance: 1 };
      }
      placed.push(choice.b);
      if (choice.distance > 1) {
        const lx = choice.anchor === 'start' ? choice.b.x0 : choice.anchor === 'end' ? choice.b.x1 : (choice.b.x0 + choice.b.x1) / 2;
        const ly = Math.min(Math.max(p[1], choice.b.y0), choice.b.y1);
        labels.append(s('line', { class: 'leader', x1: p[0].toFixed(1), y1: p[1].toFixed(1), x2: lx.toFixed(1), y2: ly.toFixed(1) }));
      }
      labels.append(s('text', {
        class: ['dc-label', `dc-${state.kind}`], x: choice.x.toFixed(1), y: choice.y.toFixed(1),
        'text-anchor': choice.anchor, 'data-dc': dc.id,
      }, text));
      const marker = s('g', {
        class: ['dc', `dc-${state.kind}`, this.selected === dc.id && 'selected'],
        transform: `translate(${p[0].toFixed(1)} ${p[1].toFixed(1)})`,
        tabindex: '0', role: 'button', 'aria-label': dcSentence(dc), 'aria-pressed': String(this.selected === dc.id),
        'data-dc': dc.id, 'data-status': dc.status, 'data-kind': state.kind,
        onclick: () => this.choose(dc.id),
        onkeydown: (e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            this.choose(dc.id);
          }
        },
      }, s('title', {}, dcSentence(dc)), s('circle', { class: 'ring', r: 11 }), markerShape(state.kind));
      markers.append(marker);
    }
    const focused = document.activeElement?.getAttribute?.('data-dc');
    replace(this.overlay, labels, markers);
    if (focused) this.overlay.querySelector(`g.dc[data-dc="${CSS.escape(focused)}"]`)?.focus();
    this.renderLegend();
  }

  choose(id) {
    this.select(id);
    const dc = this.dataCenters.find((d) => d.id === id);
    if (dc) this.onSelect(dc);
  }

  renderLegend() {
    if (this.legend.childElementCount > 0 && Boolean(this.shares) === this.legendShaded) return;
    this.legendShaded = Boolean(this.shares);
    const items = LEGEND.map(({ kind, text }) => h('li', {},
      s('svg', { class: ['legend-mark', 'dc', `dc-${kind}`], viewBox: '-8 -8 16 16', 'aria-hidden': 'true' }, markerShape(kind)),
      text));
    items.push(h('li', {}, s('svg', { class: 'legend-mark', viewBox: '0 0 16 16', 'aria-hidden': 'true' },
      s('path', { class: 'region-outline', d: 'M1 8h14' })), 'region outline'));
    if (this.shares) {
      items.push(h('li', {}, s('svg', { class: 'legend-mark', viewBox: '0 0 16 16', 'aria-hidden': 'true' },
        s('rect', { class: 'region-area shaded', x: 1, y: 3, width: 14, height: 10 })), 'shaded by share of participants (darker: more)'));
    }
    replace(this.legend, items);
  }

  zoomBy(factor, [cx, cy] = [this.proj.width / 2, this.proj.height / 2]) {
    const k = Math.min(MAX_ZOOM, Math.max(1, this.view.k * factor));
    const f = k / this.view.k;
    this.view = { k, tx: cx - (cx - this.view.tx) * f, ty: cy - (cy - this.view.ty) * f };
    this.clamp();
    this.render();
  }

  panBy(dx, dy) {
    this.view = { ...this.view, tx: this.view.tx + dx, ty: this.view.ty + dy };
    this.clamp();
    this.render();
  }

  reset() {
    this.view = { k: 1, tx: 0, ty: 0 };
    this.render();
  }

  clamp() {
    const { width, height } = this.proj;
    const { k } = this.view;
    this.view.tx = Math.min(0, Math.max(width - width * k, this.view.tx));
    this.view.ty = Math.min(0, Math.max(height - height * k, this.view.ty));
  }

  /** Client pixels to view-box units. */
  units(event) {
    const rect = this.svg.getBoundingClientRect();
    const ratio = this.proj.width / rect.width;
    return [(event.clientX - rect.left) * ratio, (event.clientY - rect.top) * ratio, ratio];
  }

  attachGestures() {
    this.svg.addEventListener('wheel', (e) => {
      e.preventDefault();
      this.zoomBy(e.deltaY < 0 ? 1.25 : 0.8, this.units(e));
    }, { passive: false });
    let drag = null;
    this.svg.addEventListener('pointerdown', (e) => {
      if (e.target.closest('g.dc')) return;
      drag = { x: e.clientX, y: e.clientY };
      this.svg.setPointerCapture(e.pointerId);
    });
    this.svg.addEventListener('pointermove', (e) => {
      if (!drag) return;
      const [, , ratio] = this.units(e);
      this.panBy((e.clientX - drag.x) * ratio, (e.clientY - drag.y) * ratio);
      drag = { x: e.clientX, y: e.clientY };
    });
    const end = () => { drag = null; };
    this.svg.addEventListener('pointerup', end);
    this.svg.addEventListener('pointercancel', end);
    this.svg.addEventListener('keydown', (e) => {
      if (e.target !== this.svg) return;
      const step = 60;
      const keys = {
        '+': () => this.zoomBy(1.6), '=': () => this.zoomBy(1.6), '-': () => this.zoomBy(1 / 1.6),
        0: () => this.reset(), ArrowLeft: () => this.panBy(step, 0), ArrowRight: () => this.panBy(-step, 0),
        ArrowUp: () => this.panBy(0, step), ArrowDown: () => this.panBy(0, -step),
      };
      if (keys[e.key]) {
        e.preventDefault();
        keys[e.key]();
      }
    });
  }
}
