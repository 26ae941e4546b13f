package io.meridian.core;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The engine's promises over random models, locations, policies and loads: never a blocked or
 * not-allowed region, never over headroom, everyone placed exactly once or a justified refusal,
 * deterministic, and CASCADE placements optimal.
 */
class EnginePropertiesTest {

    private static final List<String> REGIONS = List.of("AA", "BB", "CC", "DD");
    private final RoutingEngine engine = new RoutingEngine(LatencyModel.DEFAULT, new MinCostFlowAssigner());
    /** The same optimiser on the full table: an assigner without a priced-on-demand path of its own. */
    private final RoutingEngine fullTable = new RoutingEngine(LatencyModel.DEFAULT,
            (sizes, capacities, cost) -> new MinCostFlowAssigner().assign(sizes, capacities, cost));

    /** One random routing situation. */
    record Case(DataCenterModel model, CapacitySnapshot snapshot, List<Participant> participants,
                RegionPolicy policy, Strategy strategy) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("policy=").append(policy).append(" strategy=").append(strategy);
            for (int i = 0; i < model.size(); i++) {
                DataCenter dc = model.dataCenter(i);
                sb.append("\n  ").append(dc).append(' ').append(snapshot.state(i)).append(" headroom=")
                        .append(snapshot.headroom(i));
            }
            participants.forEach(p -> sb.append("\n  ").append(p));
            return sb.toString();
        }
    }

    private static Arbitrary<GeoPoint> points() {
        return Combinators.combine(Arbitraries.doubles().between(-60, 70).ofScale(1),
                Arbitraries.doubles().between(-180, 180).ofScale(1)).as(GeoPoint::new);
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<DataCenter> dcTemplate = Combinators.combine(Arbitraries.of(REGIONS), points(),
                Arbitraries.integers().between(4, 60)).as((r, p, c) -> new DataCenter("x", "City", r, p, c));
        Arbitrary<List<DataCenter>> dcs = dcTemplate.list().ofMinSize(1).ofMaxSize(7).map(list -> {
            List<DataCenter> named = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                DataCenter d = list.get(i);
                named.add(new DataCenter("dc-" + i, d.city(), d.region(), d.location(), d.capacity()));
            }
            return named;
        });
        Arbitrary<DataCenterState> state = Combinators.combine(
                Arbitraries.of(DataCenterStatus.class).injectDuplicates(0.6),
                Arbitraries.integers().between(0, 8), Arbitraries.integers().between(0, 5),
                Arbitraries.of(true, false, false, false, false, false)).as((s, load, reserved, stale) ->
                new DataCenterState(s == DataCenterStatus.ACTIVE || Math.floorMod(load, 3) != 0 ? DataCenterStatus.ACTIVE : s,
                        load, reserved, Optional.of(Instant.EPOCH), stale));
        Arbitrary<List<GeoPoint>> places = points().list().ofMinSize(1).ofMaxSize(5);
        Arbitrary<Set<String>> blocked = Arbitraries.of(REGIONS).set().ofMaxSize(2);
        Arbitrary<Optional<Set<String>>> allowed = Arbitraries.of(REGIONS).set().ofMinSize(1).ofMaxSize(4).optional(0.3);
        return Combinators.combine(dcs, places, blocked, allowed, Arbitraries.of(Strategy.class),
                        Arbitraries.integers().between(1, 20), Arbitraries.doubles().between(0.5, 1.0))
                .as((dcList, placeList, b, a, strategy, n, util) -> Tuple.of(dcList, placeList, b, a, strategy, n, util))
                .flatMap(t -> state.list().ofSize(t.get1().size()).flatMap(states ->
                        Arbitraries.integers().between(0, t.get2().size() - 1).list().ofSize(t.get6())
                                .flatMap(where -> Arbitraries.doubles().between(1, 300).ofScale(1).list()
                                        .ofSize(t.get6()).map(measured -> {
                                            DataCenterModel model = new DataCenterModel(
                                                    REGIONS.stream().map(r -> new Region(r, r)).toList(), t.get1(),
                                                    LatencyModel.BACKBONE);
                                            Map<String, DataCenterState> stateById = new HashMap<>();
                                            for (int i = 0; i < t.get1().size(); i++) {
                                                stateById.put(t.get1().get(i).id(), states.get(i));
                                            }
                                            List<Participant> participants = new ArrayList<>();
                                            for (int i = 0; i < where.size(); i++) {
                                                // every fourth participant measured one data center
                                                Map<String, Double> m = i % 4 == 3
                                                        ? Map.of("dc-" + (i % t.get1().size()), measured.get(i))
                                                        : Map.of();
                                                participants.add(new Participant("p" + i, t.get2().get(where.get(i)), m));
                                            }
                                            RegionPolicy policy = RegionPolicy.merge(List.of(new RegionPolicy.Restriction(
                                                    "request", new TreeSet<>(t.get3()), t.get4().map(TreeSet::new))));
                                            return new Case(model, new CapacitySnapshot(model, t.get7(), stateById),
                                                    participants, policy, t.get5());
                                        }))));
    }

    private RoutingOutcome run(Case c) {
        return engine.plan(c.participants(), c.policy(), c.strategy(), RoutingOptions.DEFAULT, c.snapshot());
    }

    private static boolean eligible(Case c, int i) {
        DataCenter dc = c.model().dataCenter(i);
        DataCenterState s = c.snapshot().state(i);
        return c.policy().permits(dc.region()) && s.status() == DataCenterStatus.ACTIVE && !s.stale()
                && c.snapshot().headroom(i) > 0;
    }

    @Property(tries = 1000)
    void plansKeepEveryPromise(@ForAll("cases") Case c) {
        RoutingOutcome outcome = run(c);
        Statistics.label("outcome").collect(outcome.getClass().getSimpleName());
        int n = c.participants().size();
        DataCenterModel model = c.model();
        if (outcome instanceof RoutingOutcome.Routed routed) {
            RoutingPlan plan = routed.plan();
            assertThat(plan.strategy()).isNotEqualTo(Strategy.AUTO);
            assertThat(plan.assignments()).extracting(RoutingPlan.Assignment::participantId)
                    .containsExactlyElementsOf(c.participants().stream().map(Participant::id).toList());
            Map<String, Integer> perDc = new HashMap<>();
            for (RoutingPlan.Assignment a : plan.assignments()) {
                int i = model.indexOf(a.dataCenter());
                assertThat(eligible(c, i)).as("%s eligible", a.dataCenter()).isTrue();
                assertThat(c.policy().permits(a.region())).isTrue();
                perDc.merge(a.dataCenter(), 1, Integer::sum);
            }
            perDc.forEach((dc, count) -> assertThat(count).as("%s within headroom", dc)
                    .isLessThanOrEqualTo(c.snapshot().headroom(model.indexOf(dc))));
            for (RoutingPlan.CascadeLink link : plan.cascadeLinks()) {
                assertThat(perDc).containsKeys(link.from(), link.to());
            }
            assertThat(plan.cascadeLinks()).hasSize(Math.max(0, perDc.size() - 1));
            assertThat(plan.dataCenters()).extracting(RoutingPlan.DataCenterUse::id)
                    .containsExactlyInAnyOrderElementsOf(perDc.keySet());
            assertThat(new TreeSet<>(plan.regionsUsed())).isEqualTo(new TreeSet<>(
                    plan.dataCenters().stream().map(RoutingPlan.DataCenterUse::region).toList()));
            if (plan.strategy() == Strategy.SINGLE) {
                assertThat(perDc).hasSize(1);
            }
            Set<String> excluded = new HashSet<>();
            plan.excluded().forEach(e -> excluded.add(e.dataCenter()));
            for (int i = 0; i < model.size(); i++) {
                assertThat(excluded.contains(model.dataCenter(i).id())).isEqualTo(!eligible(c, i));
            }
        } else if (outcome instanceof RoutingOutcome.NoPermittedRegion) {
            for (DataCenter dc : model.dataCenters()) {
                assertThat(c.policy().permits(dc.region())).isFalse();
            }
        } else {
            RoutingOutcome.NoPermittedCapacity full = (RoutingOutcome.NoPermittedCapacity) outcome;
            int total = 0;
            int largest = 0;
            for (int i = 0; i < model.size(); i++) {
                if (eligible(c, i)) {
                    total += c.snapshot().headroom(i);
                    largest = Math.max(largest, c.snapshot().headroom(i));
                }
            }
            int available = c.strategy() == Strategy.SINGLE ? largest : total;
            assertThat(available).as("refused only when headroom is really short").isLessThan(n);
            assertThat(full.unroutableParticipants()).isEqualTo(n - available);
        }
    }

    @Property(tries = 300)
    void samePlanForTheSameRequest(@ForAll("cases") Case c) {
        assertThat(run(c)).isEqualTo(run(c));
    }

    @Property(tries = 500)
    void cascadePlacementsAreOptimal(@ForAll("cases") Case c) {
        if (c.participants().size() > 8) {
            return;
        }
        RoutingOutcome outcome = engine.plan(c.participants(), c.policy(), Strategy.CASCADE, RoutingOptions.DEFAULT,
                c.snapshot());
        if (!(outcome instanceof RoutingOutcome.Routed routed)) {
            return;
        }
        List<Integer> eligible = new ArrayList<>();
        for (int i = 0; i < c.model().size(); i++) {
            if (eligible(c, i)) {
                eligible.add(i);
            }
        }
        int[] sizes = new int[c.participants().size()];
        double[][] cost = new double[sizes.length][eligible.size()];
        for (int p = 0; p < sizes.length; p++) {
            sizes[p] = 1;
            Participant participant = c.participants().get(p);
            for (int k = 0; k < eligible.size(); k++) {
                DataCenter dc = c.model().dataCenter(eligible.get(k));
                Double measured = participant.measuredRttMs().get(dc.id());
                cost[p][k] = measured != null ? measured : LatencyModel.DEFAULT.rttMs(participant.location(), dc.location());
            }
        }
        int[] caps = eligible.stream().mapToInt(i -> c.snapshot().headroom(i)).toArray();
        double oracle = BruteForce.minTotalCost(sizes, caps, cost);
        double planned = routed.plan().assignments().stream().mapToDouble(RoutingPlan.Assignment::rttMs).sum();
        assertThat(planned).isCloseTo(oracle, within(1e-6));
    }

    @Property(tries = 500)
    void pricingOnlyTheNearestSitesPlansAsWellAsTheFullTable(@ForAll("cases") Case c) {
        for (Strategy strategy : new Strategy[]{Strategy.SINGLE, Strategy.CASCADE}) {
            RoutingOutcome pruned = engine.plan(c.participants(), c.policy(), strategy, RoutingOptions.DEFAULT,
                    c.snapshot());
            RoutingOutcome full = fullTable.plan(c.participants(), c.policy(), strategy, RoutingOptions.DEFAULT,
                    c.snapshot());
            assertThat(pruned.getClass()).isEqualTo(full.getClass());
            if (!(pruned instanceof RoutingOutcome.Routed p) || !(full instanceof RoutingOutcome.Routed f)) {
                assertThat(pruned).isEqualTo(full);
                continue;
            }
            if (strategy == Strategy.SINGLE) {
                // one figure per data center, from the farthest group's key: the very same plan
                assertThat(p.plan()).isEqualTo(f.plan());
            } else {
                double prunedTotal = p.plan().assignments().stream().mapToDouble(RoutingPlan.Assignment::rttMs).sum();
                double fullTotal = f.plan().assignments().stream().mapToDouble(RoutingPlan.Assignment::rttMs).sum();
                assertThat(prunedTotal).isCloseTo(fullTotal, within(1e-6 * Math.max(1, fullTotal)));
            }
        }
    }
}
