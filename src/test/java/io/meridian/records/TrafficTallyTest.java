package io.meridian.records;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** What the traffic report counts (TrafficTally), record kind by record kind. */
class TrafficTallyTest {

    private static int next;

    private static RoutingRecord record(String meeting, String strategy, RoutingRecord.Kind kind, String blocked,
                                        RoutingRecord.Site... sites) {
        int participants = 0;
        TreeSet<String> regions = new TreeSet<>();
        for (RoutingRecord.Site s : sites) {
            participants += s.participants();
            regions.add(s.region());
        }
        if (strategy.equals(RoutingRecord.BRIDGE_SELECTION)) {
            // a selection places its one participant, on a bridge of no known data center too
            participants = 1;
        }
        return new RoutingRecord(PlanIds.next(1_700_000_000_000L + next++), 1_700_000_000_000L, "acme", meeting, strategy,
                participants, List.of(sites), regions, blocked == null ? new TreeSet<>() : new TreeSet<>(List.of(blocked)),
                Optional.empty(), List.of("request"), null, 0, kind, Optional.empty());
    }

    private static RoutingRecord.Site site(String region, int participants, boolean primary) {
        return new RoutingRecord.Site(region.toLowerCase() + "-1", region, participants, primary);
    }

    @Test
    void plansJoinsAndMovesPlacePeopleLeavesAndEndsDoNot() {
        TrafficTally tally = new TrafficTally();
        tally.add(record("m1", "CASCADE", RoutingRecord.Kind.PLAN, null, site("EU", 3, true), site("US", 1, false)));
        tally.add(record("m1", "SINGLE", RoutingRecord.Kind.JOIN, null, site("EU", 1, true)));
        tally.add(record("m1", "SINGLE", RoutingRecord.Kind.MOVE, null, site("US", 1, true)));
        tally.add(record("m1", "SINGLE", RoutingRecord.Kind.LEAVE, null, site("EU", 1, true)));
        tally.add(record("m1", "SINGLE", RoutingRecord.Kind.END, null, site("EU", 4, true)));
        tally.add(record("m1", "SINGLE", RoutingRecord.Kind.DISCONNECT, "EU", site("EU", 1, true)));

        assertThat(tally.totals()).isEqualTo(new TrafficTally.Totals(1, 6, 1, 0, 0, 1));
        assertThat(tally.byRegion()).containsExactly(new TrafficTally.RegionTotals("EU", 4, 1),
                new TrafficTally.RegionTotals("US", 2, 1));
    }

    @Test
    void meetingsAreDistinctIdsAndAPlanWithoutOneIsAMeetingOfItsOwn() {
        TrafficTally tally = new TrafficTally();
        tally.add(record("m1", "SINGLE", RoutingRecord.Kind.PLAN, null, site("EU", 2, true)));
        tally.add(record("m1", "SINGLE", RoutingRecord.Kind.PLAN, null, site("US", 2, true)));
        tally.add(record(null, "SINGLE", RoutingRecord.Kind.PLAN, null, site("EU", 1, true)));
        tally.add(record(null, "SINGLE", RoutingRecord.Kind.PLAN, null, site("EU", 1, true)));

        assertThat(tally.totals().meetings()).isEqualTo(3);
        assertThat(tally.byRegion()).containsExactly(new TrafficTally.RegionTotals("EU", 4, 3),
                new TrafficTally.RegionTotals("US", 2, 1));
    }

    @Test
    void aBridgeSelectionIsAMeetingOnlyWhenItChoseAConferencesFirstBridge() {
        TrafficTally tally = new TrafficTally();
        tally.add(record(null, RoutingRecord.BRIDGE_SELECTION, RoutingRecord.Kind.PLAN, null, site("EU", 1, true)));
        tally.add(record(null, RoutingRecord.BRIDGE_SELECTION, RoutingRecord.Kind.PLAN, null, site("EU", 1, false)));
        tally.add(record(null, RoutingRecord.BRIDGE_SELECTION, RoutingRecord.Kind.PLAN, null));

        assertThat(tally.totals()).isEqualTo(new TrafficTally.Totals(0, 3, 1, 0, 3, 0));
        assertThat(tally.byRegion()).containsExactly(new TrafficTally.RegionTotals("EU", 2, 1));
    }

    @Test
    void aPlacingRecordInABlockedRegionIsAViolationALeavingOneIsNot() {
        TrafficTally tally = new TrafficTally();
        tally.add(record("m1", "SINGLE", RoutingRecord.Kind.PLAN, "EU", site("EU", 1, true)));
        tally.add(record("m1", "SINGLE", RoutingRecord.Kind.LEAVE, "EU", site("EU", 1, true)));

        assertThat(tally.totals().policyViolations()).isEqualTo(1);
    }

    @Test
    void regionsSortByParticipantsThenCode() {
        TrafficTally tally = new TrafficTally();
        tally.add(record("m1", "CASCADE", RoutingRecord.Kind.PLAN, null, site("US", 2, true), site("EU", 2, false),
                site("JP", 5, false)));

        assertThat(tally.byRegion()).extracting(TrafficTally.RegionTotals::region).containsExactly("JP", "EU", "US");
    }
}
