package io.meridian.core;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The admission rule: all-or-nothing, in order, never over room; and the room of one data center. */
class AdmissionPropertiesTest {

    private static final List<String> DCS = List.of("a", "b", "c", "d");

    /** Requests for places on a few data centers, and the room each data center has. */
    record Batch(List<Map<String, Integer>> demands, Map<String, Integer> room) {
    }

    @Provide
    Arbitrary<Batch> batches() {
        Arbitrary<Map<String, Integer>> demand = Arbitraries.maps(Arbitraries.of(DCS), Arbitraries.integers().between(0, 4))
                .ofMinSize(0).ofMaxSize(3);
        // room for some data centers only: a data center missing from the map has none
        Arbitrary<Map<String, Integer>> room = Arbitraries.maps(Arbitraries.of(DCS), Arbitraries.integers().between(0, 8))
                .ofMaxSize(4);
        return Combinators.combine(demand.list().ofMaxSize(8), room).as(Batch::new);
    }

    @Property(tries = 1000)
    void shouldAdmitAllOrNothingInOrderAndNeverOverRoom(@ForAll("batches") Batch b) {
        Admission.Admitted result = Admission.admit(b.demands(), b.room());
        assertThat(result.verdicts()).hasSize(b.demands().size());
        // the sequential model: each request against what the admitted ones before it left
        Map<String, Integer> left = new HashMap<>(b.room());
        Map<String, Integer> taken = new TreeMap<>();
        for (int i = 0; i < b.demands().size(); i++) {
            Map<String, Integer> d = b.demands().get(i);
            int shortfall = 0;
            for (Map.Entry<String, Integer> e : d.entrySet()) {
                shortfall += Math.max(0, e.getValue() - left.getOrDefault(e.getKey(), 0));
            }
            assertThat(result.verdicts().get(i).shortfall()).as("request %d", i).isEqualTo(shortfall);
            assertThat(result.admitted(i)).isEqualTo(shortfall == 0);
            if (shortfall == 0) {
                d.forEach((dc, n) -> {
                    left.merge(dc, -n, Integer::sum);
                    if (n > 0) {
                        taken.merge(dc, n, Integer::sum);
                    }
                });
            }
        }
        assertThat(result.taken()).isEqualTo(taken);
        // never over room, and room left is exactly what was not taken
        result.taken().forEach((dc, n) -> assertThat(n).as(dc).isLessThanOrEqualTo(b.room().getOrDefault(dc, 0)));
        b.room().forEach((dc, n) -> assertThat(result.roomLeft().get(dc)).isEqualTo(n - taken.getOrDefault(dc, 0)));
        assertThat(result.roomLeft().values()).allSatisfy(n -> assertThat(n).isNotNegative());
    }

    /** A decision never depends on the requests after it. */
    @Property(tries = 500)
    void shouldDecideEachRequestOnlyOnThoseBeforeIt(@ForAll("batches") Batch b) {
        Admission.Admitted all = Admission.admit(b.demands(), b.room());
        for (int n = 0; n <= b.demands().size(); n++) {
            Admission.Admitted prefix = Admission.admit(b.demands().subList(0, n), b.room());
            assertThat(prefix.verdicts()).isEqualTo(all.verdicts().subList(0, n));
        }
    }

    /** All-or-nothing: an admitted request got everything it asked for, a refused one nothing. */
    @Property(tries = 500)
    void shouldTakeExactlyTheAdmittedRequests(@ForAll("batches") Batch b) {
        Admission.Admitted result = Admission.admit(b.demands(), b.room());
        Map<String, Integer> sum = new TreeMap<>();
        for (int i = 0; i < b.demands().size(); i++) {
            if (result.admitted(i)) {
                b.demands().get(i).forEach((dc, n) -> {
                    if (n > 0) {
                        sum.merge(dc, n, Integer::sum);
                    }
                });
            }
        }
        assertThat(result.taken()).isEqualTo(sum);
        assertThat(result.admittedCount()).isEqualTo((int) result.verdicts().stream()
                .filter(Admission.Verdict::admitted).count());
        // a refused request really did not fit: adding it to what the others took overruns some room
        for (int i = 0; i < b.demands().size(); i++) {
            if (!result.admitted(i)) {
                Map<String, Integer> more = new TreeMap<>(sum);
                b.demands().get(i).forEach((dc, n) -> more.merge(dc, n, Integer::sum));
                assertThat(more.entrySet()).anySatisfy(e ->
                        assertThat(e.getValue()).isGreaterThan(b.room().getOrDefault(e.getKey(), 0)));
            }
        }
    }

