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
import net.jqwik.api.statistics.Statistics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The join rule's promises over random worlds and meetings: never a forbidden or ineligible data
 * center, never over room, deterministic whatever the order of the sites, nobody else moved, and the
 * same answer as an oracle that applies the rule by brute force over every data center with worst
 * pairs computed over explicit participant lists, on small meetings and on meetings of thousands.
 */
class JoinPlacementPropertiesTest {

    private final JoinPlacement placement = new JoinPlacement(LiveMeetingCases.ACCESS);

    @Provide
    Arbitrary<Case> small() {
        return Combinators.combine(Arbitraries.integers().between(0, 9), Arbitraries.integers().between(1, 7),
                        Arbitraries.longs())
                .as((members, spread, seed) -> LiveMeetingCases.random(new Random(seed), 7, members, spread));
    }

    /** Meetings of thousands over up to 6 data centers. */
    @Provide
    Arbitrary<Case> large() {
        return Combinators.combine(Arbitraries.integers().between(1_000, 5_000), Arbitraries.longs())
                .as((members, seed) -> LiveMeetingCases.random(new Random(seed), 9, members, 6));
    }

    private JoinOutcome place(Case c) {
        return placement.place(c.joining(), c.sites(), c.policy(), c.snapshot(), c.options());
    }

    @Property(tries = 2000)
    void shouldAgreeWithTheRuleAppliedByBruteForce(@ForAll("small") Case c) {
        assertAgreesWithOracle(c);
    }

    /** The aggregates stand for the participants: a meeting of thousands gets the oracle's answer too. */
    @Property(tries = 40)
    void shouldAgreeWithTheOracleOnMeetingsOfThousands(@ForAll("large") Case c) {
        assertAgreesWithOracle(c);
    }

    private void assertAgreesWithOracle(Case c) {
        JoinOutcome outcome = place(c);
        Expected expected = oracle(c);
        Statistics.label("outcome").collect(outcome.getClass().getSimpleName()
                + (outcome instanceof JoinOutcome.Placed p ? (p.openedDataCenter() ? " opened" : " joined") : ""));
        switch (expected.kind) {
            case "region" -> assertThat(outcome).isInstanceOf(JoinOutcome.NoPermittedRegion.class);
            case "capacity" -> assertThat(outcome).isInstanceOf(JoinOutcome.NoPermittedCapacity.class);
            default -> {
                assertThat(outcome).isInstanceOf(JoinOutcome.Placed.class);
                JoinOutcome.Placed placed = (JoinOutcome.Placed) outcome;
                assertThat(placed.dataCenter()).isEqualTo(expected.dataCenter);
                assertThat(placed.openedDataCenter()).isEqualTo(expected.opened);
                assertThat(placed.worstPairMs()).isCloseTo(expected.worstPair, within(1e-6));
                DataCenter dc = c.model().dataCenter(c.model().indexOf(expected.dataCenter));
                assertThat(placed.rttMs()).isEqualTo(LiveMeetingCases.rtt(c.joining(), dc));
                assertThat(placed.region()).isEqualTo(dc.region());
            }
        }
    }

    @Property(tries = 1000)
    void shouldNeverPickAForbiddenIneligibleOrFullDataCenter(@ForAll("small") Case c) {
        JoinOutcome outcome = place(c);
        boolean anyPermitted = c.model().dataCenters().stream().anyMatch(dc -> c.policy().permits(dc.region()));
        boolean anyTakes = false;
        for (int i = 0; i < c.model().size(); i++) {
            anyTakes |= LiveMeetingCases.takesJoins(c, i);
        }
        if (outcome instanceof JoinOutcome.Placed placed) {
            int i = c.model().indexOf(placed.dataCenter());
            assertThat(c.policy().permits(placed.region())).isTrue();
            assertThat(LiveMeetingCases.takesJoins(c, i)).as("%s takes joins", placed.dataCenter()).isTrue();
            int held = c.reserved().getOrDefault(placed.dataCenter(), 0);
            assertThat(placed.usedReservedPlace()).isEqualTo(held > 0);
            if (!placed.usedReservedPlace()) {
                assertThat(c.snapshot().headroom(i)).as("headroom taken").isPositive();
            }
        } else if (outcome instanceof JoinOutcome.NoPermittedRegion refused) {
            assertThat(anyPermitted).isFalse();
            assertThat(refused.excluded()).hasSize(c.model().size());
        } else {
            assertThat(anyPermitted).isTrue();
            assertThat(anyTakes).as("refused only when no data center takes joins").isFalse();
            assertThat(((JoinOutcome.NoPermittedCapacity) outcome).excluded()).hasSize(c.model().size());
        }
    }

