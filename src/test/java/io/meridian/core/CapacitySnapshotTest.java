package io.meridian.core;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The headroom rule, with reservations, load reports and live participants each counted once. */
class CapacitySnapshotTest {

    private static final DataCenterModel MODEL = TestModels.world(10_000);

    private static CapacitySnapshot with(int load, int reserved, int live, int liveAtReport) {
        return new CapacitySnapshot(MODEL, 0.85, Map.of("eu-fra", new DataCenterState(DataCenterStatus.ACTIVE, load,
                reserved, Optional.empty(), false, live, liveAtReport)));
    }

    private static int fra() {
        return MODEL.indexOf("eu-fra");
    }

    @Example
    void withoutLiveParticipantsHeadroomShouldBeTheContractsFormula() {
        assertThat(with(1000, 250, 0, 0).headroom(fra())).isEqualTo(8500 - 1000 - 250);
        assertThat(with(9000, 0, 0, 0).headroom(fra())).isZero();
    }

    @Example
    void liveParticipantsTheReportCountedShouldCountOnce() {
        // 900 others and 100 of ours on the site when it reported 1000; 100 live now: 1000 in use
        assertThat(with(1000, 0, 100, 100).headroom(fra())).isEqualTo(8500 - 1000);
        // 30 of those it counted left since: given back
        assertThat(with(1000, 0, 70, 100).headroom(fra())).isEqualTo(8500 - 970);
        // 50 joined after it: added
        assertThat(with(1000, 0, 150, 100).headroom(fra())).isEqualTo(8500 - 1050);
        // a report that saw fewer than our live participants never frees their places
        assertThat(with(10, 0, 100, 100).headroom(fra())).isEqualTo(8500 - 100);
        assertThat(with(10, 0, 100, 100).state(fra()).inUse()).isEqualTo(100);
        assertThat(with(1000, 0, 100, 100).utilization(fra())).isEqualTo(1000 / 10_000.0);
    }

    /**
     * Whatever happened since the report (people it counted left, others joined, some of those left
     * again), the site is at the others it saw plus who is live now: never counted twice, never lost.
     */
    @Property
    void inUseShouldBeTheOthersTheReportSawPlusWhoIsLiveNow(@ForAll @IntRange(max = 5000) int others,
                                                            @ForAll @IntRange(max = 2000) int presentAtReport,
                                                            @ForAll @IntRange(max = 2000) int countedLeft,
                                                            @ForAll @IntRange(max = 2000) int joinedAfter,
                                                            @ForAll @IntRange(max = 2000) int newLeft) {
        int left = Math.min(countedLeft, presentAtReport);
        int gone = Math.min(newLeft, joinedAfter);
        int live = presentAtReport - left + joinedAfter - gone;
        DataCenterState state = new DataCenterState(DataCenterStatus.ACTIVE, others + presentAtReport, 0,
                Optional.empty(), false, live, presentAtReport);
        assertThat(state.inUse()).isEqualTo(others + live);
        assertThat(state.inUse()).isGreaterThanOrEqualTo(live);
    }

    @Property
    void headroomShouldNeverBeNegativeNorCountLiveBelowLive(@ForAll @IntRange(max = 20_000) int load,
                                                            @ForAll @IntRange(max = 20_000) int reserved,
                                                            @ForAll @IntRange(max = 20_000) int live,
                                                            @ForAll @IntRange(max = 20_000) int liveAtReport) {
        CapacitySnapshot s = with(load, reserved, live, liveAtReport);
        assertThat(s.headroom(fra())).isBetween(0, 8500);
        assertThat(s.headroom(fra())).isLessThanOrEqualTo(Math.max(0, 8500 - live - reserved));
    }
}
