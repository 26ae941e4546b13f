package io.meridian.core;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bridge choice on named situations; {@link BridgeSelectionPropertiesTest} covers random ones. */
class BridgeSelectionTest {

    private static final DataCenterModel MODEL = TestModels.world(100);
    private static final int FRA = MODEL.indexOf("eu-fra");
    private static final int SIN = MODEL.indexOf("sg-sin");
    private static final int SHA = MODEL.indexOf("cn-sha");
    private static final int HKG = MODEL.indexOf("hk-hkg");
    private static final int NYC = MODEL.indexOf("us-nyc");
    private static final int NONE = BridgeSelection.NO_DATA_CENTER;
    private static final CapacitySnapshot IDLE = CapacitySnapshot.idle(MODEL, 1.0);
    private static final RegionPolicy BLOCK_CN = policy(List.of("CN"), null);

    private final BridgeSelection selection = new BridgeSelection(MODEL, new AccessLatency(LatencyModel.DEFAULT), 0.8, 30);

    private static RegionPolicy policy(List<String> blocked, List<String> allowed) {
        return new RegionPolicy(new TreeSet<>(blocked), Optional.ofNullable(allowed).map(TreeSet::new),
                List.of("account:acme"));
    }

    /** Bridges as {dc, stress} pairs, healthy, none in the conference unless listed. */
    private static BridgeSelection.Bridges bridges(double[][] dcAndStress, int... conference) {
        BridgeSelection.Bridges.Builder b = BridgeSelection.Bridges.builder(dcAndStress.length);
        for (double[] bridge : dcAndStress) {
            b.add((int) bridge[0], bridge[1], true, false, false);
        }
        for (int i : conference) {
            b.inConference(i);
        }
        return b.build();
    }

    private BridgeSelection.Selected selected(BridgeSelection.Outcome outcome) {
        assertThat(outcome).isInstanceOf(BridgeSelection.Selected.class);
        return (BridgeSelection.Selected) outcome;
    }

    @Test
    void shouldNeverChooseABlockedRegionEvenWhenItHoldsTheOnlyUnstressedBridge() {
        BridgeSelection.Outcome outcome = selection.select(
                bridges(new double[][]{{SIN, 0.9}, {SHA, 0.05}, {HKG, 0.85}}), SHA, BLOCK_CN, IDLE);

        assertThat(outcome).isEqualTo(new BridgeSelection.NoCandidate(Map.of(
                BridgeSelection.Exclusion.REGION_BLOCKED, 1, BridgeSelection.Exclusion.STRESS_AT_THRESHOLD, 2)));
    }

    @Test
    void shouldHonourTheStressThresholdExactly() {
        BridgeSelection.Selected s = selected(selection.select(
                bridges(new double[][]{{FRA, 0.8}, {FRA, 0.79}}), FRA, BLOCK_CN, IDLE));

        assertThat(s.index()).isEqualTo(1);
        assertThat(s.reason()).isEqualTo(BridgeSelection.Reason.CLOSEST_DATA_CENTER);
    }

    @Test
    void shouldPreferTheParticipantsClosestDataCenter() {
        BridgeSelection.Selected s = selected(selection.select(
                bridges(new double[][]{{FRA, 0.1}, {SIN, 0.3}, {NYC, 0.0}}), SIN, BLOCK_CN, IDLE));

        assertThat(s.index()).isEqualTo(1);
        assertThat(s.dataCenter()).isEqualTo(SIN);
    }

    @Test
    void shouldReuseAConferenceBridgeWhenItsDataCenterIsCloseEnough() {
        // for a participant in Hong Kong, Singapore is about 39 ms further than Hong Kong: within a
        // 60 ms gain the conference's Singapore bridge is kept, beyond the default 30 ms it is not
        BridgeSelection.Bridges offered = bridges(new double[][]{{SIN, 0.5}, {HKG, 0.0}}, 0);
        BridgeSelection wide = new BridgeSelection(MODEL, new AccessLatency(LatencyModel.DEFAULT), 0.8, 60);

        BridgeSelection.Selected reused = selected(wide.select(offered, HKG, BLOCK_CN, IDLE));
        BridgeSelection.Selected closest = selected(selection.select(offered, HKG, BLOCK_CN, IDLE));

        double extra = selection.rttMs(HKG, SIN) - selection.rttMs(HKG, HKG);
        assertThat(extra).isBetween(30.0, 60.0);
        assertThat(reused.index()).isZero();
        assertThat(reused.reason()).isEqualTo(BridgeSelection.Reason.CONFERENCE_BRIDGE);
        assertThat(closest.index()).isEqualTo(1);
        assertThat(closest.reason()).isEqualTo(BridgeSelection.Reason.CLOSEST_DATA_CENTER);
    }

    @Test
    void shouldReuseTheLeastStressedConferenceBridgeInTheSameDataCenter() {
        BridgeSelection.Selected s = selected(selection.select(
                bridges(new double[][]{{FRA, 0.0}, {FRA, 0.6}, {FRA, 0.4}}, 1, 2), FRA, BLOCK_CN, IDLE));

        assertThat(s.index()).isEqualTo(2);
        assertThat(s.reason()).isEqualTo(BridgeSelection.Reason.CONFERENCE_BRIDGE);
    }

