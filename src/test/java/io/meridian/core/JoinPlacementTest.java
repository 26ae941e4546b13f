package io.meridian.core;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import static io.meridian.core.TestModels.FRANKFURT;
import static io.meridian.core.TestModels.SAN_JOSE;
import static io.meridian.core.TestModels.SHANGHAI;
import static io.meridian.core.TestModels.SINGAPORE;
import static io.meridian.core.TestModels.SYDNEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The join rule on hand-made meetings, including the worked example of the documentation. */
class JoinPlacementTest {

    private final DataCenterModel world = TestModels.world(100);
    private final CapacitySnapshot idle = CapacitySnapshot.idle(world, 1.0);
    private final JoinPlacement placement = new JoinPlacement(LatencyModel.DEFAULT);

    /** Two people in Frankfurt on eu-fra, one in New York on us-nyc (5 ms each: the model's overhead). */
    private static final MeetingSites FRANKFURT_AND_NEW_YORK = new MeetingSites(List.of(
            MeetingSites.Site.of("eu-fra", List.of(5.0, 5.0), 0), MeetingSites.Site.of("us-nyc", List.of(5.0), 0)));

    private JoinOutcome.Placed join(GeoPoint where, MeetingSites meeting, RegionPolicy policy, CapacitySnapshot s) {
        JoinOutcome outcome = placement.place(new Participant("new", where), meeting, policy, s, RoutingOptions.DEFAULT);
        assertThat(outcome).isInstanceOf(JoinOutcome.Placed.class);
        return (JoinOutcome.Placed) outcome;
    }

    private JoinOutcome.Placed join(GeoPoint where, MeetingSites meeting) {
        return join(where, meeting, RegionPolicy.UNRESTRICTED, idle);
    }

    private static RegionPolicy blocking(String... regions) {
        return RegionPolicy.merge(List.of(new RegionPolicy.Restriction("request", new TreeSet<>(List.of(regions)),
                Optional.empty())));
    }

    private double rtt(GeoPoint where, String dc) {
        return LatencyModel.DEFAULT.rttMs(where, world.dataCenter(dc).orElseThrow().location());
    }

    private double link(String a, String b) {
        return world.linkRttMs(world.indexOf(a), world.indexOf(b));
    }

