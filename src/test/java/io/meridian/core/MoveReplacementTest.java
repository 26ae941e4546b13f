package io.meridian.core;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import static io.meridian.core.TestModels.FRANKFURT;
import static io.meridian.core.TestModels.SHANGHAI;
import static io.meridian.core.TestModels.SINGAPORE;
import static io.meridian.core.TestModels.SYDNEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Re-placement of the movers of a live meeting on hand-made cases. */
class MoveReplacementTest {

    private final DataCenterModel world = TestModels.world(100);
    private final CapacitySnapshot idle = CapacitySnapshot.idle(world, 1.0);
    private final MoveReplacement replacement = new MoveReplacement(LatencyModel.DEFAULT);

    private static RegionPolicy blocking(String... regions) {
        return RegionPolicy.merge(List.of(new RegionPolicy.Restriction("request", new TreeSet<>(List.of(regions)),
                Optional.empty())));
    }

    private static MoveReplacement.Mover mover(String id, GeoPoint where, String from) {
        return new MoveReplacement.Mover(new Participant(id, where), from);
    }

    private static MoveReplacement.Moved moved(MoveReplacement.Move move) {
        assertThat(move).isInstanceOf(MoveReplacement.Moved.class);
        return (MoveReplacement.Moved) move;
    }

    /** Only a forbidden region, DOWN, or a data center gone from the model makes anyone leave. */
    @Test
    void mustLeaveOnlyForbiddenDownOrGoneDataCenters() {
        Map<String, DataCenterState> states = new HashMap<>();
        for (DataCenter dc : world.dataCenters()) {
            states.put(dc.id(), DataCenterState.IDLE);
        }
        states.put("eu-fra", new DataCenterState(DataCenterStatus.DOWN, 0, 0, Optional.empty(), false));
        states.put("jp-tyo", new DataCenterState(DataCenterStatus.DRAINING, 0, 0, Optional.empty(), false));
        states.put("sg-sin", new DataCenterState(DataCenterStatus.ACTIVE, 0, 0, Optional.empty(), true));
        states.put("au-syd", new DataCenterState(DataCenterStatus.ACTIVE, 100, 0, Optional.of(Instant.EPOCH), false));
        CapacitySnapshot snapshot = new CapacitySnapshot(world, 1.0, states);
        RegionPolicy none = RegionPolicy.UNRESTRICTED;
        assertThat(MoveReplacement.mustLeave("eu-fra", none, snapshot)).contains(ExclusionReason.DC_DOWN);
        assertThat(MoveReplacement.mustLeave("xx-gone", none, snapshot)).contains(ExclusionReason.DC_DOWN);
        // draining, stale and full keep the people on them
        assertThat(MoveReplacement.mustLeave("jp-tyo", none, snapshot)).isEmpty();
        assertThat(MoveReplacement.mustLeave("sg-sin", none, snapshot)).isEmpty();
        assertThat(MoveReplacement.mustLeave("au-syd", none, snapshot)).isEmpty();
        assertThat(MoveReplacement.mustLeave("us-nyc", none, snapshot)).isEmpty();
        // the policy first: a blocked region, then a region outside the allow-list
        assertThat(MoveReplacement.mustLeave("eu-fra", blocking("EU"), snapshot)).contains(ExclusionReason.REGION_BLOCKED);
        RegionPolicy onlyAsia = RegionPolicy.merge(List.of(new RegionPolicy.Restriction("request", new TreeSet<>(),
                Optional.of(new TreeSet<>(List.of("SG", "AU"))))));
        assertThat(MoveReplacement.mustLeave("us-nyc", onlyAsia, snapshot)).contains(ExclusionReason.REGION_NOT_ALLOWED);
        assertThat(MoveReplacement.mustLeave("sg-sin", onlyAsia, snapshot)).isEmpty();
    }

    @Test
    void shouldJoinTheMeetingsDataCenterRatherThanOpenANearerOneFarFromIt() {
        // Europe is blocked; the meeting keeps Singapore. New York is nearer to Frankfurt (98 ms) but
        // 193 ms from Singapore; Mumbai gains only 5.6 ms on the worst pair over sg-sin itself.
        MeetingSites kept = new MeetingSites(List.of(MeetingSites.Site.of("sg-sin", List.of(5.0, 5.0), 0)));
        MoveReplacement.Outcome outcome = replacement.replace(List.of(mover("a", FRANKFURT, "eu-fra"),
                mover("b", FRANKFURT, "eu-fra")), kept, blocking("EU"), idle, RoutingOptions.DEFAULT);
        assertThat(outcome.moves()).allSatisfy(m -> {
            assertThat(moved(m).to()).isEqualTo("sg-sin");
            assertThat(m.leftBecause()).contains(ExclusionReason.REGION_BLOCKED);
        });
        assertThat(outcome.arrivals()).isEqualTo(Map.of("sg-sin", 2));
        assertThat(outcome.topology().dataCenters()).extracting(RoutingPlan.DataCenterUse::participants).containsExactly(4);
        // with a lower gain setting, opening Mumbai pays
        MoveReplacement.Outcome eager = replacement.replace(List.of(mover("a", FRANKFURT, "eu-fra")), kept,
                blocking("EU"), idle, new RoutingOptions(5));
        assertThat(moved(eager.moves().get(0)).to()).isEqualTo("in-bom");
    }