    @Test
    void shouldNotReuseAConferenceBridgeInABlockedRegion() {
        BridgeSelection.Selected s = selected(selection.select(
                bridges(new double[][]{{SHA, 0.0}, {HKG, 0.7}}, 0), SHA, BLOCK_CN, IDLE));

        assertThat(s.index()).isEqualTo(1);
    }

    @Test
    void shouldBreakTiesByStressThenIndex() {
        assertThat(selected(selection.select(bridges(new double[][]{{FRA, 0.3}, {FRA, 0.2}, {FRA, 0.2}}), FRA,
                BLOCK_CN, IDLE)).index()).isEqualTo(1);
    }

    @Test
    void shouldPickByStressAmongPermittedBridgesWhenTheParticipantHasNoLocation() {
        BridgeSelection.Selected s = selected(selection.select(
                bridges(new double[][]{{FRA, 0.3}, {SHA, 0.0}, {NYC, 0.2}}), NONE, BLOCK_CN, IDLE));

        assertThat(s.index()).isEqualTo(2);
        assertThat(s.reason()).isEqualTo(BridgeSelection.Reason.LEAST_STRESSED);
    }

    @Test
    void shouldHonourAnAllowList() {
        BridgeSelection.Selected s = selected(selection.select(
                bridges(new double[][]{{NYC, 0.0}, {FRA, 0.5}}), NYC, policy(List.of(), List.of("EU")), IDLE));

        assertThat(s.index()).isEqualTo(1);
    }

    @Test
    void shouldSkipBridgesOfIneligibleDataCenters() {
        CapacitySnapshot fraDown = new CapacitySnapshot(MODEL, 1.0, Map.of("eu-fra",
                new DataCenterState(DataCenterStatus.DOWN, 0, 0, Optional.of(Instant.EPOCH), false),
                "us-nyc", new DataCenterState(DataCenterStatus.ACTIVE, 100, 0, Optional.of(Instant.EPOCH), false)));

        BridgeSelection.Outcome outcome = selection.select(bridges(new double[][]{{FRA, 0.0}, {NYC, 0.0}}), FRA,
                BLOCK_CN, fraDown);

        assertThat(outcome).isEqualTo(new BridgeSelection.NoCandidate(Map.of(
                BridgeSelection.Exclusion.DC_DOWN, 1, BridgeSelection.Exclusion.NO_HEADROOM, 1)));
    }

    @Test
    void shouldSkipBridgesThatAreNotOperationalShuttingDownOrDraining() {
        BridgeSelection.Bridges.Builder b = BridgeSelection.Bridges.builder(4);
        b.add(FRA, 0.0, false, false, false);
        b.add(FRA, 0.0, true, true, false);
        b.add(FRA, 0.0, true, false, true);
        b.add(FRA, 0.7, true, false, false);

        assertThat(selected(selection.select(b.build(), FRA, BLOCK_CN, IDLE)).index()).isEqualTo(3);
    }

    @Test
    void shouldNeverChooseAnUnmappedBridgeUnderAPolicy() {
        BridgeSelection.Outcome outcome = selection.select(bridges(new double[][]{{NONE, 0.0}}), FRA,
                policy(List.of(), List.of("EU", "US", "SG", "CN", "HK", "JP", "AU", "IN", "EMPTY")), IDLE);

        assertThat(outcome).isEqualTo(new BridgeSelection.NoCandidate(Map.of(
                BridgeSelection.Exclusion.UNMAPPED_REGION, 1)));
    }

    @Test
    void shouldChooseAnUnmappedBridgeOnlyAsALastResortWithoutAnyRestriction() {
        BridgeSelection.Selected mapped = selected(selection.select(
                bridges(new double[][]{{NONE, 0.0}, {NYC, 0.5}}), FRA, RegionPolicy.UNRESTRICTED, IDLE));
        BridgeSelection.Selected unmapped = selected(selection.select(
                bridges(new double[][]{{NONE, 0.4}, {NYC, 0.9}, {NONE, 0.1}}), FRA, RegionPolicy.UNRESTRICTED, IDLE));

        assertThat(mapped.index()).isEqualTo(1);
        assertThat(unmapped.index()).isEqualTo(2);
        assertThat(unmapped.dataCenter()).isEqualTo(NONE);
        assertThat(unmapped.reason()).isEqualTo(BridgeSelection.Reason.UNMAPPED_REGION);
    }

    @Test
    void shouldRejectASnapshotOfAnotherModel() {
        CapacitySnapshot other = CapacitySnapshot.idle(TestModels.world(5), 1.0);

        assertThatThrownBy(() -> selection.select(bridges(new double[][]{{FRA, 0.0}}), FRA, BLOCK_CN, other))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectImpossibleStress() {
        BridgeSelection.Bridges.Builder b = BridgeSelection.Bridges.builder(1);

        assertThatThrownBy(() -> b.add(FRA, Double.NaN, true, false, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.add(FRA, -0.1, true, false, false)).isInstanceOf(IllegalArgumentException.class);
    }
}
