package io.meridian.records;

import io.meridian.core.RoutingPlan;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The facts kept about one plan answered 200, or one join, leave or end of a live meeting: when, for
 * whom, where its media went and under which effective policy. Immutable; built on the request
 * thread, written later by {@link RoutingRecorder}.
 *
 * @param planId        the record's id (a ULID, so ids sort by time): the plan's id for a plan
 * @param recordedAt    when the plan was made, epoch milliseconds UTC
 * @param accountId     the request's account, if any
 * @param meetingId     the request's meeting id, if any
 * @param strategy      strategy of the plan (SINGLE or CASCADE)
 * @param participants  participants placed
 * @param dataCenters   participants per data center used
 * @param regionsUsed   regions whose data centers carry media of the plan
 * @param blocked       the effective blocked regions
 * @param allowed       the effective allow-list, when one applied
 * @param sources       where the effective policy came from ("request", "account:acme")
 * @param reservationId the reservation that holds the plan, when it reserved
 * @param policyVersion version of the account's stored region policy the plan obeyed, 0 when none
 *                      applied; goes into the transparency log (the stored record does not keep it)
 * @param kind          what happened: a plan (or bridge selection), or a join, leave or end of a live meeting
 * @param live          for a join, leave or end: the live meeting, and who joined or left
 */
