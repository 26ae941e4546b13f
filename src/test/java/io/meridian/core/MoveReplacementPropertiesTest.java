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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Re-placement of the movers of a live meeting over random worlds: never a forbidden, ineligible or
 * left data center, never over room, as many placed as room allows, the least total cost among
 * those placements (a brute-force oracle over every choice of every mover, with costs computed from
 * explicit participant lists), deterministic whatever the order of the movers.
 */
class MoveReplacementPropertiesTest {

    private final MoveReplacement replacement = new MoveReplacement(LiveMeetingCases.ACCESS);

    /** A meeting keeping {@code case.members()} and re-placing the movers. */
    record Situation(Case meeting, List<MoveReplacement.Mover> movers) {
        @Override
        public String toString() {
            return meeting + "\n  movers=" + movers;
        }
    }

    @Provide
    Arbitrary<Situation> situations() {
        return Combinators.combine(Arbitraries.integers().between(0, 8), Arbitraries.integers().between(1, 7),
                Arbitraries.integers().between(1, 6), Arbitraries.longs()).as((kept, spread, movers, seed) -> {
                    Random random = new Random(seed);
                    Case c = LiveMeetingCases.random(random, 7, kept, spread);
                    if (random.nextBoolean()) {
                        c = tight(c, random);
                    }
                    List<MoveReplacement.Mover> list = new ArrayList<>();
                    List<Participant> sameAsBefore = new ArrayList<>();
                    for (int i = 0; i < movers; i++) {
                        Participant p;
                        if (!sameAsBefore.isEmpty() && random.nextInt(3) == 0) {
                            // a second participant at the same place: interchangeable with the first
                            Participant twin = sameAsBefore.get(random.nextInt(sameAsBefore.size()));
                            p = new Participant("mover-" + i, twin.location(), twin.measuredRttMs());
                        } else {
                            Map<String, Double> measured = random.nextInt(4) == 0
                                    ? Map.of("dc-" + random.nextInt(c.model().size()), 1 + random.nextInt(2000) / 10.0)
                                    : Map.of();
                            p = new Participant("mover-" + i, LiveMeetingCases.point(random), measured);
                        }
                        sameAsBefore.add(p);
                        String from = random.nextInt(5) == 0 ? "gone" : "dc-" + random.nextInt(c.model().size());
                        list.add(new MoveReplacement.Mover(p, from));
                    }
                    return new Situation(c, list);
                });
    }

    /** The same case with every data center within a few places of full, so that movers compete. */
    private static Case tight(Case c, Random random) {
        Map<String, DataCenterState> states = new HashMap<>();
        for (int i = 0; i < c.model().size(); i++) {
            DataCenter dc = c.model().dataCenter(i);
            DataCenterState s = c.snapshot().state(i);
            int load = Math.max(0, c.snapshot().usableCapacity(dc) - s.reserved() - random.nextInt(3));
            states.put(dc.id(), new DataCenterState(s.status(), load, s.reserved(), s.lastReportAt(), s.stale()));
        }
        CapacitySnapshot snapshot = new CapacitySnapshot(c.model(), c.snapshot().maxUtilization(), states);
        return new Case(c.model(), snapshot, c.policy(), c.members(), c.reserved(), c.cascade(), c.joining(),
                c.options());
    }

    private MoveReplacement.Outcome run(Situation s) {
        Case c = s.meeting();
        return replacement.replace(s.movers(), c.sites(), c.policy(), c.snapshot(), c.options());
    }

    private static Set<String> leaving(Situation s) {
        Set<String> from = new HashSet<>();
        s.movers().forEach(m -> from.add(m.from()));
        return from;
    }

    private static boolean candidate(Situation s, int i) {
        return LiveMeetingCases.takesJoins(s.meeting(), i) && !leaving(s).contains(s.meeting().model().dataCenter(i).id());
    }

    private static int room(Case c, int i) {
        return c.snapshot().headroom(i) + c.reserved().getOrDefault(c.model().dataCenter(i).id(), 0);
    }