    /** The figures of the worked example in the JoinPlacement Javadoc and docs/placement.md. */
    @Test
    void workedExample() {
        MeetingTopology before = MeetingTopology.of(FRANKFURT_AND_NEW_YORK, world);
        assertThat(before.cascadeLinks()).containsExactly(new RoutingPlan.CascadeLink("eu-fra", "us-nyc",
                link("eu-fra", "us-nyc")));
        assertThat(link("eu-fra", "us-nyc")).isCloseTo(78.5, within(0.05));
        assertThat(before.summary().worstPairLatencyMs()).isCloseTo(88.5, within(0.05));

        // San Jose: us-sjc is 5 ms away, but opening it gains only 9.3 ms on the worst pair
        assertThat(rtt(SAN_JOSE, "us-nyc")).isCloseTo(66.5, within(0.05));
        assertThat(rtt(SAN_JOSE, "eu-fra")).isCloseTo(142.3, within(0.05));
        assertThat(link("us-sjc", "us-nyc")).isCloseTo(52.3, within(0.05));
        assertThat(world.dataCenters()).filteredOn(dc -> !List.of("us-sjc", "us-nyc", "eu-fra").contains(dc.id()))
                .allSatisfy(dc -> assertThat(rtt(SAN_JOSE, dc.id())).isGreaterThan(120.1));
        JoinOutcome.Placed sanJose = join(SAN_JOSE, FRANKFURT_AND_NEW_YORK);
        assertThat(sanJose.dataCenter()).isEqualTo("us-nyc");
        assertThat(sanJose.openedDataCenter()).isFalse();
        assertThat(sanJose.worstPairMs()).isCloseTo(150.1, within(0.05));
        double openSanJose = 5.0 + link("us-sjc", "us-nyc") + link("us-nyc", "eu-fra") + 5.0;
        assertThat(openSanJose).isCloseTo(140.8, within(0.05));
        assertThat(sanJose.worstPairMs() - openSanJose).isLessThan(RoutingOptions.DEFAULT.cascadeMinGainMs());

        // Sydney: opening au-syd gains 39 ms; jp-tyo would gain more but is 122 ms away
        assertThat(rtt(SYDNEY, "us-nyc")).isCloseTo(244.8, within(0.05));
        assertThat(link("au-syd", "us-nyc")).isCloseTo(200.9, within(0.05));
        JoinOutcome.Placed sydney = join(SYDNEY, FRANKFURT_AND_NEW_YORK);
        assertThat(sydney.dataCenter()).isEqualTo("au-syd");
        assertThat(sydney.openedDataCenter()).isTrue();
        assertThat(sydney.rttMs()).isEqualTo(5.0);
        assertThat(sydney.worstPairMs()).isCloseTo(289.4, within(0.05));
        assertThat(rtt(SYDNEY, "jp-tyo")).isCloseTo(122.4, within(0.05));
        assertThat(rtt(SYDNEY, "jp-tyo") + link("jp-tyo", "us-nyc") + 5.0).isCloseTo(264.0, within(0.05));
        MeetingTopology viaTokyo = MeetingTopology.of(FRANKFURT_AND_NEW_YORK.withJoin("jp-tyo", rtt(SYDNEY, "jp-tyo")),
                world);
        assertThat(viaTokyo.primary()).contains("jp-tyo");
        assertThat(viaTokyo.cascadeLinks()).noneMatch(l -> l.from().equals("eu-fra") && l.to().equals("us-nyc")
                || l.from().equals("us-nyc") && l.to().equals("eu-fra"));
        MeetingTopology after = MeetingTopology.of(FRANKFURT_AND_NEW_YORK.withJoin("au-syd", 5.0), world);
        assertThat(after.primary()).contains("us-nyc");
        assertThat(after.cascadeLinks()).extracting(l -> l.from() + "-" + l.to())
                .containsExactlyInAnyOrder("us-nyc-eu-fra", "us-nyc-au-syd");

        // Singapore: opening sg-sin gains 24.6 ms, short of 30: it joins eu-fra
        JoinOutcome.Placed singapore = join(SINGAPORE, FRANKFURT_AND_NEW_YORK);
        assertThat(singapore.dataCenter()).isEqualTo("eu-fra");
        assertThat(singapore.worstPairMs()).isCloseTo(242.4, within(0.05));
        assertThat(5.0 + link("sg-sin", "eu-fra") + link("eu-fra", "us-nyc") + 5.0).isCloseTo(217.8, within(0.05));
    }

    @Test
    void shouldOpenWhatALowerGainThresholdMakesWorthIt() {
        JoinOutcome outcome = placement.place(new Participant("new", SINGAPORE), FRANKFURT_AND_NEW_YORK,
                RegionPolicy.UNRESTRICTED, idle, new RoutingOptions(20));
        assertThat(((JoinOutcome.Placed) outcome).dataCenter()).isEqualTo("sg-sin");
    }

    @Test
    void shouldPutTheFirstParticipantOnItsNearestEligibleDataCenter() {
        JoinOutcome.Placed first = join(SHANGHAI, MeetingSites.EMPTY, blocking("CN"), idle);
        assertThat(first.dataCenter()).isEqualTo("hk-hkg");
        assertThat(first.openedDataCenter()).isTrue();
        assertThat(first.worstPairMs()).isZero();
    }

    @Test
    void shouldPreferAMeasurementToTheEstimate() {
        Participant measured = new Participant("m", FRANKFURT, Map.of("us-nyc", 1.0));
        JoinOutcome.Placed placed = (JoinOutcome.Placed) placement.place(measured, MeetingSites.EMPTY,
                RegionPolicy.UNRESTRICTED, idle, RoutingOptions.DEFAULT);
        assertThat(placed.dataCenter()).isEqualTo("us-nyc");
        assertThat(placed.measured()).isTrue();
        assertThat(placed.rttMs()).isEqualTo(1.0);
    }

