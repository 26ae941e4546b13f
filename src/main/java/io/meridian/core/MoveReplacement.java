package io.meridian.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Re-placement of the participants of one live meeting that must leave their data centers (the
 * region became blocked or not allowed, the data center went DOWN or left the model), all at once:
 * a pure, deterministic function of the movers, the meeting's remaining aggregates, the policy, a
 * capacity snapshot and the options.
 *
 * <h2>Rule</h2>
 * <ul>
 *   <li>Candidates: the data centers {@link Eligibility eligible} for the meeting (permitted, ACTIVE,
 *       fresh, room {@code > 0} counting the meeting's reserved places), except every data center a
 *       mover is leaving: a mover never stays where it is, whatever the snapshot says.</li>
 *   <li>As many movers as the candidates have room for are placed (the most possible); the others
 *       are disconnected, {@code NO_PERMITTED_REGION} when the policy permits no data center of the
 *       model, else {@code NO_PERMITTED_CAPACITY}. Media never stays in a forbidden place to avoid
 *       a disconnect.</li>
 *   <li>Among the placements of that many movers, the one with the least total cost
 *       {@code c(i, k) = r(i, k) + a(k)}, by the min-cost-flow {@link Assigner} of the plan engine,
 *       each data center within its room. {@code r(i, k)} is the mover's access RTT
 *       ({@link AccessLatency}); {@code a(k)} is how far the participants who stay are from k:
 *       <ul>
 *         <li>k kept (it has participants who stay): {@code reach(k) = max over kept s of
 *             path_T(k, s) + top1(s)}, T the kept sites' cascade, so that {@code c(i, k)} is the
 *             mover's worst pair latency with the participants who stay, exactly as for a join;</li>
 *         <li>k not used: {@code min over kept t of (link(k, t) + reach(t)) + cascadeMinGainMs}: the
 *             mover's worst pair if k hangs off the kept cascade at its best point, plus the gain an
 *             opening must bring under the join rule;</li>
 *         <li>nobody stays: 0, so the movers are placed as a plan's CASCADE would place them.</li>
 *       </ul></li>
 *   <li>Ties: movers in participant-id order, data centers in id order. Movers with the same
 *       location and measurements are interchangeable; the lower ids get the lower data centers.
 *       Where the meeting holds reserved places on a data center, the movers placed there take them
 *       first (in id order).</li>
 * </ul>
 *
 * <h2>Why this cost</h2>
 * A min-cost flow needs a cost per (mover, data center) that does not depend on where the other
 * movers go. A mover's worst pair latency with the participants who stay has that form: the kept
 * sites and their tree are fixed, so it depends on its own data center only, and it is what the join
 * rule minimises. Access RTT alone would ignore where the meeting is (movers from Frankfurt in a
 * meeting kept in Singapore would open New York, 98 ms away but 193 ms from Singapore, rather than
 * join Singapore, 159 ms away). For a data center not used yet, the exact worst pair depends on the
 * tree recomputed with everyone who opens it, which the flow cannot know; hanging it off the kept
 * cascade at its best point is the best tree that keeps the existing links, and charging the gain
 * keeps a mover on the meeting's data centers unless leaving them pays as it must for a join.
 * What the cost leaves out: pairs among the movers themselves (they mostly come from one place and
 * land together). After the move the cascade is recomputed from the new aggregates
 * ({@link MeetingTopology}).
 *
 * <h2>Cost</h2>
 * O(U² + K·U) for the offsets (U kept data centers, K candidates), O(G·K) for the costs of the G
 * distinct mover locations, and the min-cost flow over G groups (see {@link MinCostFlowAssigner}).
 * Nothing depends on the number of participants who stay.
 */
public final class MoveReplacement {

    private final AccessLatency access;
    private final Assigner assigner;

    /** With the plan engine's optimal assigner. */
    public MoveReplacement(LatencyModel access) {
        this(new AccessLatency(access), new MinCostFlowAssigner());
    }

    public MoveReplacement(AccessLatency access, Assigner assigner) {
        this.access = Objects.requireNonNull(access, "access");
        this.assigner = Objects.requireNonNull(assigner, "assigner");
    }

    /**
     * One participant that must leave its data center.
     *
     * @param participant who, where, and what it measured
     * @param from        the data center it is leaving (it may no longer be in the model)
     */
    public record Mover(Participant participant, String from) {
        public Mover {
            Objects.requireNonNull(participant, "participant");
            Objects.requireNonNull(from, "from");
        }
    }

    /** Why a mover could not be placed. */
    public enum DisconnectReason {
        /** The meeting's policy permits no data center of the model. */
        NO_PERMITTED_REGION,
        /** Permitted data centers lack room for this mover. */
        NO_PERMITTED_CAPACITY
    }

    /** What happens to one mover. */
    public sealed interface Move {
        String participantId();

        /** The data center it leaves. */
        String from();

        /**
         * Why it leaves: the reason its data center is not eligible now; empty when the model lost it
         * (or it is eligible after all: the caller moved it for a reason of its own).
         */
        Optional<ExclusionReason> leftBecause();
    }

    /**
     * Placed on another data center.
     *
     * @param usedReservedPlace whether it takes one of the meeting's reserved places there (else one
     *                          place of headroom)
     */
    public record Moved(String participantId, String from, Optional<ExclusionReason> leftBecause, String to,
                        String region, double rttMs, boolean measured, boolean usedReservedPlace) implements Move {
    }

    /** Removed from its data center with nowhere to go. */
    public record Disconnected(String participantId, String from, Optional<ExclusionReason> leftBecause,
                               DisconnectReason reason) implements Move {
    }

    /**
     * The outcome for the meeting.
     *
     * @param moves    one per mover, sorted by participant id
     * @param after    the meeting's aggregates with the moved participants added, its cascade fixed as
     *                 {@code topology} describes it
     * @param topology the meeting after the moves
     */
    public record Outcome(List<Move> moves, MeetingSites after, MeetingTopology topology) {
        public Outcome {
            moves = List.copyOf(moves);
        }

        /** Participants arriving per data center, sorted by id. */
        public Map<String, Integer> arrivals() {
            Map<String, Integer> n = new TreeMap<>();
            for (Move m : moves) {
                if (m instanceof Moved moved) {
                    n.merge(moved.to(), 1, Integer::sum);
                }
            }
            return n;
        }
    }

    /**
     * Whether the participants of a meeting on {@code dataCenter} must leave it now, and why: its
     * region is blocked or not allowed by the meeting's policy ({@code REGION_BLOCKED},
     * {@code REGION_NOT_ALLOWED}), it is DOWN, or the model no longer has it (both {@code DC_DOWN}).
     * Nothing else moves anyone: a DRAINING, full or stale data center takes no new joins but keeps
     * the people on it, and one ACTIVE again takes nobody back.
     */
    public static Optional<ExclusionReason> mustLeave(String dataCenter, RegionPolicy policy, CapacitySnapshot snapshot) {
        int i = snapshot.model().indexOf(dataCenter);
        if (i < 0) {
            return Optional.of(ExclusionReason.DC_DOWN);
        }
        Optional<ExclusionReason> byPolicy = policy.exclusionOf(snapshot.model().dataCenter(i).region());
        if (byPolicy.isPresent()) {
            return byPolicy;
        }
        return snapshot.state(i).status() == DataCenterStatus.DOWN ? Optional.of(ExclusionReason.DC_DOWN)
                : Optional.empty();
    }

    /**
     * @param movers   the participants to re-place (distinct ids), any order
     * @param remaining the meeting's aggregates without the movers: the sites it keeps and its
     *                  reserved places
     * @param policy   the meeting's effective policy now
     * @param snapshot capacity now; the remaining sites must be in its model
     * @param options  {@link RoutingOptions#cascadeMinGainMs()}: what leaving the kept data centers must gain
     * @throws IllegalArgumentException for a participant id given twice
     */
    public Outcome replace(List<Mover> movers, MeetingSites remaining, RegionPolicy policy, CapacitySnapshot snapshot,
                           RoutingOptions options) {
        DataCenterModel model = snapshot.model();
        List<Mover> sorted = new ArrayList<>(movers);
        sorted.sort(Comparator.comparing(m -> m.participant().id()));
        Set<String> leaving = new HashSet<>();
        for (int i = 0; i < sorted.size(); i++) {
            if (i > 0 && sorted.get(i).participant().id().equals(sorted.get(i - 1).participant().id())) {
                throw new IllegalArgumentException("participant " + sorted.get(i).participant().id() + " given twice");
            }
            leaving.add(sorted.get(i).from());
        }
        Map<String, Integer> reserved = remaining.reservedPlaces();
        Eligibility eligibility = Eligibility.of(policy, snapshot, reserved);
        int[] candidates = Arrays.stream(eligibility.eligibleIndices())
                .filter(k -> !leaving.contains(model.dataCenter(k).id())).toArray();
        int[] placedOn = new int[sorted.size()];
        Arrays.fill(placedOn, -1);
        if (candidates.length > 0 && !sorted.isEmpty()) {
            assign(sorted, remaining, eligibility, candidates, options, model, placedOn);
        }
        DisconnectReason refusal = eligibility.anyPermitted() ? DisconnectReason.NO_PERMITTED_CAPACITY
                : DisconnectReason.NO_PERMITTED_REGION;
        List<Move> moves = new ArrayList<>(sorted.size());
        Map<String, Integer> reservedLeft = new HashMap<>(reserved);
        MeetingSites after = remaining;
        for (int i = 0; i < sorted.size(); i++) {
            Mover m = sorted.get(i);
            int old = model.indexOf(m.from());
            Optional<ExclusionReason> why = old < 0 ? Optional.empty() : eligibility.reason(old);
            if (placedOn[i] < 0) {
                moves.add(new Disconnected(m.participant().id(), m.from(), why, refusal));
                continue;
            }
            DataCenter dc = model.dataCenter(placedOn[i]);
            double rtt = access.rttMs(m.participant(), model, placedOn[i]);
            boolean reservedPlace = reservedLeft.getOrDefault(dc.id(), 0) > 0;
            if (reservedPlace) {
                reservedLeft.merge(dc.id(), -1, Integer::sum);
            }
            moves.add(new Moved(m.participant().id(), m.from(), why, dc.id(), dc.region(), rtt,
                    AccessLatency.measured(m.participant(), dc.id()), reservedPlace));
            after = after.withJoin(dc.id(), rtt);
        }
        MeetingSites recomputed = new MeetingSites(after.sites());
        MeetingTopology topology = MeetingTopology.of(recomputed, model);
        MeetingSites fixed = topology.cascade().map(recomputed::withCascade).orElse(recomputed);
        return new Outcome(moves, fixed, topology);
    }

    /** Participants with the same location and measurements cost the same everywhere. */
    private record GroupKey(double latitude, double longitude, Map<String, Double> measured) {
    }

    /** Fills {@code placedOn[i]} with the model index of mover i's new data center, or leaves -1. */
    private void assign(List<Mover> movers, MeetingSites remaining, Eligibility eligibility, int[] candidates,
                        RoutingOptions options, DataCenterModel model, int[] placedOn) {
        double[] offset = offsets(remaining, candidates, options, model);
        Map<GroupKey, Integer> groups = new HashMap<>();
        List<List<Integer>> members = new ArrayList<>();
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < movers.size(); i++) {
            Participant p = movers.get(i).participant();
            GroupKey key = new GroupKey(p.location().latitude(), p.location().longitude(), p.measuredRttMs());
            Integer g = groups.get(key);
            if (g == null) {
                g = members.size();
                groups.put(key, g);
                members.add(new ArrayList<>());
                double[] row = access.rttMs(p, model, candidates);
                double[] withDummy = Arrays.copyOf(row, candidates.length + 1);
                for (int k = 0; k < candidates.length; k++) {
                    withDummy[k] += offset[k];
                }
                rows.add(withDummy);
            }
            members.get(g).add(i);
        }
        int n = movers.size();
        // the last column takes exactly the movers the room cannot, all at one cost (higher than any
        // place, so that the flow starts from the nearest places), so every place of room is used and
        // the rest of the cost is the placed movers'; room is capped at the movers' number (no effect
        // on the optimum, no overflow)
        double disconnect = 1;
        for (double[] row : rows) {
            for (int k = 0; k < candidates.length; k++) {
                disconnect = Math.max(disconnect, row[k] + 1);
            }
        }
        for (double[] row : rows) {
            row[candidates.length] = disconnect;
        }
        int[] capacity = new int[candidates.length + 1];
        long room = 0;
        for (int k = 0; k < candidates.length; k++) {
            capacity[k] = Math.min(n, eligibility.room(candidates[k]));
            room += capacity[k];
        }
        capacity[candidates.length] = (int) Math.max(0, n - room);
        int[] sizes = members.stream().mapToInt(List::size).toArray();
        int[][] counts = assigner.assign(sizes, capacity, rows.toArray(new double[0][]));
        for (int g = 0; g < sizes.length; g++) {
            int next = 0;
            for (int k = 0; k < candidates.length; k++) {
                for (int c = 0; c < counts[g][k]; c++) {
                    placedOn[members.get(g).get(next++)] = candidates[k];
                }
            }
        }
    }

    /**
     * {@code a(k)} for each candidate: the reach of the kept participants from k through the kept
     * cascade, for a data center not used its best attachment to it plus the gain; 0 when nobody
     * stays.
     */
    private static double[] offsets(MeetingSites remaining, int[] candidates, RoutingOptions options,
                                    DataCenterModel model) {
        double[] offset = new double[candidates.length];
        List<MeetingSites.Site> kept = remaining.used();
        if (kept.isEmpty()) {
            return offset;
        }
        MeetingTopology.Sites sites = MeetingTopology.Sites.of(kept, model);
        MeetingTopology.Tree tree = remaining.cascade().map(c -> MeetingTopology.Tree.of(c, sites))
                .orElseGet(() -> MeetingTopology.Tree.best(sites));
        double[] reach = new double[sites.size()];
        int[] position = new int[model.size()];
        Arrays.fill(position, -1);
        for (int a = 0; a < sites.size(); a++) {
            reach[a] = tree.reach(a, sites, -1);
            position[sites.dcs[a]] = a;
        }
        for (int k = 0; k < candidates.length; k++) {
            int a = position[candidates[k]];
            if (a >= 0) {
                offset[k] = reach[a];
                continue;
            }
            double best = Double.POSITIVE_INFINITY;
            for (int t = 0; t < sites.size(); t++) {
                best = Math.min(best, model.linkRttMs(candidates[k], sites.dcs[t]) + reach[t]);
            }
            offset[k] = best + options.cascadeMinGainMs();
        }
        return offset;
    }
}