    @Property(tries = 500)
    void shouldAnswerTheSameWhateverTheOrderOfTheSites(@ForAll("small") Case c, @ForAll long shuffle) {
        MeetingSites sites = c.sites();
        List<MeetingSites.Site> shuffled = new ArrayList<>(sites.sites());
        Collections.shuffle(shuffled, new Random(shuffle));
        Optional<MeetingSites.Cascade> cascade = sites.cascade().map(k -> {
            List<MeetingSites.Link> links = new ArrayList<>(k.links());
            Collections.shuffle(links, new Random(shuffle));
            return new MeetingSites.Cascade(k.primary(), links);
        });
        JoinOutcome first = place(c);
        assertThat(placement.place(c.joining(), new MeetingSites(shuffled, cascade), c.policy(), c.snapshot(),
                c.options())).isEqualTo(first);
        assertThat(place(c)).isEqualTo(first);
    }

    /**
     * Only the joiner is placed: the aggregates after the join are those of the old members plus the
     * joiner, every other site unchanged, and the joiner's worst pair on the meeting's cascade after
     * the join is the one the placement promised.
     */
    @Property(tries = 1000)
    void shouldMoveNobodyElseAndKeepItsPromiseOnTheCascadeAfterTheJoin(@ForAll("small") Case c) {
        if (!(place(c) instanceof JoinOutcome.Placed placed)) {
            return;
        }
        MeetingSites before = c.sites();
        MeetingSites after = before.withJoin(placed.dataCenter(), placed.rttMs());
        List<Member> members = new ArrayList<>(c.members());
        members.add(new Member(c.joining().id(), placed.dataCenter(), placed.rttMs()));
        java.util.Map<String, Integer> reserved = new java.util.TreeMap<>(c.reserved());
        reserved.computeIfPresent(placed.dataCenter(), (k, v) -> v - 1);
        MeetingSites explicit = LiveMeetingCases.sites(members, reserved, after.cascade());
        assertThat(after.sites()).hasSameSizeAs(explicit.sites());
        for (int i = 0; i < after.sites().size(); i++) {
            MeetingSites.Site got = after.sites().get(i);
            MeetingSites.Site want = explicit.sites().get(i);
            assertThat(got.dataCenter()).isEqualTo(want.dataCenter());
            assertThat(got.participants()).isEqualTo(want.participants());
            assertThat(got.top1RttMs()).isEqualTo(want.top1RttMs());
            assertThat(got.top2RttMs()).isEqualTo(want.top2RttMs());
            assertThat(got.rttSumMs()).isCloseTo(want.rttSumMs(), within(1e-6));
            assertThat(got.reservedPlaces()).isEqualTo(want.reservedPlaces());
            if (!got.dataCenter().equals(placed.dataCenter())) {
                assertThat(Optional.of(got)).isEqualTo(before.site(got.dataCenter()));
            }
        }
        assertThat(after.participants()).isEqualTo(before.participants() + 1);
        assertThat(after.cascade().isPresent()).isEqualTo(before.cascade().isPresent() && !placed.openedDataCenter());
        MeetingTopology topology = MeetingTopology.of(after, c.model());
        ExplicitTree tree = LiveMeetingCases.fixedTree(topology.cascade().orElseThrow(), members);
        if (!c.members().isEmpty() && (placed.openedDataCenter() || before.cascade().isPresent())) {
            // the cascade the joiner is on afterwards is the one it was placed for
            assertThat(LiveMeetingCases.worstPairOf(c.joining().id(), placed.dataCenter(), placed.rttMs(), members, tree,
                    c.model())).isCloseTo(placed.worstPairMs(), within(1e-6));
        }
        assertThat(topology.summary().worstPairLatencyMs())
                .isCloseTo(LiveMeetingCases.worstPair(members, tree, c.model()), within(1e-6));
    }

