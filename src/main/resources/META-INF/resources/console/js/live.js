// Live meetings and their events, for the ops page, once the service serves them. The page asks the
// service's own OpenAPI document (/q/openapi, public) which of these operations exist, so a service
// without them shows nothing and logs no failed request:
//   GET /api/v1/meetings          a list of live meetings (not in the contract yet: shown when present)
//   GET /api/v1/meeting-events    the event feed, read as JSON pages ({events, next}) with ?after=
import { h, replace, notice, formatTime, formatNumber } from './dom.js';
import { api, ApiError } from './api.js';
import { hasRole } from './session.js';

/** {meetings: bool, events: bool}: which live operations the running service has. */
export async function detectLive() {
  try {
    const response = await fetch('/q/openapi?format=json', { credentials: 'omit', headers: { Accept: 'application/json' } });
    if (!response.ok) return { meetings: false, events: false };
    const paths = (await response.json()).paths ?? {};
    // the feed serves the meetings a caller created: only a meeting-client has any
    return { meetings: Boolean(paths['/api/v1/meetings']?.get),
      events: Boolean(paths['/api/v1/meeting-events']?.get) && hasRole('meeting-client') };
  } catch (e) {
    return { meetings: false, events: false };
  }
}

function describe(event) {
  const parts = [event.type];
  if (event.participantId) parts.push(event.participantId);
  if (event.from || event.to) parts.push(`${event.from ?? '?'} → ${event.to ?? '?'}`);
  if (event.reason) parts.push(event.reason);
  if (event.cause) {
    parts.push(event.cause.type === 'POLICY_CHANGE' ? `policy of ${event.cause.accountId} v${event.cause.version}`
      : `${event.cause.dataCenter} ${event.cause.status}`);
  }
  return parts.join(' · ');
}

/** The panel, or null when the service has no live operations. */
export async function livePanel(ctx) {
  const live = await detectLive();
  if (!live.meetings && !live.events) return null;
  const meetingsBox = h('div', { 'aria-live': 'polite' });
  const eventsBox = h('ol', { class: 'timeline events' });
  const eventsState = h('p', { class: 'muted' });
  const panel = h('section', { class: 'panel live-panel', 'aria-labelledby': 'live-title' },
    h('h2', { id: 'live-title' }, 'Live meetings and events'),
    live.meetings ? meetingsBox : null,
    live.events ? h('div', {}, h('h3', {}, 'Events, newest first'), eventsState, eventsBox) : null);

  async function meetings() {
    try {
      const list = (await api('/api/v1/meetings')).data;
      const items = Array.isArray(list) ? list : list.meetings ?? [];
      replace(meetingsBox, items.length === 0 ? h('p', { class: 'muted' }, 'No live meeting.')
        : h('table', { class: 'data' }, h('caption', {}, `${items.length} live meetings`),
          h('thead', {}, h('tr', {}, ['Meeting', 'Account', 'Participants', 'Regions', 'Expires'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, items.map((m) => h('tr', {}, h('th', { scope: 'row' }, m.meetingId ?? m.id), h('td', {}, m.accountId ?? '—'),
            h('td', { class: 'num' }, formatNumber(m.participants?.length ?? m.participants)),
            h('td', {}, (m.regionsUsed ?? []).join(', ')), h('td', {}, formatTime(m.expiresAt)))))));
    } catch (e) {
      replace(meetingsBox, notice(e instanceof ApiError && e.status === 403 ? 'info' : 'error',
        e instanceof ApiError && e.status === 403 ? 'Your roles may not list the live meetings.' : `Live meetings: ${e.message}`));
    }
  }

  let after = null;
  async function events() {
    try {
      const query = new URLSearchParams({ limit: '100' });
      if (after !== null) query.set('after', String(after));
      const page = (await api(`/api/v1/meeting-events?${query}`)).data;
      after = page.next ?? after;
      for (const event of page.events ?? []) {
        eventsBox.prepend(h('li', { 'data-seq': String(event.seq), 'data-type': event.type },
          h('div', { class: 'when' }, formatTime(event.at)), h('div', {}, h('strong', {}, event.meetingId ?? event.meeting), ` ${describe(event)}`)));
      }
      while (eventsBox.childElementCount > 200) eventsBox.lastElementChild.remove();
      replace(eventsState, eventsBox.childElementCount ? '' : 'No event yet.');
    } catch (e) {
      replace(eventsState, e instanceof ApiError && e.status === 403
        ? 'The event feed lists the meetings a caller created (role meeting-client): your roles do not read it.'
        : `Events: ${e.message}`);
    }
  }

  const tick = async () => {
    if (live.meetings) await meetings();
    if (live.events) await events();
  };
  await tick();
  ctx.every(ctx.config.refreshIntervalMillis, tick);
  return panel;
}
