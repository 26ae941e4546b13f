package io.meridian.meeting;

import io.meridian.core.DataCenter;
import io.meridian.core.DataCenterModel;
import io.meridian.core.ExclusionReason;
import io.meridian.core.MeetingTopology;
import io.meridian.core.MoveReplacement;
import io.meridian.core.RegionPolicy;
import io.meridian.core.RoutingOptions;
import io.meridian.db.Pipeline;
import io.meridian.events.EventCascadeLink;
import io.meridian.events.EventCause;
import io.meridian.events.EventLog;
import io.meridian.events.EventMeeting;
import io.meridian.events.EventPlace;
import io.meridian.events.MeetingEvents;
import io.meridian.events.PendingEvent;
import io.meridian.ledger.Answers;
import io.meridian.ledger.CapacityLedger;
import io.meridian.ledger.GroupCommit;
import io.meridian.ledger.LiveTransaction;
import io.meridian.rerouting.LiveMeetings;
import io.meridian.rerouting.RerouteCause;
import io.meridian.routing.PlanResponses;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One transaction of moves, for any number of meetings: lock the meetings' rows (id order), remake
 * their effective policy when the account's changed, lock every data center they hold places on or
 * may move to (id order, after the meetings), then for each meeting re-place at once, with the core's
 * {@link MoveReplacement}, everyone on a data center it must leave ({@link MoveReplacement#mustLeave});
 * the new place is taken before the old one is given back, against exact room. Events are appended
 * as the transaction's last statement, so they exist exactly when the moves committed.
 *
 * <p>Idempotent: a meeting whose policy is already at the change's version (policy change), or with
 * nobody left on a data center it must leave, changes nothing; a job resumed after a crash moves
 * nobody twice.
 */
final class MoveBatch implements GroupCommit.Batch<MoveJob> {

    private static final Logger LOG = Logger.getLogger(MoveBatch.class);

    private final CapacityLedger ledger;
    private final MoveReplacement replacement;
    private final RoutingOptions options;
    private final DataCenterModel model;
    private final MeetingRecorder recorder;
    /** Run after a commit that appended events: this replica's feed delivers them at once. */
    private final Runnable eventsCommitted;

    MoveBatch(CapacityLedger ledger, MoveReplacement replacement, RoutingOptions options, DataCenterModel model,
              MeetingRecorder recorder, Runnable eventsCommitted) {
        this.ledger = ledger;
        this.replacement = replacement;
        this.options = options;
        this.model = model;
        this.recorder = recorder;
        this.eventsCommitted = eventsCommitted;
    }

    @Override
    public void run(Connection c, List<MoveJob> jobs, Duration lockWait, Answers answers) throws SQLException {
        Set<String> ids = new TreeSet<>();
        jobs.forEach(job -> ids.add(job.meeting()));
        LiveTransaction live = ledger.live(c);
        MeetingSql.Locked locked = MeetingSql.lockAndRead(c, lockWait, live, ids, Map.of());
        Map<String, MeetingRows.Meeting> rows = locked.rows();
        Map<String, Map<String, MeetingRows.Site>> sites = locked.sites();
        Set<String> holders = locked.holders();
        Map<String, MoveJob> todo = new TreeMap<>();
        Map<String, MeetingRows.Meeting> remade = new HashMap<>();
        for (MoveJob job : jobs) {
            String id = job.meeting();
            if (!holders.contains(id) || live.expired(id) || todo.containsKey(id)) {
                continue;
            }
            MeetingRows.Meeting row = rows.get(id);
            Optional<LiveMeetings.AccountPolicy> account = job.order().account();
            if (account.isPresent()) {
                if (row.policyVersion() >= account.get().version()) {
                    continue;
                }
                List<RegionPolicy.Restriction> restrictions = new ArrayList<>(2);
                restrictions.add(row.request());
                account.get().restriction().ifPresent(restrictions::add);
                row = row.withPolicy(RegionPolicy.merge(restrictions), account.get().version());
            }
            remade.put(id, row);
            todo.put(id, job);
        }
        Set<String> toLock = new TreeSet<>();
        for (String id : todo.keySet()) {
            toLock.addAll(live.heldOn(id));
            for (DataCenter dc : model.dataCenters()) {
                if (remade.get(id).policy().permits(dc.region())) {
                    toLock.add(dc.id());
                }
            }
        }
        live.lock(toLock);
        List<PendingEvent> events = new ArrayList<>();
        OpenMeeting.MeetingWrites writes = new OpenMeeting.MeetingWrites();
        Map<MoveJob, LiveMeetings.Fixed> fixed = new HashMap<>();
        for (Map.Entry<String, MoveJob> e : todo.entrySet()) {
            MeetingRows.Meeting row = remade.get(e.getKey());
            OpenMeeting m = fix(c, row, rows.get(e.getKey()), sites.getOrDefault(e.getKey(), Map.of()), e.getValue(),
                    live, events, fixed, answers);
            m.collect(writes);
        }
        Pipeline out = Pipeline.on(c);
        writes.write(out);
        live.write(out, answers);
        EventLog.append(out, events);
        out.run();
        if (!events.isEmpty()) {
            answers.onCommit(eventsCommitted);
        }
        for (MoveJob job : jobs) {
            answers.answer(job, fixed.getOrDefault(job, new LiveMeetings.Fixed(job.meeting(), true, List.of(), List.of())));
        }
    }

    private OpenMeeting fix(Connection c, MeetingRows.Meeting row, MeetingRows.Meeting before,
                            Map<String, MeetingRows.Site> sites, MoveJob job, LiveTransaction live,
                            List<PendingEvent> events, Map<MoveJob, LiveMeetings.Fixed> fixed, Answers answers)
            throws SQLException {
        String id = row.id();
        Evacuation.Plan plan = Evacuation.plan(c, before, row, sites, live.reservedPlaces(id), live.snapshot(),
                replacement, options, model);
        OpenMeeting m = plan.meeting();
        Map<String, ExclusionReason> leaving = plan.leaving();
        Map<String, MeetingRows.Present> present = plan.movers();
        List<String> movedReasons = new ArrayList<>();
        List<String> disconnectedReasons = new ArrayList<>();
        if (present.isEmpty()) {
            fixed.put(job, new LiveMeetings.Fixed(id, before.policyVersion() == row.policyVersion(), movedReasons,
                    disconnectedReasons));
            return m;
        }
        MoveReplacement.Outcome outcome = plan.outcome();
        Instant now = live.now();
        RerouteCause cause = job.order().cause();
        EventMeeting who = new EventMeeting(id, row.label(), row.createdBy());
        EventCause eventCause = eventCause(cause);
        List<MeetingRecorder.Moved> records = new ArrayList<>();
        for (MoveReplacement.Move move : outcome.moves()) {
            MeetingRows.Present old = present.get(move.participantId());
            String reason = leaving.get(old.dataCenter()).name();
            EventPlace from = new EventPlace(old.dataCenter(), region(old.dataCenter()));
            if (move instanceof MoveReplacement.Moved to && live.take(id, to.to(), to.usedReservedPlace())) {
                live.giveBack(id, old.dataCenter());
                MeetingRows.Present now2 = new MeetingRows.Present(old.participantId(), to.to(), to.rttMs(),
                        to.measured(), old.location(), old.measuredRtts(), old.joinedAt());
                m.join(now2, model);
                events.add(MeetingEvents.moved(who, old.participantId(), from, new EventPlace(to.to(), to.region()),
                        MeetingEvents.MoveReason.valueOf(reason), eventCause, now));
                movedReasons.add(reason);
                records.add(new MeetingRecorder.Moved(old, Optional.of(now2), reason));
            } else {
                if (move instanceof MoveReplacement.Moved) {
                    // placement only picks data centers with room; this would be a bug: never over headroom
                    LOG.errorf("Move of a participant of meeting %s to %s was not admitted there; disconnected", id,
                            ((MoveReplacement.Moved) move).to());
                }
                String why = move instanceof MoveReplacement.Disconnected d ? d.reason().name()
                        : MoveReplacement.DisconnectReason.NO_PERMITTED_CAPACITY.name();
                live.giveBack(id, old.dataCenter());
                events.add(MeetingEvents.disconnected(who, old.participantId(), why, eventCause, from, now));
                disconnectedReasons.add(why);
                records.add(new MeetingRecorder.Moved(old, Optional.empty(), why));
            }
        }
        MeetingTopology after = m.topology(model);
        Optional<io.meridian.core.MeetingSites.Cascade> cascade = m.participants() == 0 ? Optional.empty()
                : outcome.topology().cascade();
        if (m.recascade(cascade)) {
            after = m.topology(model);
            events.add(MeetingEvents.cascadeChanged(who, after.cascadeLinks().stream()
                    .map(l -> new EventCascadeLink(l.from(), l.to(), PlanResponses.round(l.rttMs()))).toList(), now));
        }
        MeetingTopology recorded = after;
        MeetingRows.Meeting recordedRow = m.row;
        answers.onCommit(() -> recorder.moved(before, recordedRow, records, cause, recorded, now));
        fixed.put(job, new LiveMeetings.Fixed(id, false, movedReasons, disconnectedReasons));
        return m;
    }

    /** The change a move answers, as its events name it. */
    private static EventCause eventCause(RerouteCause cause) {
        if (cause instanceof RerouteCause.PolicyChange p) {
            return EventCause.policyChange(p.accountId(), p.version());
        }
        RerouteCause.DataCenterStatusChange d = (RerouteCause.DataCenterStatusChange) cause;
        return EventCause.dcStatus(d.dataCenter(), d.status().name());
    }

    private String region(String dataCenter) {
        int i = model.indexOf(dataCenter);
        return i < 0 ? null : model.dataCenter(i).region();
    }
}
