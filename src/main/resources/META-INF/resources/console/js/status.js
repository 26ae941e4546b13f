// How a data center's state is told: a kind (for colour and marker shape) and words (never colour alone).
import { formatNumber } from './dom.js';

/** Participants a DC carries: reported load, reservations and (once live meetings exist) live ones. */
export function used(dc) {
  return (dc.reportedLoad ?? 0) + (dc.reserved ?? 0) + (dc.live ?? 0);
}

export function utilization(dc) {
  return dc.capacity > 0 ? used(dc) / dc.capacity : 0;
}

/**
 * {kind, word, label}: kind is one of ok, busy, full, stale, draining, down; label is what the map
 * writes beside the marker ("eu-fra 42 %", "eu-fra DRAINING").
 */
export function dcState(dc) {
  const percent = `${Math.round(utilization(dc) * 100)} %`;
  let kind;
  let word;
  if (dc.status === 'DOWN') {
    kind = 'down';
    word = 'DOWN';
  } else if (dc.status === 'DRAINING') {
    kind = 'draining';
    word = 'DRAINING';
  } else if (dc.stale) {
    kind = 'stale';
    word = 'STALE';
  } else if (dc.headroom <= 0) {
    kind = 'full';
    word = 'FULL';
  } else {
    kind = utilization(dc) >= 0.6 ? 'busy' : 'ok';
    word = percent;
  }
  return { kind, word, percent, label: `${dc.id} ${word}` };
}

/** A sentence for screen readers and tooltips. */
export function dcSentence(dc) {
  const state = dcState(dc);
  const status = dc.status === 'ACTIVE' ? (state.kind === 'full' ? 'active, full' : 'active') : dc.status.toLowerCase();
  return `${dc.id}, ${dc.city}, region ${dc.region}: ${status}${dc.stale ? ', load report stale' : ''}; `
    + `${state.percent} of capacity in use, headroom ${formatNumber(dc.headroom)} participants`;
}

export const LEGEND = [
  { kind: 'ok', text: 'active, under 60 % in use' },
  { kind: 'busy', text: 'active, 60 % or more in use' },
  { kind: 'full', text: 'active, no headroom left' },
  { kind: 'stale', text: 'load report stale: takes no one' },
  { kind: 'draining', text: 'draining: takes no new participants' },
  { kind: 'down', text: 'down' },
];
