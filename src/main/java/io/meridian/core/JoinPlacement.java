package io.meridian.core;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Placement of one participant joining a live meeting: a pure, deterministic function of the
 * joiner, the meeting's aggregates ({@link MeetingSites}), the effective policy, a capacity snapshot
 * and the options. It answers only the joiner's data center: nobody already in the meeting moves.
 *
 * <h2>Terms</h2>
 * <ul>
 *   <li>{@code r(k)}: the joiner's access RTT to data center k ({@link AccessLatency}: measured, else
 *       estimated).</li>
 *   <li>Candidates: the data centers {@link Eligibility eligible} for this meeting: region permitted,
 *       ACTIVE, load report fresh, and room {@code > 0}, where room is {@link Admission#room} plus
 *       the places the meeting holds there through its reservation. A used data center that became
 *       ineligible (blocked by a new policy, DOWN, DRAINING, stale, full) takes no new joins; it
 *       stays in the cascade for the people on it.</li>
 *   <li>Used: the data centers with participants of the meeting; {@code T} their cascade tree (the
 *       meeting's fixed cascade, else the minimum-worst-pair tree of its aggregates).</li>
 *   <li>{@code path_T(a, b)}: the sum of backbone link RTTs ({@link DataCenterModel#linkRttMs}) along
 *       the tree from a to b (0 when a = b); {@code top1(s)}: the worst access RTT on site s.</li>
 *   <li>Worst pair latency of the joiner at k, the largest latency between it and any other
 *       participant q: {@code W(k) = max over q of r(k) + path(k, dc(q)) + r(q)}. The largest r(q)
 *       on each site dominates the others there, so
 *       {@code W(k) = r(k) + max over used sites s of (path(k, s) + top1(s))}, computed from the
 *       aggregates. For a used k the path runs through T. For an unused k the path runs through
 *       {@code T_k}, the tree that opening k gives: the minimum-worst-pair tree
 *       ({@link CascadeTopology}) over the used sites plus k holding the joiner alone.</li>
 * </ul>
 *
 * <h2>Rule</h2>
 * <ol>
 *   <li>Nobody eligible: {@link JoinOutcome.NoPermittedRegion} when the policy permits no data center
 *       of the model at all, else {@link JoinOutcome.NoPermittedCapacity}.</li>
 *   <li>First participant (nobody in the meeting): the candidate with the lowest {@code r}, ties by
 *       id.</li>
 *   <li>Otherwise let {@code b} be the used candidate with the lowest {@code (W, r, id)}. Opening an
 *       unused candidate {@code o} pays when {@code W(b) - W(o) >= cascadeMinGainMs}; when no used
 *       data center is a candidate, every unused candidate may be opened. If some may be opened, the
 *       joiner goes to the one with the lowest {@code (r, W, id)}, which opens it; else to
 *       {@code b}.</li>
 * </ol>
 * Latencies are compared to within 1e-9 ms, so sums of the same terms in another order tie.
 *
 * <p>Why the nearest of the openings that pay, and not the one with the lowest W: a data center
 * between the meeting's sites can give the joiner a lower worst pair through a long access leg (a
 * participant in Sydney placed in Tokyo, 122 ms away, with a data center next door), and the tree
 * that opening it gives may link the existing sites through it. The public-internet access leg is
 * the part of the path the service cannot make better; the backbone between data centers is what
 * cascading is for, as in a plan, where each participant is on its nearest data center with room.
 *
 * <h2>Worked example</h2>
 * (The figures are checked by {@code JoinPlacementTest#workedExample}: the default access model,
 * 5 ms for a participant in a data center's city, and the test world of one data center per city;
 * gain 30 ms.) Two participants in Frankfurt are on eu-fra, one in New York on us-nyc, 5.0 ms each;
 * the cascade is the link eu-fra–us-nyc, 78.5 ms.
 * <ul>
 *   <li>A participant in San Jose joins: r(us-nyc) = 66.5, r(eu-fra) = 142.3, so
 *       W(us-nyc) = 66.5 + 78.5 + 5.0 = 150.1 and W(eu-fra) = 142.3 + 78.5 + 5.0 = 225.8: b = us-nyc.
 *       Opening us-sjc (r = 5.0) gives the star on us-nyc (link us-sjc–us-nyc 52.3) and
 *       W(us-sjc) = 5.0 + 52.3 + 78.5 + 5.0 = 140.8: a gain of 9.3 ms, short of 30. Every other
 *       unused data center is more than 120.1 ms from San Jose, so none can reach
 *       W &le; 150.1 - 30. The participant joins us-nyc; nobody else moves.</li>
 *   <li>A participant in Sydney joins instead: b = us-nyc with W = 244.8 + 78.5 + 5.0 = 328.4.
 *       Opening au-syd (r = 5.0) gives the star on us-nyc (link 200.9) and
 *       W(au-syd) = 5.0 + 200.9 + 78.5 + 5.0 = 289.4, a gain of 39.0 ms: au-syd is opened. (Opening
 *       jp-tyo would give W = 122.4 + 136.6 + 5.0 = 264.0, lower, but with a 122 ms access leg and
 *       Frankfurt and New York linked through Tokyo: not the rule's choice.)</li>
 *   <li>A participant in Singapore joins eu-fra (W = 158.9 + 78.5 + 5.0 = 242.4): opening sg-sin
 *       would give 5.0 + 129.2 + 78.5 + 5.0 = 217.8, a gain of 24.6 ms only.</li>
 * </ul>
 *
 * <h2>Cost</h2>
 * O(U²) to evaluate the used candidates (U data centers used), and for each unused candidate
 * evaluated one tree search over U + 1 sites ({@link CascadeTopology}: O(U²), O(U³ log U) for
 * double stars up to 48 sites). Unused candidates are tried by ascending r, and the search stops at
 * the first that pays; a candidate is skipped without a tree when the lower bound
 * {@code r(k) + min over used s of link(k, s) + max top1} already misses {@code W(b) - gain}.
 * Nothing depends on the number of participants.
 */
public final class JoinPlacement {

    /** Latencies within this many ms of each other compare equal. */
    static final double EPS = 1e-9;

    private final AccessLatency access;

    /** @param access the access-latency model used where a participant measured nothing */
    public JoinPlacement(LatencyModel access) {
        this(new AccessLatency(access));
    }

    public JoinPlacement(AccessLatency access) {
        this.access = Objects.requireNonNull(access, "access");
    }

    /**
     * @param joining  the joining participant (not yet in the meeting)
     * @param meeting  the meeting's aggregates before the join
     * @param policy   the meeting's effective policy now
     * @param snapshot capacity now; the data centers of the meeting must be in its model
     * @param options  {@link RoutingOptions#cascadeMinGainMs()} decides when opening a data center pays
     */
    public JoinOutcome place(Participant joining, MeetingSites meeting, RegionPolicy policy, CapacitySnapshot snapshot,
                             RoutingOptions options) {
        DataCenterModel model = snapshot.model();
        Map<String, Integer> reserved = meeting.reservedPlaces();
        Eligibility eligibility = Eligibility.of(policy, snapshot, reserved);
        if (!eligibility.anyPermitted()) {
            return new JoinOutcome.NoPermittedRegion(eligibility.excluded());
        }
        int[] candidates = eligibility.eligibleIndices();
        if (candidates.length == 0) {
            return new JoinOutcome.NoPermittedCapacity(eligibility.excluded());
        }
        double[] r = access.rttMs(joining, model, candidates);
        List<MeetingSites.Site> used = meeting.used();
        if (used.isEmpty()) {
            int best = 0;
            for (int j = 1; j < candidates.length; j++) {
                if (r[j] < r[best] - EPS) {
                    best = j;
                }
            }
            return placed(joining, model, candidates[best], r[best], true, reserved, 0);
        }
        MeetingTopology.Sites sites = MeetingTopology.Sites.of(used, model);
        MeetingTopology.Tree tree = meeting.cascade().map(c -> MeetingTopology.Tree.of(c, sites))
                .orElseGet(() -> MeetingTopology.Tree.best(sites));
        int[] position = new int[model.size()];
        Arrays.fill(position, -1);
        for (int a = 0; a < sites.size(); a++) {
            position[sites.dcs[a]] = a;
        }
        double[] w = new double[candidates.length];
        Arrays.fill(w, Double.NaN);
        int b = -1;
        for (int j = 0; j < candidates.length; j++) {
            int a = position[candidates[j]];
            if (a >= 0) {
                w[j] = r[j] + tree.reach(a, sites, -1);
                if (b < 0 || before(w[j], r[j], w[b], r[b])) {
                    b = j;
                }
            }
        }
        double threshold = b < 0 ? Double.POSITIVE_INFINITY : w[b] - options.cascadeMinGainMs();
        int o = opening(candidates, r, position, sites, w, threshold);
        if (o >= 0) {
            return placed(joining, model, candidates[o], r[o], true, reserved, w[o]);
        }
        return placed(joining, model, candidates[b], r[b], false, reserved, w[b]);
    }

    /**
     * The unused candidate to open: of those whose W is at most {@code threshold} (all of them when
     * it is infinite), the one with the lowest (r, W, id); -1 when there is none. Fills {@code w}
     * for the candidates it evaluates.
     *
     * <p>Candidates are tried by ascending r, so the search stops at the first one that qualifies
     * (after the others tied with it on r). A candidate is skipped without building its tree when a
     * lower bound on its W exceeds the threshold: the joiner's first link out of k is at least the
     * shortest link from k to a used site, and the worst participant is at least {@code max top1}
     * away beyond it.
     */
    private static int opening(int[] candidates, double[] r, int[] position, MeetingTopology.Sites sites,
                               double[] w, double threshold) {
        double maxTop1 = Double.NEGATIVE_INFINITY;
        for (double t : sites.top1) {
            maxTop1 = Math.max(maxTop1, t);
        }
        int open = 0;
        Integer[] order = new Integer[candidates.length];
        for (int j = 0; j < candidates.length; j++) {
            if (position[candidates[j]] < 0) {
                order[open++] = j;
            }
        }
        Arrays.sort(order, 0, open, (x, y) -> {
            int c = Double.compare(r[x], r[y]);
            return c != 0 ? c : Integer.compare(x, y);
        });
        int chosen = -1;
        double tie = Double.POSITIVE_INFINITY;
        int[] at = new int[1];
        for (int i = 0; i < open; i++) {
            int j = order[i];
            if (r[j] > tie) {
                break;
            }
            double nearest = Double.POSITIVE_INFINITY;
            for (int a = 0; a < sites.size(); a++) {
                nearest = Math.min(nearest, sites.model.linkRttMs(candidates[j], sites.dcs[a]));
            }
            if (r[j] + nearest + maxTop1 > threshold + EPS) {
                continue;
            }
            MeetingTopology.Sites opened = sites.with(candidates[j], r[j], at);
            // the joiner is alone on k: its pairs are with the other sites only
            w[j] = r[j] + MeetingTopology.Tree.best(opened).reach(at[0], opened, at[0]);
            if (w[j] > threshold + EPS) {
                continue;
            }
            // within the r tie: the lower W, then the lower id
            if (chosen < 0) {
                chosen = j;
                tie = r[j] + EPS;
            } else if (w[j] < w[chosen] - EPS || (w[j] <= w[chosen] + EPS && j < chosen)) {
                chosen = j;
            }
        }
        return chosen;
    }

    /** Whether (w, r) comes strictly before (bestW, bestR); a tie keeps the earlier (lower id). */
    private static boolean before(double w, double r, double bestW, double bestR) {
        if (w < bestW - EPS) {
            return true;
        }
        return w <= bestW + EPS && r < bestR - EPS;
    }

    private static JoinOutcome.Placed placed(Participant joining, DataCenterModel model, int dc, double rtt,
                                             boolean opened, Map<String, Integer> reserved, double worst) {
        DataCenter site = model.dataCenter(dc);
        return new JoinOutcome.Placed(site.id(), site.region(), rtt, AccessLatency.measured(joining, site.id()),
                opened, reserved.getOrDefault(site.id(), 0) > 0, Math.max(0, worst));
    }
}