    @Test
    void shouldTakeNoJoinOnAUsedDataCenterThatIsDrainingDownOrBlocked() {
        MeetingSites inFrankfurt = new MeetingSites(List.of(MeetingSites.Site.of("eu-fra", List.of(5.0, 6.0), 0)));
        for (DataCenterStatus status : List.of(DataCenterStatus.DRAINING, DataCenterStatus.DOWN)) {
            CapacitySnapshot s = new CapacitySnapshot(world, 1.0, Map.of("eu-fra",
                    new DataCenterState(status, 0, 0, Optional.empty(), false)));
            JoinOutcome.Placed placed = join(FRANKFURT, inFrankfurt, RegionPolicy.UNRESTRICTED, s);
            assertThat(placed.dataCenter()).as("%s", status).isNotEqualTo("eu-fra");
            assertThat(placed.openedDataCenter()).isTrue();
        }
        assertThat(join(FRANKFURT, inFrankfurt, blocking("EU"), idle).region()).isNotEqualTo("EU");
    }

    @Test
    void shouldUseTheMeetingsReservedPlacesWhereHeadroomIsGone() {
        CapacitySnapshot full = new CapacitySnapshot(world, 1.0, Map.of("eu-fra",
                new DataCenterState(DataCenterStatus.ACTIVE, 98, 2, Optional.of(Instant.EPOCH), false)));
        MeetingSites reserved = new MeetingSites(List.of(MeetingSites.Site.of("eu-fra", List.of(), 2)));
        JoinOutcome.Placed placed = join(FRANKFURT, reserved, RegionPolicy.UNRESTRICTED, full);
        assertThat(placed.dataCenter()).isEqualTo("eu-fra");
        assertThat(placed.usedReservedPlace()).isTrue();
        MeetingSites after = reserved.withJoin("eu-fra", placed.rttMs());
        assertThat(after.site("eu-fra").orElseThrow().reservedPlaces()).isEqualTo(1);
        after = after.withJoin("eu-fra", placed.rttMs());
        assertThat(after.reservedPlaces()).isEmpty();
        // a third Frankfurt participant finds neither headroom nor reserved places on eu-fra
        assertThat(join(FRANKFURT, after, RegionPolicy.UNRESTRICTED, full).dataCenter()).isNotEqualTo("eu-fra");
        // without the reservation a meeting cannot use eu-fra at all
        assertThat(join(FRANKFURT, MeetingSites.EMPTY, RegionPolicy.UNRESTRICTED, full).dataCenter())
                .isNotEqualTo("eu-fra");
    }

    @Test
    void shouldRefuseWithTheReasonOfEveryDataCenter() {
        Map<String, DataCenterState> full = new java.util.HashMap<>();
        for (DataCenter dc : world.dataCenters()) {
            full.put(dc.id(), new DataCenterState(DataCenterStatus.ACTIVE, 100, 0, Optional.of(Instant.EPOCH), false));
        }
        full.put("us-nyc", new DataCenterState(DataCenterStatus.DOWN, 0, 0, Optional.empty(), false));
        JoinOutcome outcome = placement.place(new Participant("new", FRANKFURT), FRANKFURT_AND_NEW_YORK, blocking("CN"),
                new CapacitySnapshot(world, 1.0, full), RoutingOptions.DEFAULT);
        assertThat(outcome).isInstanceOf(JoinOutcome.NoPermittedCapacity.class);
        assertThat(((JoinOutcome.NoPermittedCapacity) outcome).excluded()).extracting(RoutingPlan.Exclusion::reason)
                .contains(ExclusionReason.REGION_BLOCKED, ExclusionReason.DC_DOWN, ExclusionReason.NO_HEADROOM)
                .hasSize(world.size());
        RegionPolicy nowhere = RegionPolicy.merge(List.of(new RegionPolicy.Restriction("request", new TreeSet<>(),
                Optional.of(new TreeSet<>(List.of("EMPTY"))))));
        assertThat(placement.place(new Participant("new", FRANKFURT), FRANKFURT_AND_NEW_YORK, nowhere, idle,
                RoutingOptions.DEFAULT)).isInstanceOf(JoinOutcome.NoPermittedRegion.class);
    }

