package io.meridian.simulation;

import io.meridian.catalog.CountryDirectory;
import io.meridian.catalog.ModelLoader;
import io.meridian.core.CapacitySnapshot;
import io.meridian.core.DataCenter;
import io.meridian.core.DataCenterModel;
import io.meridian.core.DataCenterState;
import io.meridian.core.DataCenterStatus;
import io.meridian.core.GeoPoint;
import io.meridian.core.LatencyModel;
import io.meridian.core.MinCostFlowAssigner;
import io.meridian.core.Region;
import io.meridian.core.RoutingEngine;
import io.meridian.core.RoutingOptions;
import io.meridian.core.Strategy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The simulator alone (no Quarkus): scenarios on the bundled model, load on tiny hand-made models. */
class SimulationRunTest {

    private static DataCenterModel model;
    private static Map<String, GeoPoint> centroids;
    private static final RoutingEngine ENGINE = new RoutingEngine(LatencyModel.DEFAULT, new MinCostFlowAssigner());
    private static final Simulator SIMULATOR = new Simulator(ENGINE, RoutingOptions.DEFAULT);

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = SimulationRunTest.class.getClassLoader().getResourceAsStream(ModelLoader.BUNDLED)) {
            model = ModelLoader.load("bundled", in, LatencyModel.BACKBONE);
        }
        centroids = new HashMap<>();
        CountryDirectory.bundled().all().forEach((code, country) -> centroids.put(code, country.centroid()));
    }

    private static CapacitySnapshot idle() {
        return CapacitySnapshot.idle(model, 0.85);
    }

    private static SortedMap<String, Double> weights(Object... codeAndWeight) {
        SortedMap<String, Double> weights = new TreeMap<>();
        for (int i = 0; i < codeAndWeight.length; i += 2) {
            weights.put((String) codeAndWeight[i], ((Number) codeAndWeight[i + 1]).doubleValue());
        }
        return weights;
    }

    private static Workload workload(int meetings, int min, int max, long seed, Object... codeAndWeight) {
        return Workload.generate(new WorkloadSpec(meetings, min, max, weights(codeAndWeight), seed), centroids);
    }

    private static Workload contractWorkload(long seed) {
        return workload(2000, 2, 40, seed, "US", 0.4, "DE", 0.2, "IN", 0.2, "BR", 0.1, "JP", 0.1);
    }

    private static SortedSet<String> set(String... values) {
        return new TreeSet<>(List.of(values));
    }

    private static Scenario down(String... ids) {
        return new Scenario(set(ids), set(), new TreeMap<>());
    }

    private static Scenario blocked(String... regions) {
        return new Scenario(set(), set(regions), new TreeMap<>());
    }

    private static Scenario factor(String id, double factor) {
        return new Scenario(set(), set(), new TreeMap<>(Map.of(id, factor)));
    }

    @Test
    void sameSeedShouldDrawTheSameWorkloadAndGiveTheSameResult() {
        Workload first = contractWorkload(42);
        Workload second = contractWorkload(42);
        assertThat(first).isEqualTo(second);
        Scenario scenario = new Scenario(set("eu-fra"), set("CN"), new TreeMap<>(Map.of("us-sjc", 0.5)));
        assertThat(SIMULATOR.run(idle(), scenario, first, Strategy.AUTO))
                .isEqualTo(SIMULATOR.run(idle(), scenario, second, Strategy.AUTO));
    }

    @Test
    void anEmptyScenarioShouldEqualTheBaseline() {
        SimulationResult result = SIMULATOR.run(idle(), Scenario.NONE, contractWorkload(5), Strategy.AUTO);
        assertThat(result.scenario()).isEqualTo(result.baseline());
        assertThat(result.baseline().routableMeetings()).isEqualTo(2000);
        assertThat(result.baseline().routedParticipants()).isEqualTo(result.baseline().participants());
    }

    @Test
    void aDownDataCenterShouldCarryNothingAndItsTrafficMoveWithinTheRegion() {
        Workload germans = workload(300, 2, 30, 11, "DE", 1);
        SimulationResult result = SIMULATOR.run(idle(), down("eu-fra"), germans, Strategy.AUTO);
        assertThat(result.baseline().dataCenter("eu-fra").participants()).isEqualTo(germans.participants());
        SimulationResult.DataCenterLoad fra = result.scenario().dataCenter("eu-fra");
        assertThat(fra.status()).isEqualTo(DataCenterStatus.DOWN);
        assertThat(fra.participants()).isZero();
        assertThat(fra.share()).isZero();
        // the EU share stays: Amsterdam (and, once it is full, Dublin) takes Frankfurt's meetings
        assertThat(result.scenario().region("EU").share()).isEqualTo(1.0);
        assertThat(result.scenario().dataCenter("eu-ams").participants()
                + result.scenario().dataCenter("eu-dub").participants()).isEqualTo(germans.participants());
        assertThat(result.scenario().meanRttMs().getAsDouble()).isGreaterThan(result.baseline().meanRttMs().getAsDouble());
        assertThat(result.scenario().routableMeetings()).isEqualTo(300);
    }

    @Test
    void aBlockedRegionShouldGetNoShareInTheScenarioOnly() {
        Workload chinese = workload(200, 2, 20, 5, "CN", 0.8, "HK", 0.2);
        SimulationResult result = SIMULATOR.run(idle(), blocked("CN"), chinese, Strategy.AUTO);
        assertThat(result.baseline().region("CN").share()).isGreaterThan(0.5);
        assertThat(result.scenario().region("CN").share()).isZero();
        assertThat(result.scenario().region("CN").participants()).isZero();
        assertThat(result.scenario().dataCenter("cn-pek").participants()).isZero();
        assertThat(result.scenario().dataCenter("cn-sha").participants()).isZero();
        assertThat(result.scenario().routableMeetings()).isEqualTo(200);
        assertThat(result.scenario().region("HK").participants()).isGreaterThan(result.baseline().region("HK").participants());
        double shares = result.scenario().byRegion().stream().mapToDouble(SimulationResult.RegionLoad::share).sum();
        assertThat(shares).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void blockingEveryRegionShouldLeaveEveryMeetingUnroutable() {
        SortedSet<String> all = new TreeSet<>();
        model.regions().forEach(r -> all.add(r.code()));
        Workload w = workload(20, 1, 5, 2, "US", 1);
        SimulationResult result = SIMULATOR.run(idle(), new Scenario(set(), all, new TreeMap<>()), w, Strategy.AUTO);
        assertThat(result.scenario().unroutableMeetings()).isEqualTo(20);
        assertThat(result.scenario().unroutableParticipants()).isEqualTo(w.participants());
        assertThat(result.scenario().routedParticipants()).isZero();
        assertThat(result.scenario().meanRttMs()).isEmpty();
        assertThat(result.scenario().p95RttMs()).isEmpty();
        assertThat(result.scenario().byRegion()).allSatisfy(r -> assertThat(r.share()).isZero());
    }

    @Test
    void aSmallCapacityFactorShouldMoveTrafficAndFlagTheDataCenter() {
        Workload japanese = workload(100, 5, 15, 9, "JP", 1);
        SimulationResult result = SIMULATOR.run(idle(), factor("jp-tyo", 0.001), japanese, Strategy.AUTO);
        // 25000 * 0.001 = 25 places, 21 usable at 0.85
        SimulationResult.DataCenterLoad tyo = result.scenario().dataCenter("jp-tyo");
        assertThat(tyo.capacity()).isEqualTo(25);
        assertThat(tyo.usableCapacity()).isEqualTo(21);
        assertThat(tyo.participants()).isLessThanOrEqualTo(21);
        assertThat(result.baseline().dataCenter("jp-tyo").participants()).isEqualTo(japanese.participants());
        assertThat(result.scenario().dataCenter("jp-osa").participants()).isPositive();
        assertThat(result.scenario().meanRttMs().getAsDouble()).isGreaterThan(result.baseline().meanRttMs().getAsDouble());
        assertThat(result.baseline().dataCentersOverLimit()).isEmpty();
    }

    @Test
    void scenariosShouldRefuseFactorsOutsideTheRange() {
        assertThatThrownBy(() -> factor("us-sjc", 10.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> factor("us-sjc", 0.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> factor("us-sjc", Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThat(factor("us-sjc", 10).capacityFactors()).containsEntry("us-sjc", 10.0);
    }

    @Test
    void capacityScalingShouldRoundAndStayPositive() {
        assertThat(Scenario.scaledCapacity(40000, 0.5)).isEqualTo(20000);
        assertThat(Scenario.scaledCapacity(10, 0.01)).isEqualTo(1);
        assertThat(Scenario.scaledCapacity(3, 0.5)).isEqualTo(2);
        assertThat(Scenario.scaledCapacity(Integer.MAX_VALUE, 10)).isEqualTo(Integer.MAX_VALUE);
    }

    /** Two sites of 100 places, 85 usable, in one region; participants next to the first. */
    private static final DataCenterModel TINY = new DataCenterModel(List.of(new Region("XA", "Test")),
            List.of(new DataCenter("xa-one", "One", "XA", new GeoPoint(10, 10), 100),
                    new DataCenter("xa-two", "Two", "XA", new GeoPoint(12, 12), 100)),
            LatencyModel.BACKBONE);

    private static Workload tinyWorkload(int meetings, int min, int max) {
        return Workload.generate(new WorkloadSpec(meetings, min, max, weights("AA", 1), 3),
                Map.of("AA", new GeoPoint(10, 10)));
    }

    @Test
    void loadShouldAccumulateUntilLaterMeetingsAreUnroutable() {
        // 40 meetings of 5: 34 fill the 170 usable places exactly, the last 6 find no room
        SimulationResult result = SIMULATOR.run(CapacitySnapshot.idle(TINY, 0.85), Scenario.NONE,
                tinyWorkload(40, 5, 5), Strategy.AUTO);
        SimulationResult.Side side = result.baseline();
        assertThat(side.routableMeetings()).isEqualTo(34);
        assertThat(side.unroutableMeetings()).isEqualTo(6);
        assertThat(side.unroutableParticipants()).isEqualTo(30);
        assertThat(side.dataCenter("xa-one").participants()).isEqualTo(85);
        assertThat(side.dataCenter("xa-two").participants()).isEqualTo(85);
        assertThat(side.dataCentersOverLimit()).containsExactly("xa-one", "xa-two");
    }

    @Test
    void noDataCenterShouldEverExceedItsUsableCapacity() {
        for (Strategy strategy : Strategy.values()) {
            for (long s = 0; s < 5; s++) {
                long seed = s;
                Workload w = Workload.generate(new WorkloadSpec(60, 1, 30, weights("AA", 1), seed),
                        Map.of("AA", new GeoPoint(10, 10)));
                SimulationResult result = SIMULATOR.run(CapacitySnapshot.idle(TINY, 0.85), factor("xa-two", 0.5), w,
                        strategy);
                for (SimulationResult.Side side : List.of(result.baseline(), result.scenario())) {
                    assertThat(side.byDataCenter()).allSatisfy(dc -> assertThat(dc.load())
                            .as("%s %s seed %d", dc.dataCenter(), strategy, seed).isLessThanOrEqualTo(dc.usableCapacity()));
                    assertThat(side.routedParticipants() + side.unroutableParticipants()).isEqualTo(w.participants());
                    assertThat(side.unroutableMeetings()).isPositive();
                }
            }
        }
    }

    @Test
    void liveLoadShouldCountAndTheLiveSnapshotStayAsItWas() {
        Map<String, DataCenterState> states = Map.of(
                "xa-one", new DataCenterState(DataCenterStatus.ACTIVE, 80, 5, Optional.empty(), false),
                "xa-two", new DataCenterState(DataCenterStatus.DRAINING, 10, 0, Optional.empty(), false));
        CapacitySnapshot live = new CapacitySnapshot(TINY, 0.85, states);
        SimulationResult result = SIMULATOR.run(live, down("xa-one"), tinyWorkload(5, 2, 2), Strategy.AUTO);
        // xa-one is full with live load, xa-two is draining: nothing is routable on either side
        assertThat(result.baseline().unroutableMeetings()).isEqualTo(5);
        assertThat(result.baseline().dataCenter("xa-one").load()).isEqualTo(85);
        assertThat(result.baseline().dataCentersOverLimit()).containsExactly("xa-one");
        // down in the scenario: its live load is still shown, but a DOWN site is never "over the limit"
        assertThat(result.scenario().dataCenter("xa-one").status()).isEqualTo(DataCenterStatus.DOWN);
        assertThat(result.scenario().dataCenter("xa-one").load()).isEqualTo(85);
        assertThat(result.scenario().dataCentersOverLimit()).isEmpty();
        assertThat(live.state(0)).isEqualTo(states.get("xa-one"));
        assertThat(live.state(1)).isEqualTo(states.get("xa-two"));
        assertThat(live.headroom(0)).isZero();
    }

    @Test
    void rttFiguresShouldBeExactOnAUniformWorkload() {
        SimulationResult result = SIMULATOR.run(CapacitySnapshot.idle(TINY, 0.85), Scenario.NONE,
                tinyWorkload(4, 3, 3), Strategy.SINGLE);
        double rtt = LatencyModel.DEFAULT.rttMs(0);
        assertThat(result.baseline().meanRttMs().getAsDouble()).isEqualTo(rtt);
        assertThat(result.baseline().p95RttMs().getAsDouble()).isEqualTo(rtt);
        assertThat(result.baseline().meanWorstPairLatencyMs().getAsDouble()).isEqualTo(2 * rtt);
        assertThat(result.baseline().p95WorstPairLatencyMs().getAsDouble()).isEqualTo(2 * rtt);
    }

    @Test
    void nearestRankShouldBeTheCeiling() {
        assertThat(Simulator.nearestRank(1, 95)).isEqualTo(1);
        assertThat(Simulator.nearestRank(19, 95)).isEqualTo(19);
        assertThat(Simulator.nearestRank(20, 95)).isEqualTo(19);
        assertThat(Simulator.nearestRank(100, 95)).isEqualTo(95);
        assertThat(Simulator.nearestRank(101, 95)).isEqualTo(96);
        assertThat(Simulator.nearestRank(200_000, 95)).isEqualTo(190_000);
    }

    @Test
    void unknownDataCentersShouldBeRefused() {
        assertThatThrownBy(() -> SIMULATOR.run(idle(), down("xx-nope"), contractWorkload(1), Strategy.AUTO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SIMULATOR.run(idle(), factor("xx-nope", 1), contractWorkload(1), Strategy.AUTO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
