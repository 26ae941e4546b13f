package io.meridian.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.meridian.core.TestModels.FRANKFURT;
import static io.meridian.core.TestModels.MUMBAI;
import static io.meridian.core.TestModels.NEW_YORK;
import static io.meridian.core.TestModels.SAN_JOSE;
import static io.meridian.core.TestModels.SHANGHAI;
import static io.meridian.core.TestModels.SINGAPORE;
import static io.meridian.core.TestModels.SYDNEY;
import static io.meridian.core.TestModels.TOKYO;
import static org.assertj.core.api.Assertions.assertThat;

class RoutingEngineTest {

    private final RoutingEngine engine = new RoutingEngine(LatencyModel.DEFAULT, new MinCostFlowAssigner());

    private static RegionPolicy blocking(String... regions) {
        return RegionPolicy.merge(List.of(new RegionPolicy.Restriction("request", new TreeSet<>(List.of(regions)),
                Optional.empty())));
    }

    private static RegionPolicy allowing(String... regions) {
        return RegionPolicy.merge(List.of(new RegionPolicy.Restriction("request", new TreeSet<>(),
                Optional.of(new TreeSet<>(List.of(regions))))));
    }

    private static List<Participant> at(GeoPoint where, int count, String prefix) {
        List<Participant> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(new Participant(prefix + i, where));
        }
        return list;
    }

    private RoutingPlan routed(RoutingOutcome outcome) {
        assertThat(outcome).isInstanceOf(RoutingOutcome.Routed.class);
        return ((RoutingOutcome.Routed) outcome).plan();
    }

    private RoutingOutcome plan(List<Participant> participants, RegionPolicy policy, Strategy strategy,
                                DataCenterModel model) {
        return engine.plan(participants, policy, strategy, RoutingOptions.DEFAULT, CapacitySnapshot.idle(model, 1.0));
    }

    @Test
    void shouldNeverAssignParticipantsInsideABlockedRegionToIt() {
        DataCenterModel model = TestModels.world(1000);
        for (Strategy strategy : Strategy.values()) {
            RoutingPlan plan = routed(plan(at(SHANGHAI, 5, "p"), blocking("CN"), strategy, model));
            assertThat(plan.assignments()).allSatisfy(a -> assertThat(a.region()).isNotEqualTo("CN"));
            assertThat(plan.regionsUsed()).doesNotContain("CN");
            assertThat(plan.assignments().get(0).dataCenter()).isEqualTo("hk-hkg");
        }
    }

    @Test
    void shouldRouteFarAwayWhenTheBlocklistRemovesEveryNearbyRegion() {
        DataCenterModel model = TestModels.world(1000);
        List<Participant> participants = new ArrayList<>(at(SINGAPORE, 3, "sg"));
        participants.addAll(at(SHANGHAI, 3, "cn"));
        RegionPolicy policy = blocking("SG", "CN", "HK", "JP", "AU", "IN");
        for (Strategy strategy : Strategy.values()) {
            RoutingPlan plan = routed(plan(participants, policy, strategy, model));
            assertThat(plan.regionsUsed()).isSubsetOf("EU", "US");
            assertThat(plan.cascadeLinks()).allSatisfy(l -> {
                assertThat(l.from()).matches("(eu|us)-.*");
                assertThat(l.to()).matches("(eu|us)-.*");
            });
        }
    }

    @Test
    void shouldListEveryIneligibleDataCenterWithItsReason() {
        DataCenterModel model = TestModels.world(1000);
        Map<String, DataCenterState> states = Map.of(
                "us-nyc", new DataCenterState(DataCenterStatus.DOWN, 0, 0, Optional.empty(), false),
                "jp-tyo", new DataCenterState(DataCenterStatus.DRAINING, 0, 0, Optional.empty(), false),
                "au-syd", new DataCenterState(DataCenterStatus.ACTIVE, 10, 0, Optional.empty(), true),
                "in-bom", new DataCenterState(DataCenterStatus.ACTIVE, 600, 400, Optional.empty(), false),
                "cn-sha", new DataCenterState(DataCenterStatus.DOWN, 0, 0, Optional.empty(), false));
        RegionPolicy policy = RegionPolicy.merge(List.of(new RegionPolicy.Restriction("request",
                new TreeSet<>(List.of("CN")), Optional.of(new TreeSet<>(List.of("EU", "US", "JP", "AU", "IN", "CN"))))));
        RoutingPlan plan = routed(engine.plan(at(FRANKFURT, 2, "p"), policy, Strategy.AUTO, RoutingOptions.DEFAULT,
                new CapacitySnapshot(model, 1.0, states)));
        Map<String, ExclusionReason> reasons = plan.excluded().stream()
                .collect(Collectors.toMap(RoutingPlan.Exclusion::dataCenter, RoutingPlan.Exclusion::reason));
        assertThat(reasons).containsExactlyInAnyOrderEntriesOf(Map.of(
                "cn-sha", ExclusionReason.REGION_BLOCKED,
                "sg-sin", ExclusionReason.REGION_NOT_ALLOWED,
                "hk-hkg", ExclusionReason.REGION_NOT_ALLOWED,
                "us-nyc", ExclusionReason.DC_DOWN,
                "jp-tyo", ExclusionReason.DC_DRAINING,
                "au-syd", ExclusionReason.STALE_LOAD_REPORT,
                "in-bom", ExclusionReason.NO_HEADROOM));
        assertThat(plan.excluded()).extracting(RoutingPlan.Exclusion::dataCenter).isSorted();
    }

    @Test
    void shouldPickTheSingleDataCenterWithTheSmallestWorstRtt() {
        DataCenterModel model = TestModels.world(1000);
        List<Participant> participants = new ArrayList<>(at(FRANKFURT, 2, "eu"));
        participants.addAll(at(NEW_YORK, 1, "us"));
        RoutingPlan plan = routed(plan(participants, RegionPolicy.UNRESTRICTED, Strategy.SINGLE, model));
        assertThat(plan.strategy()).isEqualTo(Strategy.SINGLE);
        assertThat(plan.dataCenters()).hasSize(1);
        assertThat(plan.cascadeLinks()).isEmpty();
        // Frankfurt and New York: of all single sites, the worst RTT is smallest on one of the two ends
        String chosen = plan.dataCenters().get(0).id();
        double worst = plan.summary().maxRttMs();
        for (DataCenter dc : model.dataCenters()) {
            double candidateWorst = participants.stream()
                    .mapToDouble(p -> LatencyModel.DEFAULT.rttMs(p.location(), dc.location())).max().orElseThrow();
            assertThat(candidateWorst).as(dc.id()).isGreaterThanOrEqualTo(worst);
        }
        assertThat(plan.dataCenters().get(0).primary()).isTrue();
        assertThat(chosen).isIn("eu-fra", "us-nyc");
    }

    @Test
    void shouldCascadeParticipantsToTheirNearestDataCentersAndLinkThem() {
        DataCenterModel model = TestModels.world(1000);
        List<Participant> participants = new ArrayList<>(at(FRANKFURT, 2, "eu"));
        participants.addAll(at(SAN_JOSE, 2, "us"));
        participants.addAll(at(SINGAPORE, 2, "sg"));
        RoutingPlan plan = routed(plan(participants, RegionPolicy.UNRESTRICTED, Strategy.CASCADE, model));
        assertThat(plan.strategy()).isEqualTo(Strategy.CASCADE);
        assertThat(plan.dataCenters()).extracting(RoutingPlan.DataCenterUse::id)
                .containsExactly("eu-fra", "sg-sin", "us-sjc");
        assertThat(plan.cascadeLinks()).hasSize(2);
        String hub = plan.primary().orElseThrow().id();
        assertThat(plan.cascadeLinks()).allSatisfy(l -> assertThat(l.from()).isEqualTo(hub));
        // worst pair goes through the star: each end's RTT plus the link path between their sites
        double expectedWorst = 0;
        for (RoutingPlan.Assignment a : plan.assignments()) {
            for (RoutingPlan.Assignment b : plan.assignments()) {
                if (a == b) {
                    continue;
                }
                double path = pathRtt(model, plan, a.dataCenter(), b.dataCenter());
                expectedWorst = Math.max(expectedWorst, a.rttMs() + path + b.rttMs());
            }
        }
        assertThat(plan.summary().worstPairLatencyMs()).isCloseTo(expectedWorst, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(plan.regionsUsed()).containsExactly("EU", "SG", "US");
    }

    private static double pathRtt(DataCenterModel model, RoutingPlan plan, String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        String hub = plan.primary().orElseThrow().id();
        double viaHub = 0;
        for (String end : List.of(a, b)) {
            if (!end.equals(hub)) {
                viaHub += model.linkRttMs(model.indexOf(end), model.indexOf(hub));
            }
        }
        return viaHub;
    }

    @Test
    void autoShouldCascadeOnlyWhenTheGainReachesTheThreshold() {
        DataCenterModel model = TestModels.world(1000);
        List<Participant> participants = new ArrayList<>(at(FRANKFURT, 2, "eu"));
        participants.addAll(at(SYDNEY, 2, "au"));
        CapacitySnapshot snapshot = CapacitySnapshot.idle(model, 1.0);
        RoutingPlan single = routed(engine.plan(participants, RegionPolicy.UNRESTRICTED, Strategy.SINGLE,
                RoutingOptions.DEFAULT, snapshot));
        RoutingPlan cascade = routed(engine.plan(participants, RegionPolicy.UNRESTRICTED, Strategy.CASCADE,
                RoutingOptions.DEFAULT, snapshot));
        double gain = single.summary().worstPairLatencyMs() - cascade.summary().worstPairLatencyMs();
        assertThat(gain).isPositive();

        RoutingPlan low = routed(engine.plan(participants, RegionPolicy.UNRESTRICTED, Strategy.AUTO,
                new RoutingOptions(gain), snapshot));
        assertThat(low.strategy()).isEqualTo(Strategy.CASCADE);
        RoutingPlan high = routed(engine.plan(participants, RegionPolicy.UNRESTRICTED, Strategy.AUTO,
                new RoutingOptions(gain + 0.001), snapshot));
        assertThat(high.strategy()).isEqualTo(Strategy.SINGLE);
    }

    @Test
    void shouldAnswerNoPermittedRegionWhenThePolicyLeavesNoDataCenter() {
        DataCenterModel model = TestModels.world(1000);
        RoutingOutcome outcome = plan(at(FRANKFURT, 1, "p"), allowing("EMPTY"), Strategy.AUTO, model);
        assertThat(outcome).isInstanceOf(RoutingOutcome.NoPermittedRegion.class);
        assertThat(((RoutingOutcome.NoPermittedRegion) outcome).excluded()).hasSize(model.size())
                .allSatisfy(e -> assertThat(e.reason()).isEqualTo(ExclusionReason.REGION_NOT_ALLOWED));
        RoutingOutcome nothingAllowed = plan(at(FRANKFURT, 1, "p"), allowing(), Strategy.AUTO, model);
        assertThat(nothingAllowed).isInstanceOf(RoutingOutcome.NoPermittedRegion.class);
    }

    @Test
    void shouldRefuseRatherThanSpillWhenPermittedCapacityRunsOut() {
        DataCenterModel model = TestModels.world(10);
        // EU only, one site of 10: 11 participants cannot be placed, whatever is free elsewhere
        for (Strategy strategy : Strategy.values()) {
            RoutingOutcome outcome = plan(at(FRANKFURT, 11, "p"), allowing("EU"), strategy, model);
            assertThat(outcome).isInstanceOf(RoutingOutcome.NoPermittedCapacity.class);
            RoutingOutcome.NoPermittedCapacity full = (RoutingOutcome.NoPermittedCapacity) outcome;
            assertThat(full.unroutableParticipants()).isEqualTo(1);
            assertThat(full.participants()).isEqualTo(11);
        }
    }

    @Test
    void shouldSplitAGroupWhenItsNearestDataCenterFillsUp() {
        DataCenterModel model = TestModels.world(10);
        RoutingPlan plan = routed(plan(at(NEW_YORK, 15, "p"), allowing("US"), Strategy.CASCADE, model));
        Map<String, Integer> perDc = plan.dataCenters().stream()
                .collect(Collectors.toMap(RoutingPlan.DataCenterUse::id, RoutingPlan.DataCenterUse::participants));
        assertThat(perDc).containsExactlyInAnyOrderEntriesOf(Map.of("us-nyc", 10, "us-sjc", 5));
        assertThat(plan.assignments()).hasSize(15);
    }

    @Test
    void singleShouldRefuseWhenNoOneDataCenterHoldsTheMeeting() {
        DataCenterModel model = TestModels.world(10);
        RoutingOutcome outcome = plan(at(NEW_YORK, 15, "p"), allowing("US"), Strategy.SINGLE, model);
        assertThat(outcome).isInstanceOf(RoutingOutcome.NoPermittedCapacity.class);
        assertThat(((RoutingOutcome.NoPermittedCapacity) outcome).unroutableParticipants()).isEqualTo(5);
        // AUTO falls back to a cascade inside the permitted region
        RoutingPlan auto = routed(plan(at(NEW_YORK, 15, "p"), allowing("US"), Strategy.AUTO, model));
        assertThat(auto.strategy()).isEqualTo(Strategy.CASCADE);
        assertThat(auto.regionsUsed()).containsExactly("US");
    }

    @Test
    void shouldRespectHeadroomFromLoadAndReservations() {
        DataCenterModel model = TestModels.world(100);
        CapacitySnapshot snapshot = new CapacitySnapshot(model, 0.85, Map.of(
                "eu-fra", new DataCenterState(DataCenterStatus.ACTIVE, 50, 30, Optional.empty(), false)));
        assertThat(snapshot.headroom(model.indexOf("eu-fra"))).isEqualTo(5);
        RoutingPlan plan = routed(engine.plan(at(FRANKFURT, 8, "p"), allowing("EU", "US"), Strategy.CASCADE,
                RoutingOptions.DEFAULT, snapshot));
        assertThat(plan.dataCenters()).filteredOn(d -> d.id().equals("eu-fra"))
                .extracting(RoutingPlan.DataCenterUse::participants).containsExactly(5);
    }

    @Test
    void measuredRttShouldReplaceTheEstimate() {
        DataCenterModel model = TestModels.world(1000);
        Participant p = new Participant("m", FRANKFURT, Map.of("us-nyc", 1.0));
        RoutingPlan plan = routed(plan(List.of(p), RegionPolicy.UNRESTRICTED, Strategy.CASCADE, model));
        RoutingPlan.Assignment a = plan.assignments().get(0);
        assertThat(a.dataCenter()).isEqualTo("us-nyc");
        assertThat(a.rttMs()).isEqualTo(1.0);
        assertThat(a.measured()).isTrue();
        assertThat(plan.summary().worstPairLatencyMs()).isZero();
    }

    @Test
    void shouldGiveTheSamePlanForTheSameRequest() {
        DataCenterModel model = TestModels.world(7);
        List<Participant> participants = new ArrayList<>();
        GeoPoint[] places = {FRANKFURT, SAN_JOSE, SINGAPORE, TOKYO, SYDNEY, MUMBAI, NEW_YORK};
        for (int i = 0; i < 40; i++) {
            participants.add(new Participant("p" + i, places[(i * 5) % places.length]));
        }
        for (Strategy strategy : Strategy.values()) {
            RoutingOutcome first = plan(participants, blocking("CN"), strategy, model);
            for (int i = 0; i < 5; i++) {
                assertThat(plan(participants, blocking("CN"), strategy, model)).isEqualTo(first);
            }
        }
    }

    @Test
    void mergeShouldOnlyNarrow() {
        SortedSet<String> none = new TreeSet<>();
        RegionPolicy merged = RegionPolicy.merge(List.of(
                new RegionPolicy.Restriction("request", new TreeSet<>(Set.of("CN")), Optional.of(new TreeSet<>(Set.of("EU", "US", "SG")))),
                new RegionPolicy.Restriction("account:acme", new TreeSet<>(Set.of("SG")), Optional.of(new TreeSet<>(Set.of("EU", "SG", "JP")))),
                new RegionPolicy.Restriction("nobody", none, Optional.empty())));
        assertThat(merged.blockedRegions()).containsExactly("CN", "SG");
        assertThat(merged.allowedRegions()).contains(new TreeSet<>(Set.of("EU", "SG")));
        assertThat(merged.sources()).containsExactly("request", "account:acme");
        assertThat(merged.permits("EU")).isTrue();
        assertThat(merged.permits("SG")).isFalse();
        assertThat(merged.permits("US")).isFalse();
    }
}
