package io.meridian.core;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The optimiser against the brute-force oracle and the greedy baseline. */
class AssignerPropertiesTest {

    private final Assigner optimal = new MinCostFlowAssigner();
    private final Assigner greedy = new GreedyBaselineAssigner();

    /** A transportation instance: group sizes, capacities (enough in total) and costs. */
    record Instance(int[] sizes, int[] capacities, double[][] cost) {
        @Override
        public String toString() {
            return "sizes=" + Arrays.toString(sizes) + " capacities=" + Arrays.toString(capacities)
                    + " cost=" + Arrays.deepToString(cost);
        }
    }

    @Provide
    Arbitrary<Instance> tinyInstances() {
        Arbitrary<int[]> sizes = Arbitraries.integers().between(1, 4).array(int[].class).ofMinSize(1).ofMaxSize(4)
                .filter(a -> Arrays.stream(a).sum() <= 8);
        return sizes.flatMap(s -> Arbitraries.integers().between(1, 5).flatMap(k -> {
            int total = Arrays.stream(s).sum();
            // random capacities, topped up on one data center when they fall short of the demand
            Arbitrary<int[]> caps = Arbitraries.integers().between(0, 6).array(int[].class).ofSize(k)
                    .flatMap(c -> Arbitraries.integers().between(0, k - 1).map(pick -> {
                        int[] topped = c.clone();
                        topped[pick] += Math.max(0, total - Arrays.stream(c).sum());
                        return topped;
                    }));
            // costs on a coarse grid so that ties happen often
            Arbitrary<double[][]> costs = Arbitraries.integers().between(1, 40).map(i -> i * 2.5)
                    .array(double[].class).ofSize(k).array(double[][].class).ofSize(s.length);
            return Combinators.combine(caps, costs).as((c, cost) -> new Instance(s, c, cost));
        }));
    }

    @Property(tries = 400)
    void shouldMatchTheBruteForceOptimumExactly(@ForAll("tinyInstances") Instance in) {
        int[][] counts = optimal.assign(in.sizes(), in.capacities(), in.cost());
        assertFeasible(in, counts);
        double oracle = BruteForce.minTotalCost(in.sizes(), in.capacities(), in.cost());
        assertThat(BruteForce.totalCost(counts, in.cost())).isCloseTo(oracle, within(1e-9));
    }

    @Property(tries = 200)
    void shouldNeverBeWorseThanTheGreedyBaseline(@ForAll("tinyInstances") Instance in) {
        double best = BruteForce.totalCost(optimal.assign(in.sizes(), in.capacities(), in.cost()), in.cost());
        double baseline = BruteForce.totalCost(greedy.assign(in.sizes(), in.capacities(), in.cost()), in.cost());
        assertThat(best).isLessThanOrEqualTo(baseline + 1e-9);
    }

    @Property(tries = 200)
    void shouldBeDeterministic(@ForAll("tinyInstances") Instance in) {
        int[][] first = optimal.assign(in.sizes(), in.capacities(), in.cost());
        int[][] again = optimal.assign(in.sizes(), in.capacities(), in.cost());
        assertThat(again).isDeepEqualTo(first);
    }

    @Example
    void shouldBeatGreedyWhenAnEarlyGroupTakesTheRoomALaterOneNeeds() {
        // Group 0 sits between A and B (10 vs 12 ms); group 1 is near A only (10 vs 90 ms).
        // Greedy serves group 0 first and fills A; group 1 then has to go far.
        int[] sizes = {2, 2};
        int[] capacities = {2, 2};
        double[][] cost = {{10, 12}, {10, 90}};
        double greedyTotal = BruteForce.totalCost(greedy.assign(sizes, capacities, cost), cost);
        double optimalTotal = BruteForce.totalCost(optimal.assign(sizes, capacities, cost), cost);
        assertThat(greedyTotal).isEqualTo(2 * 10 + 2 * 90);
        assertThat(optimalTotal).isEqualTo(2 * 12 + 2 * 10);
    }

    @Example
    void shouldBeatGreedyThroughAChainOfMoves() {
        // Making room for group 2 on C needs group 1 to move from C to B, which needs group 0 to
        // move from B to A: a path of length three in the residual graph.
        int[] sizes = {3, 3, 3};
        int[] capacities = {3, 3, 3};
        double[][] cost = {{11, 10, 50}, {60, 11, 10}, {99, 99, 10}};
        int[][] counts = optimal.assign(sizes, capacities, cost);
        assertThat(counts).isDeepEqualTo(new int[][]{{3, 0, 0}, {0, 3, 0}, {0, 0, 3}});
        double greedyTotal = BruteForce.totalCost(greedy.assign(sizes, capacities, cost), cost);
        assertThat(BruteForce.totalCost(counts, cost)).isLessThan(greedyTotal);
    }

    private static void assertFeasible(Instance in, int[][] counts) {
        assertFeasible(in.sizes(), in.capacities(), counts);
    }

    /** Every group placed exactly once, no count negative, every data center within its capacity. */
    static void assertFeasible(int[] sizes, int[] capacities, int[][] counts) {
        int[] used = new int[capacities.length];
        for (int g = 0; g < counts.length; g++) {
            assertThat(Arrays.stream(counts[g]).sum()).as("group %d placed once", g).isEqualTo(sizes[g]);
            for (int k = 0; k < counts[g].length; k++) {
                assertThat(counts[g][k]).isNotNegative();
                used[k] += counts[g][k];
            }
        }
        for (int k = 0; k < used.length; k++) {
            assertThat(used[k]).as("data center %d within capacity", k).isLessThanOrEqualTo(capacities[k]);
        }
    }

    @Example
    void shouldPlaceTheBenchmarkWebinarWithLessTotalRttThanGreedy() {
        DataCenterModel model = io.meridian.bench.EngineBenchmark.generated(200, 42);
        CapacitySnapshot snapshot = CapacitySnapshot.idle(model, 0.85);
        java.util.List<Participant> webinar = io.meridian.bench.EngineBenchmark.meeting(50_000, 2_000, 7);
        double optimalTotal = total(new RoutingEngine(LatencyModel.DEFAULT, optimal), webinar, snapshot);
        double greedyTotal = total(new RoutingEngine(LatencyModel.DEFAULT, greedy), webinar, snapshot);
        System.out.printf("50,000 participants, 2,000 places, 200 sites: mean RTT optimal %.2f ms, greedy %.2f ms%n",
                optimalTotal / webinar.size(), greedyTotal / webinar.size());
        assertThat(optimalTotal).isLessThan(greedyTotal);
    }

    private static double total(RoutingEngine engine, java.util.List<Participant> participants, CapacitySnapshot snapshot) {
        RoutingOutcome outcome = engine.plan(participants, RegionPolicy.UNRESTRICTED, Strategy.CASCADE,
                RoutingOptions.DEFAULT, snapshot);
        return ((RoutingOutcome.Routed) outcome).plan().assignments().stream()
                .mapToDouble(RoutingPlan.Assignment::rttMs).sum();
    }
}
