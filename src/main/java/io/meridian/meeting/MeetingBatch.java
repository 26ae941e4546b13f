package io.meridian.meeting;

import io.meridian.core.DataCenter;
import io.meridian.core.DataCenterModel;
import io.meridian.core.JoinOutcome;
import io.meridian.core.JoinPlacement;
import io.meridian.core.MeetingSites;
import io.meridian.core.MeetingTopology;
import io.meridian.core.RoutingOptions;
import io.meridian.db.Pipeline;
import io.meridian.events.EventCascadeLink;
import io.meridian.events.EventLog;
import io.meridian.events.EventMeeting;
import io.meridian.events.EventPlace;
import io.meridian.events.MeetingEvents;
import io.meridian.events.PendingEvent;
import io.meridian.ledger.Answers;
import io.meridian.ledger.CapacityLedger;
import io.meridian.ledger.GroupCommit;
import io.meridian.ledger.LiveTransaction;
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
 * One transaction of meeting jobs, for any number of meetings: lock the meetings' rows (id order)
 * and read what they hold and their aggregates, lock every data center the jobs may touch (id order,
 * after the meetings) and read their room, then do the jobs in queue order against exact room, each
 * seeing the ones before it; write everything, one statement per table, and commit. Each of these
 * three steps is one round trip to the database ({@link Pipeline}), whatever the number of jobs: on
 * PostgreSQL the commit goes with the writes ({@link Answers#commitWith}). A join is placed by the core's
 * {@link JoinPlacement} on the aggregates; nobody already in a meeting moves. The jobs' meeting events
 * (joins, leaves, cascade changes, ends) are appended to the {@link EventLog} as the transaction's
 * last statement, so the log's counter is locked only until the commit that follows.
 */
final class MeetingBatch implements GroupCommit.Batch<MeetingJob<?>> {

    private static final Logger LOG = Logger.getLogger(MeetingBatch.class);

    private final CapacityLedger ledger;
    private final JoinPlacement placement;
    private final RoutingOptions options;
    private final DataCenterModel model;
    private final Duration lease;
    private final int maxParticipants;
    private final MeetingRecorder recorder;
    /** Run after a commit that appended events: this replica's feed delivers them at once. */
    private final Runnable eventsCommitted;

    MeetingBatch(CapacityLedger ledger, JoinPlacement placement, RoutingOptions options, DataCenterModel model,
                 Duration lease, int maxParticipants, MeetingRecorder recorder, Runnable eventsCommitted) {
        this.ledger = ledger;
        this.placement = placement;
        this.options = options;
        this.model = model;
        this.lease = lease;
        this.maxParticipants = maxParticipants;
        this.recorder = recorder;
        this.eventsCommitted = eventsCommitted;
    }

    @Override
    public void run(Connection c, List<MeetingJob<?>> jobs, Duration lockWait, Answers answers) throws SQLException {
        Set<String> ids = new TreeSet<>();
        jobs.forEach(job -> ids.add(job.meeting()));
        LiveTransaction live = ledger.live(c);
        MeetingSql.Locked locked = MeetingSql.lockAndRead(c, lockWait, live, ids, asked(jobs), leaving(jobs));
        Map<String, OpenMeeting> meetings = new HashMap<>();
        for (String id : locked.holders()) {
            meetings.put(id, new OpenMeeting(locked.rows().get(id), locked.sites().getOrDefault(id, Map.of()),
                    locked.present().getOrDefault(id, Map.of()), locked.largest().getOrDefault(id, Map.of())));
        }
        live.lock(sitesToLock(jobs, meetings, live));
        List<PendingEvent> events = new ArrayList<>();
        for (MeetingJob<?> job : jobs) {
            OpenMeeting m = meetings.get(job.meeting());
            if (job instanceof MeetingJob.Join join) {
                answers.answer(join, join(join, m, live, answers, events));
            } else if (job instanceof MeetingJob.Leave leave) {
                answers.answer(leave, leave(c, leave, m, live, answers, events));
            } else if (job instanceof MeetingJob.Renew renew) {
                answers.answer(renew, renew(renew, m, live, answers, events));
            } else {
                MeetingJob.End end = (MeetingJob.End) job;
                answers.answer(end, end(end, m, live, answers, events));
            }
        }
        // one round trip for every write and the commit, the events last (their counter is locked until
        // the commit that follows them in the same round trip)
        Pipeline writes = Pipeline.on(c);
        OpenMeeting.MeetingWrites changes = new OpenMeeting.MeetingWrites();
        meetings.values().forEach(m -> m.collect(changes));
        changes.write(writes);
        live.write(writes, answers);
        EventLog.append(writes, events);
        answers.commitWith(writes);
        if (!events.isEmpty()) {
            answers.onCommit(eventsCommitted);
        }
    }

    /** The participants the joins and leaves ask about, per meeting. */
    private static Map<String, Set<String>> asked(List<MeetingJob<?>> jobs) {
        Map<String, Set<String>> asked = new TreeMap<>();
        for (MeetingJob<?> job : jobs) {
            String id = job instanceof MeetingJob.Join j ? j.participant().id()
                    : job instanceof MeetingJob.Leave l ? l.participantId() : null;
            if (id != null) {
                asked.computeIfAbsent(job.meeting(), k -> new TreeSet<>()).add(id);
            }
        }
        return asked;
    }

    /** The participants the leaves take out, per meeting. */
    private static Map<String, Set<String>> leaving(List<MeetingJob<?>> jobs) {
        Map<String, Set<String>> leaving = new TreeMap<>();
        for (MeetingJob<?> job : jobs) {
            if (job instanceof MeetingJob.Leave l) {
                leaving.computeIfAbsent(job.meeting(), k -> new TreeSet<>()).add(l.participantId());
            }
        }
        return leaving;
    }

    /**
     * Every data center a job may take or give places on: for a meeting with a join, every data
     * center its policy permits; for any meeting, those it holds places on (leaves, ends, expiry).
     */
    private Set<String> sitesToLock(List<MeetingJob<?>> jobs, Map<String, OpenMeeting> meetings, LiveTransaction live) {
        Set<String> sites = new TreeSet<>();
        Set<String> joining = new TreeSet<>();
        for (MeetingJob<?> job : jobs) {
            if (job instanceof MeetingJob.Join && meetings.containsKey(job.meeting())) {
                joining.add(job.meeting());
            }
        }
        for (Map.Entry<String, OpenMeeting> e : meetings.entrySet()) {
            sites.addAll(live.heldOn(e.getKey()));
            if (joining.contains(e.getKey())) {
                for (DataCenter dc : model.dataCenters()) {
                    if (e.getValue().row.policy().permits(dc.region())) {
                        sites.add(dc.id());
                    }
                }
            }
        }
        return sites;
    }

    /** Whether the meeting is there for this caller; one whose lease ran out is ended now. */
    private boolean usable(OpenMeeting m, Optional<String> caller, LiveTransaction live, Answers answers,
                           List<PendingEvent> events) {
        if (m == null || m.ended() || caller.isPresent() && !m.ownedBy(caller.get())) {
            return false;
        }
        if (live.expired(m.row.id())) {
            expire(m, live, answers, events);
            return false;
        }
        return true;
    }

    private JoinResult join(MeetingJob.Join job, OpenMeeting m, LiveTransaction live, Answers answers,
                            List<PendingEvent> events) {
        if (!usable(m, Optional.of(job.caller()), live, answers, events)) {
            return new JoinResult.NotFound();
        }
        String id = m.row.id();
        Optional<MeetingRows.Present> there = m.present(job.participant().id());
        if (there.isPresent()) {
            return new JoinResult.Placed(MeetingMapper.join(there.get(), false, false, view(m, live), model), false);
        }
        if (m.participants() >= maxParticipants) {
            return new JoinResult.Full(maxParticipants);
        }
        JoinOutcome outcome = placement.place(job.participant(), m.meetingSites(live.reservedPlaces(id)),
                m.row.policy(), live.snapshot(), options);
        if (!(outcome instanceof JoinOutcome.Placed)) {
            // a refused join holds nothing, but its controller is alive: the meeting's lease is renewed
            live.renew(id, live.now().plus(lease));
            return outcome instanceof JoinOutcome.NoPermittedCapacity full ? new JoinResult.NoCapacity(full.excluded())
                    : new JoinResult.NoRegion(m.row.policy());
        }
        JoinOutcome.Placed placed = (JoinOutcome.Placed) outcome;
        if (!live.take(id, placed.dataCenter(), placed.usedReservedPlace())) {
            // placement only picks data centers with room; this would be a bug, and holds nothing
            LOG.errorf("Join placed on %s for meeting %s was not admitted there; refused", placed.dataCenter(), id);
            return new JoinResult.NoCapacity(List.of());
        }
        Instant now = live.now();
        MeetingRows.Present row = new MeetingRows.Present(job.participant().id(), placed.dataCenter(), placed.rttMs(),
                placed.measured(), job.participant().location(), job.participant().measuredRttMs(), now);
        Optional<MeetingSites.Cascade> before = m.cascade();
        m.join(row, model);
        live.renew(id, now.plus(lease));
        MeetingTopology after = m.topology(model);
        events.add(MeetingEvents.joined(ref(m), row.participantId(), place(row.dataCenter()),
                placed.openedDataCenter(), now));
        cascadeChange(m, before, after, now, events);
        answers.onCommit(() -> recorder.joined(m.row, row, placed.openedDataCenter(), after, now));
        return new JoinResult.Placed(MeetingMapper.join(row, placed.openedDataCenter(), placed.usedReservedPlace(),
                view(m, after, live), model), true);
    }

    private boolean leave(Connection c, MeetingJob.Leave job, OpenMeeting m, LiveTransaction live, Answers answers,
                          List<PendingEvent> events) throws SQLException {
        if (!usable(m, Optional.of(job.caller()), live, answers, events)) {
            return false;
        }
        Optional<MeetingRows.Present> there = m.present(job.participantId());
        if (there.isEmpty()) {
            return false;
        }
        String id = m.row.id();
        Optional<MeetingSites.Cascade> before = m.cascade();
        live.giveBack(id, there.get().dataCenter());
        m.leave(there.get(), c, model);
        Instant now = live.now();
        live.renew(id, now.plus(lease));
        MeetingTopology after = m.topology(model);
        events.add(MeetingEvents.left(ref(m), job.participantId(), place(there.get().dataCenter()), now));
        cascadeChange(m, before, after, now, events);
        answers.onCommit(() -> recorder.left(m.row, there.get(), after, now));
        return true;
    }

    private Optional<MeetingViews.MeetingView> renew(MeetingJob.Renew job, OpenMeeting m, LiveTransaction live,
                                                     Answers answers, List<PendingEvent> events) {
        if (!usable(m, Optional.of(job.caller()), live, answers, events)) {
            return Optional.empty();
        }
        live.renew(m.row.id(), live.now().plus(lease));
        return Optional.of(view(m, live));
    }

    private boolean end(MeetingJob.End job, OpenMeeting m, LiveTransaction live, Answers answers,
                        List<PendingEvent> events) {
        if (job.caller().isEmpty()) {
            // the expiry job: only a meeting whose lease still ran out (a join may have renewed it)
            if (m == null || m.ended() || !live.expired(m.row.id())) {
                return false;
            }
            expire(m, live, answers, events);
            return true;
        }
        if (!usable(m, job.caller(), live, answers, events)) {
            return false;
        }
        Map<String, Integer> freed = live.end(m.row.id());
        m.end();
        Instant now = live.now();
        events.add(MeetingEvents.ended(ref(m), MeetingEvents.EndReason.ENDED, now));
        answers.onCommit(() -> recorder.ended(m.row, freed, false, now));
        return true;
    }

    private void expire(OpenMeeting m, LiveTransaction live, Answers answers, List<PendingEvent> events) {
        Map<String, Integer> freed = live.end(m.row.id());
        m.end();
        Instant now = live.now();
        events.add(MeetingEvents.ended(ref(m), MeetingEvents.EndReason.LEASE_EXPIRED, now));
        answers.onCommit(() -> recorder.ended(m.row, freed, true, now));
    }

    /** A CASCADE_CHANGED event when the job changed the meeting's backbone links. */
    private static void cascadeChange(OpenMeeting m, Optional<MeetingSites.Cascade> before, MeetingTopology after,
                                      Instant now, List<PendingEvent> events) {
        List<MeetingSites.Link> was = before.map(MeetingSites.Cascade::links).orElse(List.of());
        List<MeetingSites.Link> is = m.cascade().map(MeetingSites.Cascade::links).orElse(List.of());
        if (!was.equals(is)) {
            events.add(MeetingEvents.cascadeChanged(ref(m), after.cascadeLinks().stream()
                    .map(l -> new EventCascadeLink(l.from(), l.to(), PlanResponses.round(l.rttMs()))).toList(), now));
        }
    }

    private static EventMeeting ref(OpenMeeting m) {
        return new EventMeeting(m.row.id(), m.row.label(), m.row.createdBy());
    }

    private EventPlace place(String dataCenter) {
        return new EventPlace(dataCenter, model.dataCenter(model.indexOf(dataCenter)).region());
    }

    private MeetingViews.MeetingView view(OpenMeeting m, LiveTransaction live) {
        return view(m, m.topology(model), live);
    }

    private MeetingViews.MeetingView view(OpenMeeting m, MeetingTopology t, LiveTransaction live) {
        return MeetingMapper.meeting(m.row, t, m.participants(), live.expiresAt(m.row.id()));
    }
}