    @Property(tries = 1500)
    void shouldPlaceTheMostMoversAtTheLeastCostWithinRoom(@ForAll("situations") Situation s) {
        Case c = s.meeting();
        DataCenterModel model = c.model();
        MoveReplacement.Outcome outcome = run(s);
        assertThat(outcome.moves()).extracting(MoveReplacement.Move::participantId)
                .containsExactlyElementsOf(s.movers().stream().map(m -> m.participant().id()).sorted().toList());
        Map<String, MoveReplacement.Mover> byId = new HashMap<>();
        s.movers().forEach(m -> byId.put(m.participant().id(), m));
        double[][] cost = costs(s);
        List<Integer> candidates = candidates(s);
        Map<String, Integer> arrivals = new HashMap<>();
        double total = 0;
        int placed = 0;
        boolean anyPermitted = model.dataCenters().stream().anyMatch(dc -> c.policy().permits(dc.region()));
        List<MoveReplacement.Mover> sorted = s.movers().stream()
                .sorted(java.util.Comparator.comparing(m -> m.participant().id())).toList();
        for (int i = 0; i < sorted.size(); i++) {
            MoveReplacement.Move move = outcome.moves().get(i);
            assertThat(move.from()).isEqualTo(sorted.get(i).from());
            if (move instanceof MoveReplacement.Moved moved) {
                int k = model.indexOf(moved.to());
                assertThat(candidate(s, k)).as("%s may take movers", moved.to()).isTrue();
                assertThat(c.policy().permits(moved.region())).isTrue();
                assertThat(moved.rttMs()).isEqualTo(LiveMeetingCases.rtt(sorted.get(i).participant(), model.dataCenter(k)));
                arrivals.merge(moved.to(), 1, Integer::sum);
                total += cost[i][candidates.indexOf(k)];
                placed++;
            } else {
                MoveReplacement.Disconnected gone = (MoveReplacement.Disconnected) move;
                assertThat(gone.reason()).isEqualTo(anyPermitted ? MoveReplacement.DisconnectReason.NO_PERMITTED_CAPACITY
                        : MoveReplacement.DisconnectReason.NO_PERMITTED_REGION);
            }
        }
        arrivals.forEach((dc, n) -> assertThat(n).as("%s within room", dc)
                .isLessThanOrEqualTo(room(c, model.indexOf(dc))));
        assertThat(outcome.arrivals()).isEqualTo(arrivals);
        int[] caps = candidates.stream().mapToInt(k -> room(c, k)).toArray();
        Best best = bruteForce(cost, caps);
        Statistics.label("movers placed").collect(placed == sorted.size() ? "all" : placed == 0 ? "none" : "some");
        assertThat(placed).as("as many as room allows").isEqualTo(best.placed);
        assertThat(total).as("the least total cost").isCloseTo(best.cost, within(1e-6));
    }

    /** The aggregates after the moves are the kept participants' plus the movers' on their new sites. */
    @Property(tries = 500)
    void shouldAddTheMoversToTheMeetingAndDescribeIt(@ForAll("situations") Situation s) {
        Case c = s.meeting();
        MoveReplacement.Outcome outcome = run(s);
        List<Member> members = new ArrayList<>(c.members());
        Map<String, Integer> reserved = new java.util.TreeMap<>(c.reserved());
        for (MoveReplacement.Move move : outcome.moves()) {
            if (move instanceof MoveReplacement.Moved moved) {
                members.add(new Member(moved.participantId(), moved.to(), moved.rttMs()));
                assertThat(moved.usedReservedPlace()).isEqualTo(reserved.getOrDefault(moved.to(), 0) > 0);
                reserved.computeIfPresent(moved.to(), (k, v) -> Math.max(0, v - 1));
            }
        }
        reserved.values().removeIf(v -> v == 0);
        MeetingSites expected = LiveMeetingCases.sites(members, reserved, java.util.Optional.empty());
        assertThat(outcome.after().sites()).hasSameSizeAs(expected.sites());
        for (int i = 0; i < expected.sites().size(); i++) {
            MeetingSites.Site got = outcome.after().sites().get(i);
            MeetingSites.Site want = expected.sites().get(i);
            assertThat(got.dataCenter()).isEqualTo(want.dataCenter());
            assertThat(got.participants()).isEqualTo(want.participants());
            assertThat(got.top1RttMs()).isEqualTo(want.top1RttMs());
            assertThat(got.top2RttMs()).isEqualTo(want.top2RttMs());
            assertThat(got.reservedPlaces()).isEqualTo(want.reservedPlaces());
        }
        if (!members.isEmpty()) {
            ExplicitTree tree = LiveMeetingCases.bestTree(c.model(), members);
            assertThat(outcome.topology().summary().worstPairLatencyMs())
                    .isCloseTo(LiveMeetingCases.worstPair(members, tree, c.model()), within(1e-6));
            assertThat(outcome.after().cascade()).isEqualTo(outcome.topology().cascade());
        }
    }

