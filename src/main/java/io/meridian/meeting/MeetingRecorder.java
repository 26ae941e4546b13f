package io.meridian.meeting;

import io.meridian.core.DataCenterModel;
import io.meridian.core.MeetingTopology;
import io.meridian.core.RegionPolicy;
import io.meridian.records.PlanIds;
import io.meridian.records.RoutingRecord;
import io.meridian.records.RoutingRecords;
import io.meridian.rerouting.RerouteCause;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Records every join, leave and end of a live meeting as a routing record of the meeting's account,
 * under the meeting's label (its id when it has none), and counts them. Called after the commit.
 */
@ApplicationScoped
class MeetingRecorder {

    private static final Logger LOG = Logger.getLogger(MeetingRecorder.class);

    private final RoutingRecords records;
    private final MeetingMetrics metrics;
    private final DataCenterModel model;

    @Inject
    MeetingRecorder(RoutingRecords records, MeetingMetrics metrics, DataCenterModel model) {
        this.records = records;
        this.metrics = metrics;
        this.model = model;
    }

    void joined(MeetingRows.Meeting m, MeetingRows.Present p, boolean opened, MeetingTopology after, Instant at) {
        records.recordWithoutReceipt(record(m, RoutingRecord.Kind.JOIN, new RoutingRecord.LiveEvent(m.id(), p.participantId(), opened),
                Map.of(p.dataCenter(), 1), after, at));
    }

    void left(MeetingRows.Meeting m, MeetingRows.Present p, MeetingTopology after, Instant at) {
        metrics.left();
        records.recordWithoutReceipt(record(m, RoutingRecord.Kind.LEAVE, new RoutingRecord.LiveEvent(m.id(), p.participantId(), false),
                Map.of(p.dataCenter(), 1), after, at));
    }

    void ended(MeetingRows.Meeting m, Map<String, Integer> freed, boolean expired, Instant at) {
        metrics.ended(expired);
        int participants = freed.values().stream().mapToInt(Integer::intValue).sum();
        LOG.debugf("Live meeting %s (%s) of %s ended%s; %d places freed", m.id(), m.recordKey(),
                m.accountId() == null ? "no account" : "account " + m.accountId(),
                expired ? " by lease expiry" : "", participants);
        records.recordWithoutReceipt(record(m, expired ? RoutingRecord.Kind.EXPIRY : RoutingRecord.Kind.END,
                new RoutingRecord.LiveEvent(m.id(), null, false), freed, null, at));
    }

    /**
     * A participant that had to leave its data center: moved ({@code to} present) or disconnected.
     *
     * @param reason why it left (moved) or why it could not be placed (disconnected)
     */
    record Moved(MeetingRows.Present from, Optional<MeetingRows.Present> to, String reason) {
    }

    /**
     * Records each move (under the meeting's policy after the change, on the data center it moved to)
     * and each disconnect (under the policy that had placed it, on the data center it left).
     */
    void moved(MeetingRows.Meeting before, MeetingRows.Meeting after, List<Moved> moves, RerouteCause cause,
               MeetingTopology topology, Instant at) {
        String causeType = cause.type();
        long version = cause instanceof RerouteCause.PolicyChange p ? p.version() : 0;
        String causeDc = cause instanceof RerouteCause.DataCenterStatusChange d ? d.dataCenter() : "";
        for (Moved move : moves) {
            String from = move.from().dataCenter();
            int i = model.indexOf(from);
            RoutingRecord.Leaving leaving = new RoutingRecord.Leaving(from, i < 0 ? "?" : model.dataCenter(i).region(),
                    move.reason(), causeType, version, causeDc);
            RoutingRecord.LiveEvent live = new RoutingRecord.LiveEvent(after.id(), move.from().participantId(), false,
                    Optional.of(leaving));
            if (move.to().isPresent()) {
                records.recordWithoutReceipt(record(after, RoutingRecord.Kind.MOVE, live, Map.of(move.to().get().dataCenter(), 1),
                        topology, at));
            } else {
                records.recordWithoutReceipt(record(before, RoutingRecord.Kind.DISCONNECT, live, Map.of(from, 1), topology, at));
            }
        }
    }

    private RoutingRecord record(MeetingRows.Meeting m, RoutingRecord.Kind kind, RoutingRecord.LiveEvent live,
                                 Map<String, Integer> places, MeetingTopology after, Instant at) {
        List<RoutingRecord.Site> sites = new ArrayList<>();
        SortedSet<String> regions = new TreeSet<>();
        int participants = 0;
        Optional<String> primary = after == null ? Optional.empty() : after.primary();
        for (Map.Entry<String, Integer> e : new java.util.TreeMap<>(places).entrySet()) {
            int i = model.indexOf(e.getKey());
            String region = i < 0 ? "?" : model.dataCenter(i).region();
            sites.add(new RoutingRecord.Site(e.getKey(), region, e.getValue(), primary.map(e.getKey()::equals).orElse(false)));
            regions.add(region);
            participants += e.getValue();
        }
        RegionPolicy policy = m.policy();
        String strategy = after != null && after.dataCenters().size() > 1 ? "CASCADE" : "SINGLE";
        long millis = at.toEpochMilli();
        return new RoutingRecord(PlanIds.next(millis), millis, m.accountId(), m.recordKey(), strategy, participants,
                sites, regions, policy.blockedRegions(), policy.allowedRegions().map(s -> (SortedSet<String>) s),
                policy.sources(), m.reservationId().orElse(null), m.policyVersion(), kind, Optional.of(live));
    }
}
