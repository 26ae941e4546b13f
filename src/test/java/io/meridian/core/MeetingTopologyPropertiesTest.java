package io.meridian.core;

import io.meridian.core.LiveMeetingCases.Case;
import io.meridian.core.LiveMeetingCases.ExplicitTree;
import io.meridian.core.LiveMeetingCases.Member;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A live meeting's cascade and summary from its aggregates against the same from explicit lists. */
class MeetingTopologyPropertiesTest {

    @Provide
    Arbitrary<Case> meetings() {
        return Combinators.combine(Arbitraries.integers().between(0, 12), Arbitraries.integers().between(1, 7),
                        Arbitraries.longs())
                .as((members, spread, seed) -> LiveMeetingCases.random(new Random(seed), 7, members, spread));
    }

    @Property(tries = 1000)
    void shouldDescribeTheMeetingItsParticipantsMake(@ForAll("meetings") Case c) {
        List<Member> members = c.members();
        MeetingTopology t = MeetingTopology.of(c.sites(), c.model());
        if (members.isEmpty()) {
            assertThat(t.primary()).isEmpty();
            assertThat(t.cascadeLinks()).isEmpty();
            assertThat(t.dataCenters()).isEmpty();
            return;
        }
        TreeSet<String> used = new TreeSet<>(members.stream().map(Member::dataCenter).toList());
        assertThat(t.dataCenters()).extracting(RoutingPlan.DataCenterUse::id).containsExactlyElementsOf(used);
        for (RoutingPlan.DataCenterUse use : t.dataCenters()) {
            assertThat(use.participants()).isEqualTo((int) members.stream()
                    .filter(m -> m.dataCenter().equals(use.id())).count());
            assertThat(use.primary()).isEqualTo(t.primary().orElseThrow().equals(use.id()));
        }
        assertThat(t.regionsUsed()).containsExactlyElementsOf(new TreeSet<>(t.dataCenters().stream()
                .map(RoutingPlan.DataCenterUse::region).toList()));
        assertThat(t.cascadeLinks()).hasSize(used.size() - 1).isSortedAccordingTo(
                Comparator.comparing(RoutingPlan.CascadeLink::from).thenComparing(RoutingPlan.CascadeLink::to));
        // the tree is the fixed cascade, else the one the explicit lists give
        ExplicitTree expected = c.cascade().map(k -> LiveMeetingCases.fixedTree(k, members))
                .orElseGet(() -> LiveMeetingCases.bestTree(c.model(), members));
        assertThat(t.cascadeLinks()).extracting(l -> sorted(l.from(), l.to()))
                .containsExactlyInAnyOrderElementsOf(expected.links().stream().map(l -> sorted(l[0], l[1])).toList());
        for (RoutingPlan.CascadeLink l : t.cascadeLinks()) {
            assertThat(l.rttMs()).isEqualTo(c.model().linkRttMs(c.model().indexOf(l.from()), c.model().indexOf(l.to())));
        }
        double max = members.stream().mapToDouble(Member::rttMs).max().orElseThrow();
        double mean = members.stream().mapToDouble(Member::rttMs).average().orElseThrow();
        assertThat(t.summary().maxRttMs()).isEqualTo(max);
        assertThat(t.summary().meanRttMs()).isCloseTo(mean, within(1e-9));
        assertThat(t.summary().worstPairLatencyMs())
                .isCloseTo(LiveMeetingCases.worstPair(members, expected, c.model()), within(1e-6));
        // the cascade handed out is the one described, and fixing it changes nothing
        MeetingTopology again = MeetingTopology.of(c.sites().withCascade(t.cascade().orElseThrow()), c.model());
        assertThat(again).isEqualTo(t);
    }

    private static String sorted(String a, String b) {
        return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
    }
}
