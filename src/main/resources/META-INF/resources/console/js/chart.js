// A horizontal bar chart of shares (0..1) in SVG, each bar with its figure written beside it,
// and the same numbers as a table for screen readers and copying.
import { h, s, formatShare, formatNumber } from './dom.js';

/**
 * rows: [{key, label, share, count}] in display order. Returns a figure element with the chart
 * (bars carry data-key and data-share) and a table.
 */
export function shareChart(rows, { title, countLabel = 'participants', className = '' } = {}) {
  const barHeight = 22;
  const gap = 8;
  const labelWidth = 56;
  const valueWidth = 150;
  const width = 640;
  const plot = width - labelWidth - valueWidth;
  const height = Math.max(1, rows.length) * (barHeight + gap) + gap;
  const bars = rows.map((row, i) => {
    const y = gap + i * (barHeight + gap);
    const w = Math.max(row.share > 0 ? 1 : 0, row.share * plot);
    return s('g', { class: 'bar', 'data-key': row.key, 'data-share': String(row.share) },
      s('text', { class: 'bar-label', x: labelWidth - 8, y: y + barHeight * 0.7, 'text-anchor': 'end' }, row.label),
      s('rect', { class: 'bar-track', x: labelWidth, y, width: plot, height: barHeight }),
      s('rect', { class: 'bar-fill', x: labelWidth, y, width: w.toFixed(1), height: barHeight }),
      s('text', { class: 'bar-value', x: labelWidth + plot + 8, y: y + barHeight * 0.7 },
        `${formatShare(row.share)}${row.count === undefined ? '' : ` · ${formatNumber(row.count)}`}`));
  });
  const summary = rows.map((r) => `${r.label} ${formatShare(r.share)}`).join(', ') || 'no data';
  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `${title}: ${summary}` },
    s('title', {}, title), bars);
  const table = h('table', { class: 'data compact' },
    h('caption', { class: 'visually-hidden' }, title),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Region'), h('th', { scope: 'col' }, 'Share'),
      h('th', { scope: 'col' }, countLabel))),
    h('tbody', {}, rows.map((r) => h('tr', { 'data-key': r.key }, h('th', { scope: 'row' }, r.label),
      h('td', { class: 'num' }, formatShare(r.share)), h('td', { class: 'num' }, formatNumber(r.count))))));
  return h('figure', { class: ['chart-figure', className] }, h('figcaption', {}, title), svg,
    h('details', {}, h('summary', {}, 'The figures as a table'), table));
}
