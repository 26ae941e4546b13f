package io.meridian.core;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bridge choice's promises over random bridges, policies and data-center states: never a
 * bridge in a forbidden region, an ineligible data center or an unhealthy state; an index in
 * range; the same answer twice; and exactly the bridge a brute-force reading of the rule picks.
 */
class BridgeSelectionPropertiesTest {

    private static final double THRESHOLD = 0.8;
    private static final DataCenterModel MODEL = TestModels.world(100);
    private static final List<String> REGIONS = List.of("EU", "US", "SG", "CN", "HK", "JP", "AU", "IN");

    /** One bridge as Jicofo describes it, with the data center its region maps to. */
    record Bridge(int dc, double stress, boolean operational, boolean shutdown, boolean draining, boolean conference) {
    }

    record Case(List<Bridge> bridges, int participantDc, RegionPolicy policy, CapacitySnapshot snapshot,
                double gainMs) {
        BridgeSelection.Bridges columns() {
            BridgeSelection.Bridges.Builder b = BridgeSelection.Bridges.builder(bridges.size());
            for (Bridge x : bridges) {
                int i = b.add(x.dc, x.stress, x.operational, x.shutdown, x.draining);
                if (x.conference) {
                    b.inConference(i);
                }
            }
            return b.build();
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("participantDc=").append(participantDc).append(" policy=")
                    .append(policy).append(" gain=").append(gainMs);
            for (int i = 0; i < MODEL.size(); i++) {
                sb.append("\n  ").append(MODEL.dataCenter(i).id()).append(' ').append(snapshot.state(i))
                        .append(" headroom=").append(snapshot.headroom(i));
            }
            for (int i = 0; i < bridges.size(); i++) {
                sb.append("\n  [").append(i).append("] ").append(bridges.get(i));
            }
            return sb.toString();
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Bridge> bridge = Combinators.combine(
                Arbitraries.integers().between(-1, MODEL.size() - 1),
                Arbitraries.of(0.0, 0.1, 0.1, 0.3, 0.3, 0.5, 0.79, 0.8, 0.95, 1.4),
                Arbitraries.of(true, true, true, true, true, true, true, false),
                Arbitraries.of(false, false, false, false, false, false, false, true),
                Arbitraries.of(false, false, false, false, false, false, false, true),
                Arbitraries.of(false, false, true)).as(Bridge::new);
        Arbitrary<DataCenterState> state = Combinators.combine(
                Arbitraries.of(DataCenterStatus.ACTIVE, DataCenterStatus.ACTIVE, DataCenterStatus.ACTIVE,
                        DataCenterStatus.ACTIVE, DataCenterStatus.ACTIVE, DataCenterStatus.DRAINING, DataCenterStatus.DOWN),
                Arbitraries.of(0, 0, 0, 50, 100), Arbitraries.of(false, false, false, false, false, true))
                .as((status, load, stale) -> new DataCenterState(status, load, 0, Optional.of(Instant.EPOCH), stale));
        Arbitrary<Set<String>> blocked = Arbitraries.of(REGIONS).set().ofMaxSize(2);
        Arbitrary<Optional<Set<String>>> allowed = Arbitraries.of(REGIONS).set().ofMinSize(2).ofMaxSize(6).optional(0.2);
        return Combinators.combine(bridge.list().ofMinSize(1).ofMaxSize(25),
                        Arbitraries.integers().between(-1, MODEL.size() - 1), blocked, allowed,
                        state.list().ofSize(MODEL.size()), Arbitraries.of(0.0, 10.0, 30.0, 200.0))
                .as((bridges, participant, b, a, states, gain) -> {
                    Map<String, DataCenterState> byId = new HashMap<>();
                    for (int i = 0; i < MODEL.size(); i++) {
                        byId.put(MODEL.dataCenter(i).id(), states.get(i));
                    }
                    RegionPolicy policy = new RegionPolicy(new TreeSet<>(b), a.map(TreeSet::new), List.of("test"));
                    return new Case(bridges, participant, policy, new CapacitySnapshot(MODEL, 1.0, byId), gain);
                });
    }

    private static BridgeSelection selector(Case c) {
        return new BridgeSelection(MODEL, new AccessLatency(LatencyModel.DEFAULT), THRESHOLD, c.gainMs);
    }

    @Property(tries = 1500)
    void shouldNeverChooseAForbiddenIneligibleOrUnhealthyBridge(@ForAll("cases") Case c) {
        BridgeSelection.Outcome outcome = selector(c).select(c.columns(), c.participantDc, c.policy, c.snapshot);
        Statistics.collect(outcome instanceof BridgeSelection.Selected s ? s.reason() : "none");
        if (outcome instanceof BridgeSelection.Selected s) {
            assertThat(s.index()).isBetween(0, c.bridges.size() - 1);
            Bridge chosen = c.bridges.get(s.index());
            assertThat(chosen.operational && !chosen.shutdown && !chosen.draining && chosen.stress < THRESHOLD)
                    .as("healthy and below the threshold").isTrue();
            assertThat(s.dataCenter()).isEqualTo(chosen.dc);
            if (chosen.dc < 0) {
                assertThat(c.policy.blockedRegions()).as("an unmapped bridge only without restriction").isEmpty();
                assertThat(c.policy.allowedRegions()).isEmpty();
            } else {
                assertThat(c.policy.permits(MODEL.dataCenter(chosen.dc).region())).as("permitted region").isTrue();
                assertThat(eligible(c.snapshot, chosen.dc)).as("eligible data center").isTrue();
            }
        }
    }

    @Property(tries = 1500)
    void shouldChooseWhatTheRuleSaysAndOnlyGiveUpWithoutACandidate(@ForAll("cases") Case c) {
        BridgeSelection.Outcome outcome = selector(c).select(c.columns(), c.participantDc, c.policy, c.snapshot);
        Optional<Integer> expected = oracle(c);
        if (expected.isEmpty()) {
            assertThat(outcome).isInstanceOf(BridgeSelection.NoCandidate.class);
            int excluded = ((BridgeSelection.NoCandidate) outcome).excluded().values().stream()
                    .mapToInt(Integer::intValue).sum();
            assertThat(excluded).as("every bridge has a reason").isEqualTo(c.bridges.size());
        } else {
            assertThat(outcome).isInstanceOf(BridgeSelection.Selected.class);
            assertThat(((BridgeSelection.Selected) outcome).index()).isEqualTo(expected.get());
        }
    }

    @Property(tries = 500)
    void shouldAnswerTheSameTwice(@ForAll("cases") Case c) {
        BridgeSelection selection = selector(c);
        assertThat(selection.select(c.columns(), c.participantDc, c.policy, c.snapshot))
                .isEqualTo(selector(c).select(c.columns(), c.participantDc, c.policy, c.snapshot));
    }

    @Property(tries = 500)
    void shouldNeverChooseABlockedRegionWhateverTheStress(@ForAll("cases") Case c) {
        // make every bridge in a permitted region stressed: a blocked one must still not be picked
        List<Bridge> stressed = new ArrayList<>();
        for (Bridge b : c.bridges) {
            boolean permitted = b.dc >= 0 && c.policy.permits(MODEL.dataCenter(b.dc).region());
            stressed.add(permitted ? new Bridge(b.dc, 0.99, b.operational, b.shutdown, b.draining, b.conference) : b);
        }
        Case loaded = new Case(stressed, c.participantDc, c.policy, c.snapshot, c.gainMs);
        BridgeSelection.Outcome outcome = selector(loaded).select(loaded.columns(), c.participantDc, c.policy,
                c.snapshot);
        if (outcome instanceof BridgeSelection.Selected s) {
            assertThat(s.dataCenter()).as("only an unmapped bridge of an unrestricted account remains").isNegative();
        }
    }

    private static boolean eligible(CapacitySnapshot snapshot, int dc) {
        DataCenterState s = snapshot.state(dc);
        return s.status() == DataCenterStatus.ACTIVE && !s.stale() && snapshot.headroom(dc) > 0;
    }

    /** The rule read literally, over lists. */
    private static Optional<Integer> oracle(Case c) {
        boolean unrestricted = c.policy.blockedRegions().isEmpty() && c.policy.allowedRegions().isEmpty();
        List<Integer> mapped = new ArrayList<>();
        List<Integer> unmapped = new ArrayList<>();
        for (int i = 0; i < c.bridges.size(); i++) {
            Bridge b = c.bridges.get(i);
            if (!b.operational || b.shutdown || b.draining || b.stress >= THRESHOLD) {
                continue;
            }
            if (b.dc < 0) {
                if (unrestricted) {
                    unmapped.add(i);
                }
            } else if (c.policy.permits(MODEL.dataCenter(b.dc).region()) && eligible(c.snapshot, b.dc)) {
                mapped.add(i);
            }
        }
        Comparator<Integer> byStress = Comparator.<Integer>comparingDouble(i -> c.bridges.get(i).stress)
                .thenComparing(i -> i);
        if (!mapped.isEmpty()) {
            Map<Integer, Double> d = new HashMap<>();
            for (int i : mapped) {
                int dc = c.bridges.get(i).dc;
                d.put(i, c.participantDc < 0 ? 0.0
                        : new AccessLatency(LatencyModel.DEFAULT).rttMs(new Participant("p",
                        MODEL.dataCenter(c.participantDc).location()), MODEL, dc));
            }
            double best = mapped.stream().mapToDouble(d::get).min().orElseThrow();
            Optional<Integer> reuse = mapped.stream().filter(i -> c.bridges.get(i).conference)
                    .filter(i -> d.get(i) <= best + c.gainMs).min(byStress);
            if (reuse.isPresent()) {
                return reuse;
            }
            return mapped.stream().filter(i -> d.get(i) == best).min(byStress);
        }
        Optional<Integer> conference = unmapped.stream().filter(i -> c.bridges.get(i).conference).min(byStress);
        return conference.isPresent() ? conference : unmapped.stream().min(byStress);
    }
}