    @Property(tries = 500)
    void shouldAnswerTheSameWhateverTheOrderOfTheMovers(@ForAll("situations") Situation s, @ForAll long shuffle) {
        List<MoveReplacement.Mover> shuffled = new ArrayList<>(s.movers());
        Collections.shuffle(shuffled, new Random(shuffle));
        Case c = s.meeting();
        MoveReplacement.Outcome first = run(s);
        assertThat(replacement.replace(shuffled, c.sites(), c.policy(), c.snapshot(), c.options())).isEqualTo(first);
        assertThat(run(s)).isEqualTo(first);
    }

    private static List<Integer> candidates(Situation s) {
        List<Integer> list = new ArrayList<>();
        for (int i = 0; i < s.meeting().model().size(); i++) {
            if (candidate(s, i)) {
                list.add(i);
            }
        }
        return list;
    }

    /**
     * The cost of each mover (sorted by id) on each candidate, from the explicit lists: its RTT plus
     * the farthest kept participant through the kept tree, for a data center not used the best link
     * into the kept tree plus the gain; the RTT alone when nobody stays.
     */
    private static double[][] costs(Situation s) {
        Case c = s.meeting();
        DataCenterModel model = c.model();
        List<Integer> candidates = candidates(s);
        List<MoveReplacement.Mover> sorted = s.movers().stream()
                .sorted(java.util.Comparator.comparing(m -> m.participant().id())).toList();
        double[] offset = new double[candidates.size()];
        List<Member> kept = c.members();
        if (!kept.isEmpty()) {
            ExplicitTree tree = c.cascade().map(k -> LiveMeetingCases.fixedTree(k, kept))
                    .orElseGet(() -> LiveMeetingCases.bestTree(model, kept));
            double[][] d = tree.paths(model);
            double[] reach = new double[tree.ids().size()];
            for (int a = 0; a < reach.length; a++) {
                reach[a] = Double.NEGATIVE_INFINITY;
                for (Member q : kept) {
                    reach[a] = Math.max(reach[a], d[a][tree.ids().indexOf(q.dataCenter())] + q.rttMs());
                }
            }
            for (int k = 0; k < candidates.size(); k++) {
                String id = model.dataCenter(candidates.get(k)).id();
                int a = tree.ids().indexOf(id);
                if (a >= 0) {
                    offset[k] = reach[a];
                } else {
                    double best = Double.POSITIVE_INFINITY;
                    for (int t = 0; t < reach.length; t++) {
                        best = Math.min(best, model.linkRttMs(candidates.get(k), model.indexOf(tree.ids().get(t))) + reach[t]);
                    }
                    offset[k] = best + c.options().cascadeMinGainMs();
                }
            }
        }
        double[][] cost = new double[sorted.size()][candidates.size()];
        for (int i = 0; i < sorted.size(); i++) {
            for (int k = 0; k < candidates.size(); k++) {
                cost[i][k] = LiveMeetingCases.rtt(sorted.get(i).participant(), model.dataCenter(candidates.get(k)))
                        + offset[k];
            }
        }
        return cost;
    }

    /** The most movers placed within the capacities, and the least total cost of placing that many. */
    record Best(int placed, double cost) {
    }

    private static Best bruteForce(double[][] cost, int[] capacity) {
        return search(0, cost, capacity.clone(), 0, 0);
    }

    private static Best search(int i, double[][] cost, int[] room, int placed, double sofar) {
        if (i == cost.length) {
            return new Best(placed, sofar);
        }
        Best best = search(i + 1, cost, room, placed, sofar); // disconnected
        for (int k = 0; k < room.length; k++) {
            if (room[k] > 0) {
                room[k]--;
                Best b = search(i + 1, cost, room, placed + 1, sofar + cost[i][k]);
                room[k]++;
                if (b.placed > best.placed || (b.placed == best.placed && b.cost < best.cost)) {
                    best = b;
                }
            }
        }
        return best;
    }
}