public record RoutingRecord(String planId, long recordedAt, String accountId, String meetingId, String strategy,
                            int participants, List<Site> dataCenters, SortedSet<String> regionsUsed,
                            SortedSet<String> blocked, Optional<SortedSet<String>> allowed, List<String> sources,
                            String reservationId, long policyVersion, Kind kind, Optional<LiveEvent> live) {

    /**
     * What a record is about. Plans and joins place participants (the traffic report counts them);
     * leaves and ends only say when media stopped.
     */
    public enum Kind {
        /** A routing plan answered 200: {@code participants} placed. */
        PLAN,
        /** One participant joined a live meeting: one participant placed on one data center. */
        JOIN,
        /** One participant left a live meeting. */
        LEAVE,
        /** A live meeting ended by its controller: {@code participants} let go. */
        END,
        /** A live meeting ended because its lease ran out: {@code participants} let go. */
        EXPIRY,
        /**
         * One participant of a live meeting moved off a data center it had to leave (a policy change,
         * a DC down): placed on the record's one data center, under the meeting's new policy.
         */
        MOVE,
        /**
         * One participant removed from a data center it had to leave, with nowhere to go: the record's
         * data center is the one it left, its policy the one that had placed it there.
         */
        DISCONNECT;

        /** Whether records of this kind place participants (counted by the traffic report). */
        public boolean places() {
            return this == PLAN || this == JOIN || this == MOVE;
        }
    }

    /**
     * What a record of a live meeting adds.
     *
     * @param meetingId        the live meeting's id (the service's ULID; the record's {@code meetingId}
     *                         is the client's label); null in a record read back from the database,
     *                         which does not keep it
     * @param participantId    who joined or left; null for an end
     * @param openedDataCenter for a join: whether nobody of the meeting was on its data center before
     */
    public record LiveEvent(String meetingId, String participantId, boolean openedDataCenter, Optional<Leaving> leaving) {
        public LiveEvent {
            Objects.requireNonNull(leaving, "leaving");
        }

        /** A join, leave or end. */
        public LiveEvent(String meetingId, String participantId, boolean openedDataCenter) {
            this(meetingId, participantId, openedDataCenter, Optional.empty());
        }
    }

    /**
     * What a MOVE or DISCONNECT adds: the data center left, why, and the change that made it leave
     * (not stored with the record; the transparency log states it).
     *
     * @param reason          REGION_BLOCKED, REGION_NOT_ALLOWED or DC_DOWN for a move; why it could not
     *                        be placed (NO_PERMITTED_CAPACITY, ...) for a disconnect
     * @param causeType       POLICY_CHANGE or DC_STATUS
     * @param causeVersion    the account policy's version (a policy change), else 0
     * @param causeDataCenter the data center whose status changed, else empty
     */
    public record Leaving(String fromDataCenter, String fromRegion, String reason, String causeType, long causeVersion,
                          String causeDataCenter) {
        public Leaving {
            Objects.requireNonNull(fromDataCenter, "fromDataCenter");
            Objects.requireNonNull(fromRegion, "fromRegion");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(causeType, "causeType");
            Objects.requireNonNull(causeDataCenter, "causeDataCenter");
        }
    }

    /** Participants of the plan on one data center. */
    public record Site(String dataCenter, String region, int participants, boolean primary) {
    }

    /** A record of a plan under version {@code policyVersion} of its account's policy. */
    public RoutingRecord(String planId, long recordedAt, String accountId, String meetingId, String strategy,
                         int participants, List<Site> dataCenters, SortedSet<String> regionsUsed,
                         SortedSet<String> blocked, Optional<SortedSet<String>> allowed, List<String> sources,
                         String reservationId, long policyVersion) {
        this(planId, recordedAt, accountId, meetingId, strategy, participants, dataCenters, regionsUsed, blocked,
                allowed, sources, reservationId, policyVersion, Kind.PLAN, Optional.empty());
    }

    public RoutingRecord {
        Objects.requireNonNull(planId, "planId");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(live, "live");
        dataCenters = List.copyOf(dataCenters);
        regionsUsed = new TreeSet<>(regionsUsed);
        blocked = new TreeSet<>(blocked);
        allowed = allowed.map(TreeSet::new);
        sources = List.copyOf(sources);
    }

    /** A record without an account policy version (none applied, or the record was read back). */
    public RoutingRecord(String planId, long recordedAt, String accountId, String meetingId, String strategy,
                         int participants, List<Site> dataCenters, SortedSet<String> regionsUsed,
                         SortedSet<String> blocked, Optional<SortedSet<String>> allowed, List<String> sources,
                         String reservationId) {
        this(planId, recordedAt, accountId, meetingId, strategy, participants, dataCenters, regionsUsed, blocked,
                allowed, sources, reservationId, 0);
    }

    /** The record of a plan made at {@code recordedAt} without an account policy. */
    public static RoutingRecord of(String planId, long recordedAt, String accountId, String meetingId,
                                   RoutingPlan plan, String reservationId) {
        return of(planId, recordedAt, accountId, meetingId, plan, reservationId, 0);
    }

    /** The record of a plan made at {@code recordedAt} under version {@code policyVersion} of the account's policy. */
    public static RoutingRecord of(String planId, long recordedAt, String accountId, String meetingId,
                                   RoutingPlan plan, String reservationId, long policyVersion) {
        List<Site> sites = new ArrayList<>(plan.dataCenters().size());
        int participants = 0;
        for (RoutingPlan.DataCenterUse use : plan.dataCenters()) {
            sites.add(new Site(use.id(), use.region(), use.participants(), use.primary()));
            participants += use.participants();
        }
        return new RoutingRecord(planId, recordedAt, accountId, meetingId, plan.strategy().name(), participants,
                sites, new TreeSet<>(plan.regionsUsed()), plan.policy().blockedRegions(),
                plan.policy().allowedRegions().map(s -> (SortedSet<String>) s), plan.policy().sources(), reservationId,
                policyVersion);
    }

    /**
     * The {@code strategy} of the record of a Jicofo bridge selection: one participant given a bridge,
     * not a plan. Traffic reports count its participant; it counts as a meeting only when it chose a
     * conference's first bridge (its site is then {@code primary}), since Jicofo names no conference.
     */
    public static final String BRIDGE_SELECTION = "BRIDGE_SELECTION";

    /**
     * The record of one Jicofo bridge selection.
     *
     * @param site       the chosen bridge's data center with 1 participant, primary when it is the
     *                   conference's first bridge; empty for a bridge in no known data center
     * @param policy     the account's effective policy
     */
    public static RoutingRecord bridgeSelection(String id, long recordedAt, String accountId, Optional<Site> site,
                                                io.meridian.core.RegionPolicy policy) {
        return new RoutingRecord(id, recordedAt, accountId, null, BRIDGE_SELECTION, 1, site.stream().toList(),
                site.map(s -> (SortedSet<String>) new TreeSet<>(List.of(s.region()))).orElseGet(TreeSet::new),
                policy.blockedRegions(), policy.allowedRegions().map(s -> (SortedSet<String>) s), policy.sources(),
                null);
    }

    /** The participant who joined or left, for a join or leave; null otherwise. */
    public String participantId() {
        return live.map(LiveEvent::participantId).orElse(null);
    }

    /**
     * True when a record that placed participants put one in a region its own effective policy blocked
     * or left out of its allow-list: the one thing that must never happen. The traffic report counts these
     * from the stored rows with the same rule.
     */
    public boolean violatesPolicy() {
        if (!kind.places()) {
            // a leave or end places nobody: it may leave a region a later policy forbids
            return false;
        }
        for (Site site : dataCenters) {
            if (blocked.contains(site.region())
                    || allowed.isPresent() && !allowed.get().contains(site.region())) {
                return true;
            }
        }
        return false;
    }
}