    @Test
    void shouldKeepAFixedCascadeOnJoinsAndDropItWhenADataCenterOpensOrEmpties() {
        MeetingTopology fixed = MeetingTopology.of(FRANKFURT_AND_NEW_YORK, world);
        MeetingSites sites = FRANKFURT_AND_NEW_YORK.withCascade(fixed.cascade().orElseThrow());
        assertThat(sites.withJoin("eu-fra", 9.0).cascade()).isEqualTo(sites.cascade());
        assertThat(sites.withJoin("au-syd", 5.0).cascade()).isEmpty();
        assertThat(sites.withLeave("eu-fra", 5.0, 5.0, Double.NEGATIVE_INFINITY).cascade()).isEqualTo(sites.cascade());
        MeetingSites emptied = sites.withLeave("us-nyc", 5.0, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY);
        assertThat(emptied.cascade()).isEmpty();
        assertThat(emptied.site("us-nyc")).isEmpty();
        assertThat(MeetingTopology.of(emptied, world).cascadeLinks()).isEmpty();
        assertThat(MeetingTopology.of(emptied, world).primary()).contains("eu-fra");
    }

    @Test
    void shouldRejectAggregatesThatCannotBe() {
        assertThatThrownBy(() -> new MeetingSites(List.of(MeetingSites.Site.of("eu-fra", List.of(5.0), 0),
                MeetingSites.Site.of("eu-fra", List.of(6.0), 0)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MeetingSites.Site("eu-fra", 1, 5, 5, 4, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MeetingSites.Site("eu-fra", 2, 9, 5, 6, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MeetingSites.Site("eu-fra", 0, 0, 5, Double.NEGATIVE_INFINITY, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FRANKFURT_AND_NEW_YORK.withCascade(new MeetingSites.Cascade("eu-fra", List.of())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FRANKFURT_AND_NEW_YORK.withCascade(new MeetingSites.Cascade("au-syd",
                List.of(new MeetingSites.Link("eu-fra", "us-nyc"))))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FRANKFURT_AND_NEW_YORK.withLeave("au-syd", 5.0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        MeetingSites unknown = new MeetingSites(List.of(MeetingSites.Site.of("xx-gone", List.of(5.0), 0)));
        assertThatThrownBy(() -> MeetingTopology.of(unknown, world)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldSummariseTheMeetingFromItsAggregates() {
        MeetingTopology t = MeetingTopology.of(FRANKFURT_AND_NEW_YORK.withJoin("us-nyc", 7.0), world);
        assertThat(t.dataCenters()).containsExactly(new RoutingPlan.DataCenterUse("eu-fra", "EU", 2, true),
                new RoutingPlan.DataCenterUse("us-nyc", "US", 2, false));
        assertThat(t.regionsUsed()).containsExactly("EU", "US");
        assertThat(t.summary().maxRttMs()).isEqualTo(7.0);
        assertThat(t.summary().meanRttMs()).isCloseTo(22.0 / 4, within(1e-12));
        assertThat(t.summary().worstPairLatencyMs()).isCloseTo(5.0 + link("eu-fra", "us-nyc") + 7.0, within(1e-9));
        MeetingTopology one = MeetingTopology.of(new MeetingSites(List.of(MeetingSites.Site.of("eu-fra", List.of(8.0), 0))),
                world);
        assertThat(one.summary()).isEqualTo(new RoutingPlan.Summary(8.0, 8.0, 0));
        assertThat(MeetingTopology.of(MeetingSites.EMPTY, world).primary()).isEmpty();
        assertThat(new MeetingSites(List.of(MeetingSites.Site.of("us-nyc", List.of(1.0), 0),
                MeetingSites.Site.of("eu-fra", List.of(1.0), 0))).sites().get(0).dataCenter()).isEqualTo("eu-fra");
    }
}
