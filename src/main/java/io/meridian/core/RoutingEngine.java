package io.meridian.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The routing core: a pure function from (participants, effective policy, capacity snapshot,
 * options) to a plan or the reason there is none. No I/O, no clock, no framework.
 *
 * <p>Steps:
 * <ol>
 *   <li>Eligibility ({@link Eligibility}): a data center takes part only if its region is permitted
 *       by the policy and it is active, fresh and has headroom ({@link Admission}). Every other data
 *       center is listed in {@code excluded} with the first reason that applies
 *       ({@link ExclusionReason} order). Blocked regions are removed here, before any cost is
 *       computed, so no later step can pick them.</li>
 *   <li>Grouping: participants with the same location and the same measurements are one group, so
 *       the cost of planning grows with distinct locations, not with participants.</li>
 *   <li>Costs: {@code cost(g, k)} is the group's measured RTT to data center k, else the
 *       {@link LatencyModel} estimate ({@link AccessLatency}), priced on demand ({@link SiteCosts}):
 *       SINGLE ranks data centers by the farthest group's distance and prices one figure per data
 *       center; CASCADE starts each group with its nearest few data centers and the optimiser prices
 *       more only where capacity makes a far one worth considering, with a proof that the rest cannot
 *       improve the plan ({@link MinCostFlowAssigner}).</li>
 *   <li>Strategy: SINGLE takes the eligible data center with room for everyone that minimises the
 *       worst participant RTT (ties: mean RTT, then id). CASCADE places groups with the
 *       {@link Assigner} within each data center's headroom and links the data centers used with
 *       the tree that minimises the worst participant-to-participant latency
 *       ({@link CascadeTopology}). AUTO cascades only
 *       when that gains at least {@link RoutingOptions#cascadeMinGainMs()} over SINGLE.</li>
 * </ol>
 */
public final class RoutingEngine {

    private final AccessLatency access;
    private final Assigner assigner;

    public RoutingEngine(LatencyModel latency, Assigner assigner) {
        this.access = new AccessLatency(Objects.requireNonNull(latency, "latency"));
        this.assigner = Objects.requireNonNull(assigner, "assigner");
    }

    public RoutingOutcome plan(List<Participant> participants, RegionPolicy policy, Strategy strategy,
                               RoutingOptions options, CapacitySnapshot snapshot) {
        if (participants.isEmpty()) {
            throw new IllegalArgumentException("a meeting needs at least one participant");
        }
        DataCenterModel model = snapshot.model();
        Eligibility eligibility = Eligibility.of(policy, snapshot);
        List<RoutingPlan.Exclusion> excluded = eligibility.excluded();
        if (!eligibility.anyPermitted()) {
            return new RoutingOutcome.NoPermittedRegion(policy, excluded);
        }

        Problem p = new Problem(participants, model, eligibility);
        int total = participants.size();
        return switch (strategy) {
            case SINGLE -> p.single()
                    .<RoutingOutcome>map(c -> new RoutingOutcome.Routed(p.toPlan(c, policy, excluded)))
                    .orElseGet(() -> new RoutingOutcome.NoPermittedCapacity(policy, total,
                            total - p.largestHeadroom(), Strategy.SINGLE, excluded));
            case CASCADE -> p.cascade()
                    .<RoutingOutcome>map(c -> new RoutingOutcome.Routed(p.toPlan(c, policy, excluded)))
                    .orElseGet(() -> new RoutingOutcome.NoPermittedCapacity(policy, total,
                            total - p.totalHeadroom(), Strategy.CASCADE, excluded));
            case AUTO -> {
                Optional<Candidate> single = p.single();
                Optional<Candidate> cascade = p.cascade();
                Optional<Candidate> chosen;
                if (single.isPresent() && cascade.isPresent()) {
                    double gain = single.get().worstPair - cascade.get().worstPair;
                    chosen = gain >= options.cascadeMinGainMs() ? cascade : single;
                } else {
                    chosen = single.isPresent() ? single : cascade;
                }
                yield chosen
                        .<RoutingOutcome>map(c -> new RoutingOutcome.Routed(p.toPlan(c, policy, excluded)))
                        .orElseGet(() -> new RoutingOutcome.NoPermittedCapacity(policy, total,
                                total - p.totalHeadroom(), Strategy.AUTO, excluded));
            }
        };
    }

    /**
     * How many of its nearest eligible data centers a group has priced before anyone asks for more
     * ({@link SiteCosts}): its nearest, and the bound beyond it. Where every group fits on its nearest
     * site that is all a cascade needs; the optimiser prices more where capacity runs short. A plan
     * then costs two RTT estimates per distinct location, whatever the model's size.
     */
    private static final int NEAREST_SITES_FIRST = 1;

    /** Cascade links in the plan: by {@code from}, then {@code to}. */
    private static final Comparator<RoutingPlan.CascadeLink> LINK_ORDER =
            Comparator.comparing(RoutingPlan.CascadeLink::from).thenComparing(RoutingPlan.CascadeLink::to);

    /**
     * A candidate placement over the eligible data centers.
     *
     * @param placement  participants of each group per eligible data center
     * @param entryCost  the RTT of each entry of the placement, in its order (null: not priced yet)
     * @param hub        eligible index of the primary data center
     * @param links      cascade links as pairs of eligible indices {from, to}
     * @param worstPair  worst participant-to-participant latency through the topology
     */
    private record Candidate(Strategy strategy, Placement placement, double[] entryCost, int hub, List<int[]> links,
                             double worstPair) {
    }

    /** One planning problem: participants grouped, costs priced on demand, shared by the strategies. */
    private final class Problem {
        private final List<Participant> participants;
        private final DataCenterModel model;
        private final int[] eligible;
        private final int[] headroom;
        private final int[] groupOf;
        private final int[] groupSize;
        private final SiteCosts costs;
        private final List<Map<String, Double>> groupMeasured;

        Problem(List<Participant> participants, DataCenterModel model, Eligibility eligibility) {
            this.participants = participants;
            this.model = model;
            this.eligible = eligibility.eligibleIndices();
            this.headroom = new int[eligible.length];
            for (int k = 0; k < eligible.length; k++) {
                headroom[k] = eligibility.room(eligible[k]);
            }
            ParticipantGroups groups = ParticipantGroups.of(participants);
            List<Participant> representatives = groups.representatives;
            this.groupOf = groups.groupOf;
            this.groupSize = groups.sizes;
            int count = representatives.size();
            this.groupMeasured = new ArrayList<>(count);
            double[] xyz = new double[3 * count];
            for (int g = 0; g < count; g++) {
                Participant r = representatives.get(g);
                groupMeasured.add(r.measuredRttMs());
                double[] v = r.location().unitVector();
                xyz[3 * g] = v[0];
                xyz[3 * g + 1] = v[1];
                xyz[3 * g + 2] = v[2];
            }
            this.costs = SiteCosts.estimated(access, model, eligible, xyz, groupMeasured, NEAREST_SITES_FIRST);
        }

        int totalHeadroom() {
            long sum = 0;
            for (int h : headroom) {
                sum += h;
            }
            return (int) Math.min(Integer.MAX_VALUE, sum);
        }

        int largestHeadroom() {
            int max = 0;
            for (int h : headroom) {
                max = Math.max(max, h);
            }
            return max;
        }

        Optional<Candidate> single() {
            int total = participants.size();
            int best = -1;
            double bestWorst = 0;
            double bestSum = Double.NaN; // summed only to break a tie of the worst RTT
            for (int k = 0; k < eligible.length; k++) {
                if (headroom[k] < total) {
                    continue;
                }
                double worst = costs.maxCost(k);
                if (best < 0 || worst < bestWorst) {
                    best = k;
                    bestWorst = worst;
                    bestSum = Double.NaN;
                } else if (worst == bestWorst) {
                    if (Double.isNaN(bestSum)) {
                        bestSum = costs.totalCost(best, groupSize);
                    }
                    double sum = costs.totalCost(k, groupSize);
                    if (sum < bestSum) {
                        best = k;
                        bestSum = sum;
                    }
                }
            }
            if (best < 0) {
                return Optional.empty();
            }
            TopTwo top = new TopTwo();
            costs.farthestTwo(best, groupSize, top::add);
            // the RTTs of every participant are priced only when this candidate becomes the plan
            return Optional.of(new Candidate(Strategy.SINGLE, Placement.single(groupSize, best), null, best, List.of(),
                    Math.max(0, top.pairSum())));
        }

        Optional<Candidate> cascade() {
            if (totalHeadroom() < participants.size()) {
                return Optional.empty();
            }
            Placement placement = assigner.assign(groupSize, headroom, costs);
            double[] entryCost = entryCosts(placement);
            TopTwo[] top = topTwo(placement, entryCost);
            List<Integer> used = new ArrayList<>();
            for (int k = 0; k < eligible.length; k++) {
                if (top[k].count > 0) {
                    used.add(k);
                }
            }
            int sites = used.size();
            double[] top1 = new double[sites];
            double[] pairSum = new double[sites];
            for (int i = 0; i < sites; i++) {
                top1[i] = top[used.get(i)].first;
                pairSum[i] = top[used.get(i)].pairSum();
            }
            CascadeTopology.Tree tree = CascadeTopology.best(sites, top1, pairSum,
                    (a, b) -> model.linkRttMs(eligible[used.get(a)], eligible[used.get(b)]));
            List<int[]> links = new ArrayList<>(tree.links().size());
            for (int[] link : tree.links()) {
                links.add(new int[]{used.get(link[0]), used.get(link[1])});
            }
            return Optional.of(new Candidate(Strategy.CASCADE, placement, entryCost, used.get(tree.primary()), links,
                    tree.worstPair()));
        }

        /** The RTT of every entry of a placement, priced once per (group, data center) used. */
        private double[] entryCosts(Placement placement) {
            double[] out = new double[placement.size()];
            int e = 0;
            for (int g = 0; g < groupSize.length; g++) {
                for (int i = 0; i < placement.entries(g); i++) {
                    out[e++] = costs.cost(g, placement.site(g, i));
                }
            }
            return out;
        }

        /** The two largest participant RTTs on each eligible data center. */
        private TopTwo[] topTwo(Placement placement, double[] entryCost) {
            TopTwo[] top = new TopTwo[eligible.length];
            for (int k = 0; k < eligible.length; k++) {
                top[k] = new TopTwo();
            }
            int e = 0;
            for (int g = 0; g < groupSize.length; g++) {
                for (int i = 0; i < placement.entries(g); i++, e++) {
                    top[placement.site(g, i)].add(entryCost[e], placement.count(g, i));
                }
            }
            return top;
        }

        RoutingPlan toPlan(Candidate candidate, RegionPolicy policy, List<RoutingPlan.Exclusion> excluded) {
            Placement placement = candidate.placement;
            double[] entryCost = candidate.entryCost != null ? candidate.entryCost : entryCosts(placement);
            int[] first = new int[groupSize.length];
            int[] left = new int[placement.size()];
            int e = 0;
            for (int g = 0; g < groupSize.length; g++) {
                first[g] = e;
                for (int i = 0; i < placement.entries(g); i++) {
                    left[e++] = placement.count(g, i);
                }
            }
            int[] cursor = first.clone();
            int[] perDc = new int[eligible.length];
            List<RoutingPlan.Assignment> assignments = new ArrayList<>(participants.size());
            double max = 0;
            double sum = 0;
            for (int i = 0; i < participants.size(); i++) {
                int g = groupOf[i];
                int at = cursor[g];
                while (left[at] == 0) {
                    at++;
                }
                cursor[g] = at;
                left[at]--;
                int k = placement.site(g, at - first[g]);
                perDc[k]++;
                DataCenter dc = model.dataCenter(eligible[k]);
                double rtt = entryCost[at];
                max = Math.max(max, rtt);
                sum += rtt;
                boolean measured = groupMeasured.get(g).containsKey(dc.id());
                assignments.add(new RoutingPlan.Assignment(participants.get(i).id(), dc.id(), dc.region(), rtt,
                        measured));
            }
            List<RoutingPlan.DataCenterUse> uses = new ArrayList<>();
            List<RoutingPlan.CascadeLink> links = new ArrayList<>();
            TreeSet<String> regions = new TreeSet<>();
            for (int k = 0; k < eligible.length; k++) {
                if (perDc[k] == 0) {
                    continue;
                }
                DataCenter dc = model.dataCenter(eligible[k]);
                uses.add(new RoutingPlan.DataCenterUse(dc.id(), dc.region(), perDc[k], k == candidate.hub));
                regions.add(dc.region());
            }
            for (int[] link : candidate.links) {
                links.add(new RoutingPlan.CascadeLink(model.dataCenter(eligible[link[0]]).id(),
                        model.dataCenter(eligible[link[1]]).id(), model.linkRttMs(eligible[link[0]], eligible[link[1]])));
            }
            links.sort(LINK_ORDER);
            RoutingPlan.Summary summary = new RoutingPlan.Summary(max, sum / participants.size(),
                    participants.size() < 2 ? 0 : candidate.worstPair);
            return new RoutingPlan(candidate.strategy, assignments, uses, links, new ArrayList<>(regions), policy,
                    excluded, summary);
        }
    }

    /** Running maximum and runner-up of the RTTs on one data center, with multiplicity. */
    private static final class TopTwo {
        double first = Double.NEGATIVE_INFINITY;
        double second = Double.NEGATIVE_INFINITY;
        int count;

        void add(double value, int times) {
            count += times;
            if (value > first) {
                second = times > 1 ? value : first;
                first = value;
            } else if (value > second) {
                second = value;
            }
            if (times > 1 && value == first) {
                second = value;
            }
        }

        /** Worst latency between two participants on this data center, or -infinity below two. */
        double pairSum() {
            return count >= 2 ? first + second : Double.NEGATIVE_INFINITY;
        }
    }
}
