package io.meridian.core;

import java.util.ArrayList;
import java.util.HashMap;
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
 *   <li>Costs: {@code cost[g][k]} is the group's measured RTT to data center k, else the
 *       {@link LatencyModel} estimate ({@link AccessLatency}).</li>
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

    /** Participants that share a location and measurements are interchangeable. */
    private record GroupKey(double latitude, double longitude, Map<String, Double> measured) {
    }

    /**
     * A candidate placement over the eligible data centers.
     *
     * @param counts     participants of group g on eligible data center k
     * @param hub        eligible index of the primary data center
     * @param links      cascade links as pairs of eligible indices {from, to}
     * @param worstPair  worst participant-to-participant latency through the topology
     */
    private record Candidate(Strategy strategy, int[][] counts, int hub, List<int[]> links, double worstPair) {
    }

    /** One planning problem: participants grouped, costs computed once, shared by the strategies. */
    private final class Problem {
        private final List<Participant> participants;
        private final DataCenterModel model;
        private final int[] eligible;
        private final int[] headroom;
        private final int[] groupOf;
        private final int[] groupSize;
        private final double[][] cost;
        private final List<Map<String, Double>> groupMeasured;

        Problem(List<Participant> participants, DataCenterModel model, Eligibility eligibility) {
            this.participants = participants;
            this.model = model;
            this.eligible = eligibility.eligibleIndices();
            this.headroom = new int[eligible.length];
            for (int k = 0; k < eligible.length; k++) {
                headroom[k] = eligibility.room(eligible[k]);
            }
            Map<GroupKey, Integer> groups = new HashMap<>();
            List<Participant> representatives = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            this.groupOf = new int[participants.size()];
            for (int i = 0; i < participants.size(); i++) {
                Participant participant = participants.get(i);
                GroupKey key = new GroupKey(participant.location().latitude(), participant.location().longitude(),
                        participant.measuredRttMs());
                Integer g = groups.get(key);
                if (g == null) {
                    g = representatives.size();
                    groups.put(key, g);
                    representatives.add(participant);
                    sizes.add(0);
                }
                sizes.set(g, sizes.get(g) + 1);
                groupOf[i] = g;
            }
            this.groupSize = sizes.stream().mapToInt(Integer::intValue).toArray();
            this.cost = new double[representatives.size()][];
            this.groupMeasured = new ArrayList<>(representatives.size());
            for (int g = 0; g < representatives.size(); g++) {
                Participant r = representatives.get(g);
                groupMeasured.add(r.measuredRttMs());
                cost[g] = access.rttMs(r, model, eligible);
            }
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
            double bestSum = 0;
            for (int k = 0; k < eligible.length; k++) {
                if (headroom[k] < total) {
                    continue;
                }
                double worst = 0;
                double sum = 0;
                for (int g = 0; g < groupSize.length; g++) {
                    worst = Math.max(worst, cost[g][k]);
                    sum += cost[g][k] * groupSize[g];
                }
                if (best < 0 || worst < bestWorst || (worst == bestWorst && sum < bestSum)) {
                    best = k;
                    bestWorst = worst;
                    bestSum = sum;
                }
            }
            if (best < 0) {
                return Optional.empty();
            }
            int[][] counts = new int[groupSize.length][eligible.length];
            for (int g = 0; g < groupSize.length; g++) {
                counts[g][best] = groupSize[g];
            }
            TopTwo top = topTwo(counts)[best];
            return Optional.of(new Candidate(Strategy.SINGLE, counts, best, List.of(), Math.max(0, top.pairSum())));
        }

        Optional<Candidate> cascade() {
            if (totalHeadroom() < participants.size()) {
                return Optional.empty();
            }
            int[][] counts = assigner.assign(groupSize, headroom, cost);
            TopTwo[] top = topTwo(counts);
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
            return Optional.of(new Candidate(Strategy.CASCADE, counts, used.get(tree.primary()), links,
                    tree.worstPair()));
        }

        /** The two largest participant RTTs on each eligible data center. */
        private TopTwo[] topTwo(int[][] counts) {
            TopTwo[] top = new TopTwo[eligible.length];
            for (int k = 0; k < eligible.length; k++) {
                top[k] = new TopTwo();
            }
            for (int g = 0; g < groupSize.length; g++) {
                for (int k = 0; k < eligible.length; k++) {
                    int c = counts[g][k];
                    if (c > 0) {
                        top[k].add(cost[g][k], c);
                    }
                }
            }
            return top;
        }

        RoutingPlan toPlan(Candidate candidate, RegionPolicy policy, List<RoutingPlan.Exclusion> excluded) {
            int[][] left = new int[groupSize.length][];
            for (int g = 0; g < groupSize.length; g++) {
                left[g] = candidate.counts[g].clone();
            }
            int[] cursor = new int[groupSize.length];
            int[] perDc = new int[eligible.length];
            List<RoutingPlan.Assignment> assignments = new ArrayList<>(participants.size());
            double max = 0;
            double sum = 0;
            for (int i = 0; i < participants.size(); i++) {
                int g = groupOf[i];
                int k = cursor[g];
                while (left[g][k] == 0) {
                    k++;
                }
                cursor[g] = k;
                left[g][k]--;
                perDc[k]++;
                DataCenter dc = model.dataCenter(eligible[k]);
                double rtt = cost[g][k];
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
            links.sort(java.util.Comparator.comparing(RoutingPlan.CascadeLink::from)
                    .thenComparing(RoutingPlan.CascadeLink::to));
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