    /** What the rule says, by brute force. */
    record Expected(String kind, String dataCenter, boolean opened, double worstPair) {
    }

    private static final double EPS = 1e-9;

    /**
     * The rule over every data center of the model, each worst pair computed by scanning the
     * explicit members through the tree (the fixed cascade, or the best tree of the explicit
     * lists; for a data center to open, the best tree with the joiner on it).
     */
    static Expected oracle(Case c) {
        DataCenterModel model = c.model();
        List<Integer> candidates = new ArrayList<>();
        boolean anyPermitted = false;
        for (int i = 0; i < model.size(); i++) {
            anyPermitted |= c.policy().permits(model.dataCenter(i).region());
            if (LiveMeetingCases.takesJoins(c, i)) {
                candidates.add(i);
            }
        }
        if (!anyPermitted) {
            return new Expected("region", null, false, 0);
        }
        if (candidates.isEmpty()) {
            return new Expected("capacity", null, false, 0);
        }
        Participant p = c.joining();
        List<Member> members = c.members();
        if (members.isEmpty()) {
            int best = -1;
            for (int i : candidates) {
                if (best < 0 || LiveMeetingCases.rtt(p, model.dataCenter(i)) < LiveMeetingCases.rtt(p, model.dataCenter(best)) - EPS) {
                    best = i;
                }
            }
            return new Expected("placed", model.dataCenter(best).id(), true, 0);
        }
        ExplicitTree tree = c.cascade().map(k -> LiveMeetingCases.fixedTree(k, members))
                .orElseGet(() -> LiveMeetingCases.bestTree(model, members));
        int b = -1;
        double wb = 0;
        double rb = 0;
        List<int[]> open = new ArrayList<>();
        List<double[]> openKeys = new ArrayList<>();
        for (int i : candidates) {
            DataCenter dc = model.dataCenter(i);
            double r = LiveMeetingCases.rtt(p, dc);
            if (tree.ids().contains(dc.id())) {
                double w = LiveMeetingCases.worstPairOf(p.id(), dc.id(), r, members, tree, model);
                if (b < 0 || w < wb - EPS || (w <= wb + EPS && r < rb - EPS)) {
                    b = i;
                    wb = w;
                    rb = r;
                }
            } else {
                List<Member> with = new ArrayList<>(members);
                with.add(new Member(p.id(), dc.id(), r));
                ExplicitTree opened = LiveMeetingCases.bestTree(model, with);
                open.add(new int[]{i});
                openKeys.add(new double[]{r, LiveMeetingCases.worstPairOf(p.id(), dc.id(), r, with, opened, model)});
            }
        }
        double threshold = b < 0 ? Double.POSITIVE_INFINITY : wb - c.options().cascadeMinGainMs();
        int o = -1;
        double ro = 0;
        double wo = 0;
        for (int k = 0; k < open.size(); k++) {
            double r = openKeys.get(k)[0];
            double w = openKeys.get(k)[1];
            if (w > threshold + EPS) {
                continue;
            }
            if (o < 0 || r < ro - EPS || (r <= ro + EPS && w < wo - EPS)) {
                o = open.get(k)[0];
                ro = r;
                wo = w;
            }
        }
        if (o >= 0) {
            return new Expected("placed", model.dataCenter(o).id(), true, wo);
        }
        return new Expected("placed", model.dataCenter(b).id(), false, wb);
    }
}