    @Example
    void shouldLetASmallerRequestThroughAfterARefusedOne() {
        Admission.Admitted result = Admission.admit(List.of(Map.of("a", 2), Map.of("a", 2, "b", 1), Map.of("b", 1)),
                Map.of("a", 3, "b", 1));
        assertThat(result.verdicts()).containsExactly(Admission.Verdict.ADMITTED, Admission.Verdict.refused(1),
                Admission.Verdict.ADMITTED);
        assertThat(result.taken()).isEqualTo(Map.of("a", 2, "b", 1));
        assertThat(result.roomLeft()).isEqualTo(Map.of("a", 1, "b", 0));
    }

    @Example
    void shouldRefuseADataCenterItWasNotGivenRoomFor() {
        Admission.Admitted result = Admission.admit(List.of(Map.of("zz", 1)), Map.of("a", 5));
        assertThat(result.verdicts()).containsExactly(Admission.Verdict.refused(1));
        assertThat(result.taken()).isEmpty();
    }

    @Example
    void shouldRejectNegativeNumbers() {
        assertThatThrownBy(() -> Admission.admit(List.of(Map.of("a", -1)), Map.of("a", 5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Admission.admit(List.of(), Map.of("a", -1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Example
    void roomShouldBeTheHeadroomOfAnActiveFreshDataCenterOnly() {
        DataCenterModel model = TestModels.world(10);
        Map<String, DataCenterState> states = Map.of(
                "eu-fra", new DataCenterState(DataCenterStatus.ACTIVE, 3, 2, Optional.of(Instant.EPOCH), false),
                "us-nyc", new DataCenterState(DataCenterStatus.DOWN, 0, 0, Optional.empty(), false),
                "us-sjc", new DataCenterState(DataCenterStatus.DRAINING, 0, 0, Optional.empty(), false),
                "sg-sin", new DataCenterState(DataCenterStatus.ACTIVE, 0, 0, Optional.of(Instant.EPOCH), true),
                "jp-tyo", new DataCenterState(DataCenterStatus.ACTIVE, 8, 2, Optional.of(Instant.EPOCH), false));
        CapacitySnapshot s = new CapacitySnapshot(model, 1.0, states);
        assertThat(Admission.room(s, model.indexOf("eu-fra"))).isEqualTo(5);
        assertThat(Admission.room(s, model.indexOf("eu-fra"), 2)).isEqualTo(7);
        for (String id : List.of("us-nyc", "us-sjc", "sg-sin")) {
            assertThat(Admission.room(s, model.indexOf(id), 4)).as(id).isZero();
        }
        assertThat(Admission.room(s, model.indexOf("jp-tyo"))).isZero();
        assertThat(Admission.room(s, model.indexOf("jp-tyo"), 2)).isEqualTo(2);
        assertThat(Admission.capacityExclusion(s, model.indexOf("us-nyc"))).contains(ExclusionReason.DC_DOWN);
        assertThat(Admission.capacityExclusion(s, model.indexOf("us-sjc"))).contains(ExclusionReason.DC_DRAINING);
        assertThat(Admission.capacityExclusion(s, model.indexOf("sg-sin"))).contains(ExclusionReason.STALE_LOAD_REPORT);
        assertThat(Admission.capacityExclusion(s, model.indexOf("jp-tyo"))).contains(ExclusionReason.NO_HEADROOM);
        assertThat(Admission.capacityExclusion(s, model.indexOf("jp-tyo"), 1)).isEmpty();
        assertThat(Admission.capacityExclusion(s, model.indexOf("eu-fra"))).isEmpty();
        assertThat(Admission.room(s, List.of("eu-fra", "us-nyc", "nowhere")))
                .isEqualTo(Map.of("eu-fra", 5, "us-nyc", 0, "nowhere", 0));
    }

    @Example
    void eligibilityShouldListTheFirstReasonAndCountHeldPlaces() {
        DataCenterModel model = TestModels.world(10);
        Map<String, DataCenterState> states = Map.of(
                "cn-sha", new DataCenterState(DataCenterStatus.DOWN, 0, 0, Optional.empty(), false),
                "jp-tyo", new DataCenterState(DataCenterStatus.ACTIVE, 8, 2, Optional.of(Instant.EPOCH), false),
                "us-sjc", new DataCenterState(DataCenterStatus.DRAINING, 0, 0, Optional.empty(), false));
        CapacitySnapshot s = new CapacitySnapshot(model, 1.0, states);
        RegionPolicy policy = RegionPolicy.merge(List.of(new RegionPolicy.Restriction("request",
                new java.util.TreeSet<>(List.of("CN")), Optional.empty())));
        Eligibility plain = Eligibility.of(policy, s);
        assertThat(plain.anyPermitted()).isTrue();
        assertThat(plain.excluded()).containsExactly(
                new RoutingPlan.Exclusion("cn-sha", "CN", ExclusionReason.REGION_BLOCKED),
                new RoutingPlan.Exclusion("jp-tyo", "JP", ExclusionReason.NO_HEADROOM),
                new RoutingPlan.Exclusion("us-sjc", "US", ExclusionReason.DC_DRAINING));
        Eligibility holding = Eligibility.of(policy, s, Map.of("jp-tyo", 2, "us-sjc", 3, "cn-sha", 1));
        assertThat(holding.isEligible(model.indexOf("jp-tyo"))).isTrue();
        assertThat(holding.room(model.indexOf("jp-tyo"))).isEqualTo(2);
        assertThat(holding.reason(model.indexOf("us-sjc"))).contains(ExclusionReason.DC_DRAINING);
        assertThat(holding.reason(model.indexOf("cn-sha"))).contains(ExclusionReason.REGION_BLOCKED);
        assertThat(holding.eligibleCount()).isEqualTo(model.size() - 2);
        RegionPolicy nowhere = RegionPolicy.merge(List.of(new RegionPolicy.Restriction("request",
                new java.util.TreeSet<>(), Optional.of(new java.util.TreeSet<>(List.of("EMPTY"))))));
        Eligibility none = Eligibility.of(nowhere, s);
        assertThat(none.anyPermitted()).isFalse();
        assertThat(none.eligibleCount()).isZero();
        assertThat(none.excluded()).hasSize(model.size());
    }

    @Example
    void accessLatencyShouldPreferTheMeasurementAndOtherwiseEstimate() {
        DataCenterModel model = TestModels.world(10);
        AccessLatency access = new AccessLatency(LatencyModel.DEFAULT);
        Participant p = new Participant("p", TestModels.SINGAPORE, Map.of("eu-fra", 42.0));
        int fra = model.indexOf("eu-fra");
        int sin = model.indexOf("sg-sin");
        assertThat(access.rttMs(p, model, fra)).isEqualTo(42.0);
        assertThat(access.rttMs(p, model, sin)).isEqualTo(LatencyModel.DEFAULT.rttMs(TestModels.SINGAPORE,
                model.dataCenter(sin).location()));
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < model.size(); i++) {
            all.add(i);
        }
        double[] row = access.rttMs(p, model, all.stream().mapToInt(Integer::intValue).toArray());
        for (int i = 0; i < model.size(); i++) {
            assertThat(row[i]).isEqualTo(access.rttMs(p, model, i));
        }
        assertThat(AccessLatency.measured(p, "eu-fra")).isTrue();
        assertThat(AccessLatency.measured(p, "sg-sin")).isFalse();
    }
}