    @Test
    void shouldPlaceAWholeMeetingThatLeavesOnItsNearestDataCenters() {
        MoveReplacement.Outcome outcome = replacement.replace(List.of(mover("cn", SHANGHAI, "cn-sha"),
                mover("au", SYDNEY, "cn-sha")), MeetingSites.EMPTY, blocking("CN"), idle, RoutingOptions.DEFAULT);
        assertThat(moved(outcome.moves().get(0)).to()).isEqualTo("au-syd");
        assertThat(moved(outcome.moves().get(1)).to()).isEqualTo("hk-hkg");
        assertThat(outcome.topology().cascadeLinks()).hasSize(1);
        assertThat(outcome.after().cascade()).isEqualTo(outcome.topology().cascade());
    }

    @Test
    void shouldDisconnectTheMoversTheRoomLeftCannotTakeAndTheFarthestFirst() {
        Map<String, DataCenterState> full = new HashMap<>();
        for (DataCenter dc : world.dataCenters()) {
            full.put(dc.id(), new DataCenterState(DataCenterStatus.ACTIVE, dc.id().equals("hk-hkg") ? 99 : 100, 0,
                    Optional.of(Instant.EPOCH), false));
        }
        CapacitySnapshot oneLeft = new CapacitySnapshot(world, 1.0, full);
        MoveReplacement.Outcome outcome = replacement.replace(List.of(mover("far", SYDNEY, "cn-sha"),
                mover("near", SHANGHAI, "cn-sha")), MeetingSites.EMPTY, blocking("CN"), oneLeft, RoutingOptions.DEFAULT);
        assertThat(outcome.moves().get(0)).isEqualTo(new MoveReplacement.Disconnected("far", "cn-sha",
                Optional.of(ExclusionReason.REGION_BLOCKED), MoveReplacement.DisconnectReason.NO_PERMITTED_CAPACITY));
        assertThat(moved(outcome.moves().get(1)).to()).isEqualTo("hk-hkg");
    }

    @Test
    void shouldUseTheMeetingsReservedPlacesAsRoom() {
        Map<String, DataCenterState> full = new HashMap<>();
        full.put("sg-sin", new DataCenterState(DataCenterStatus.ACTIVE, 99, 1, Optional.of(Instant.EPOCH), false));
        MeetingSites kept = new MeetingSites(List.of(MeetingSites.Site.of("sg-sin", List.of(5.0), 1)));
        MoveReplacement.Outcome outcome = replacement.replace(List.of(mover("a", SINGAPORE, "jp-tyo"),
                mover("b", SINGAPORE, "jp-tyo")), kept, RegionPolicy.UNRESTRICTED,
                new CapacitySnapshot(world, 1.0, full), RoutingOptions.DEFAULT);
        // interchangeable movers: the lower id gets the data center earlier in id order (hk-hkg)
        MoveReplacement.Moved a = moved(outcome.moves().get(0));
        MoveReplacement.Moved b = moved(outcome.moves().get(1));
        assertThat(a.to()).isEqualTo("hk-hkg");
        assertThat(a.usedReservedPlace()).isFalse();
        assertThat(b.to()).isEqualTo("sg-sin");
        assertThat(b.usedReservedPlace()).isTrue();
        assertThat(b.leftBecause()).isEmpty();
        assertThat(outcome.after().reservedPlaces()).isEmpty();
    }

    @Test
    void shouldNeverLeaveAMoverWhereItIsNorAnywhereForbidden() {
        CapacitySnapshot down = new CapacitySnapshot(world, 1.0, Map.of("eu-fra",
                new DataCenterState(DataCenterStatus.DOWN, 0, 0, Optional.empty(), false)));
        MoveReplacement.Outcome outcome = replacement.replace(List.of(mover("a", FRANKFURT, "eu-fra"),
                mover("b", FRANKFURT, "us-nyc"), mover("c", FRANKFURT, "gone-dc")), MeetingSites.EMPTY,
                RegionPolicy.UNRESTRICTED, down, RoutingOptions.DEFAULT);
        assertThat(outcome.moves()).allSatisfy(m -> assertThat(moved(m).to()).isNotIn("eu-fra", "us-nyc"));
        assertThat(outcome.moves()).extracting(MoveReplacement.Move::leftBecause)
                .containsExactly(Optional.of(ExclusionReason.DC_DOWN), Optional.empty(), Optional.empty());
        RegionPolicy nowhere = RegionPolicy.merge(List.of(new RegionPolicy.Restriction("request", new TreeSet<>(),
                Optional.of(new TreeSet<>(List.of("EMPTY"))))));
        MoveReplacement.Outcome none = replacement.replace(List.of(mover("a", FRANKFURT, "eu-fra")), MeetingSites.EMPTY,
                nowhere, idle, RoutingOptions.DEFAULT);
        assertThat(none.moves().get(0)).isEqualTo(new MoveReplacement.Disconnected("a", "eu-fra",
                Optional.of(ExclusionReason.REGION_NOT_ALLOWED), MoveReplacement.DisconnectReason.NO_PERMITTED_REGION));
        assertThat(none.topology().primary()).isEmpty();
    }

    @Test
    void shouldRefuseAParticipantGivenTwice() {
        assertThatThrownBy(() -> replacement.replace(List.of(mover("a", FRANKFURT, "eu-fra"),
                mover("a", SYDNEY, "eu-fra")), MeetingSites.EMPTY, RegionPolicy.UNRESTRICTED, idle,
                RoutingOptions.DEFAULT)).isInstanceOf(IllegalArgumentException.class);
    }
}
