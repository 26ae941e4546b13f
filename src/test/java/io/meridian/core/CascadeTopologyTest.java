package io.meridian.core;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The chosen cascade tree against every spanning tree of small site sets. */
class CascadeTopologyTest {

    /** Sites at real places with a worst participant RTT and, for some, a second participant. */
    record Sites(List<GeoPoint> places, double[] top1, double[] pairSum) {
        @Override
        public String toString() {
            return places + " top1=" + Arrays.toString(top1) + " pairSum=" + Arrays.toString(pairSum);
        }
    }

    @Provide
    Arbitrary<Sites> sites() {
        return sites(1, 7);
    }

    /** Sites as above, but up to 14 of them: too many for the brute force, not for the plain search. */
    @Provide
    Arbitrary<Sites> manySites() {
        return sites(4, 14);
    }

    private static Arbitrary<Sites> sites(int min, int max) {
        Arbitrary<GeoPoint> point = Combinators.combine(Arbitraries.doubles().between(-60, 70).ofScale(2),
                Arbitraries.doubles().between(-180, 180).ofScale(2)).as(GeoPoint::new);
        return Arbitraries.integers().between(min, max).flatMap(n -> Combinators.combine(
                point.list().ofSize(n),
                Arbitraries.doubles().between(1, 120).ofScale(1).list().ofSize(n),
                Arbitraries.doubles().between(0, 1).ofScale(2).list().ofSize(n)).as((places, top, second) -> {
            double[] top1 = top.stream().mapToDouble(Double::doubleValue).toArray();
            double[] pair = new double[n];
            for (int i = 0; i < n; i++) {
                pair[i] = second.get(i) < 0.3 ? Double.NEGATIVE_INFINITY : top1[i] + top1[i] * second.get(i);
            }
            return new Sites(places, top1, pair);
        }));
    }

    private static CascadeTopology.Links links(List<GeoPoint> places) {
        return (a, b) -> LatencyModel.BACKBONE.rttMs(places.get(a), places.get(b));
    }

    @Property(tries = 300)
    void shouldFindTheSpanningTreeWithTheSmallestWorstPairLatency(@ForAll("sites") Sites s) {
        int n = s.places().size();
        CascadeTopology.Tree tree = CascadeTopology.best(n, s.top1(), s.pairSum(), links(s.places()));
        assertThat(tree.links()).hasSize(n - 1);
        double measured = worstPair(n, tree.links(), s, links(s.places()));
        assertThat(tree.worstPair()).as("reported = measured on the tree").isCloseTo(measured, within(1e-6));
        assertThat(tree.worstPair()).isCloseTo(bruteForceBest(n, s), within(1e-6));
    }

    /** Skipping the hub pairs that cannot win changes nothing: the same hub, links and worst pair. */
    @Property(tries = 500)
    void pruningShouldChooseExactlyWhatThePlainSearchChooses(@ForAll("manySites") Sites s) {
        int n = s.places().size();
        CascadeTopology.Tree pruned = CascadeTopology.best(n, s.top1(), s.pairSum(), links(s.places()), true);
        CascadeTopology.Tree plain = CascadeTopology.best(n, s.top1(), s.pairSum(), links(s.places()), false);
        assertThat(pruned.primary()).isEqualTo(plain.primary());
        assertThat(pruned.worstPair()).isEqualTo(plain.worstPair());
        assertThat(pruned.links()).usingElementComparator(java.util.Comparator.comparing(Arrays::toString))
                .containsExactlyElementsOf(plain.links());
    }

    /**
     * The pruning does prune: over many site sets it searches far fewer hub pairs than the plain
     * search (which searches them all), while choosing the same trees (property above).
     */
    @Example
    void pruningShouldSkipManyHubPairs() {
        Arbitrary<Sites> sets = sites(8, 12);
        long pruned = 0;
        long plain = 0;
        java.util.Random random = new java.util.Random(8);
        for (int i = 0; i < 200; i++) {
            Sites s = sets.generator(100).next(random).value();
            int n = s.places().size();
            pruned += CascadeTopology.best(n, s.top1(), s.pairSum(), links(s.places()), true).searched();
            plain += CascadeTopology.best(n, s.top1(), s.pairSum(), links(s.places()), false).searched();
        }
        assertThat(plain).isPositive();
        assertThat(pruned).as("hub pairs searched with pruning, of %d", plain).isLessThan(plain * 3 / 4);
    }

    @Example
    void twoClustersShouldGetTwoHubs() {
        // three sites in Europe, three in North America: a star would send US-US traffic via Europe
        List<GeoPoint> places = List.of(new GeoPoint(50.11, 8.68), new GeoPoint(52.37, 4.90), new GeoPoint(53.35, -6.26),
                new GeoPoint(37.34, -121.89), new GeoPoint(40.71, -74.01), new GeoPoint(39.04, -77.49));
        double[] top1 = {10, 10, 10, 10, 10, 10};
        double[] pair = new double[6];
        Arrays.fill(pair, Double.NEGATIVE_INFINITY);
        CascadeTopology.Tree tree = CascadeTopology.best(6, top1, pair, links(places));
        long transatlantic = tree.links().stream().filter(l -> (l[0] < 3) != (l[1] < 3)).count();
        assertThat(transatlantic).isEqualTo(1);
    }

    /** Worst latency between two participants over a tree given as links. */
    static double worstPair(int n, List<int[]> edges, Sites s, CascadeTopology.Links links) {
        double[][] d = paths(n, edges, links);
        double worst = 0;
        for (int a = 0; a < n; a++) {
            worst = Math.max(worst, s.pairSum()[a]);
            for (int b = a + 1; b < n; b++) {
                worst = Math.max(worst, s.top1()[a] + d[a][b] + s.top1()[b]);
            }
        }
        return worst;
    }

    /** Path lengths between every two nodes of a graph given as edges (Floyd–Warshall). */
    static double[][] paths(int n, List<int[]> edges, CascadeTopology.Links links) {
        double[][] d = new double[n][n];
        for (double[] row : d) {
            Arrays.fill(row, Double.POSITIVE_INFINITY);
        }
        for (int i = 0; i < n; i++) {
            d[i][i] = 0;
        }
        for (int[] e : edges) {
            d[e[0]][e[1]] = d[e[1]][e[0]] = links.rtt(e[0], e[1]);
        }
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    d[i][j] = Math.min(d[i][j], d[i][k] + d[k][j]);
                }
            }
        }
        return d;
    }

    /** Every labelled tree on n nodes through its Prüfer sequence (n^(n-2) trees). */
    static double bruteForceBest(int n, Sites s) {
        if (n <= 2) {
            List<int[]> edges = n == 2 ? List.of(new int[]{0, 1}) : List.of();
            return worstPair(n, edges, s, links(s.places()));
        }
        int[] seq = new int[n - 2];
        double best = Double.POSITIVE_INFINITY;
        while (true) {
            best = Math.min(best, worstPair(n, decode(seq, n), s, links(s.places())));
            int i = 0;
            while (i < seq.length && ++seq[i] == n) {
                seq[i++] = 0;
            }
            if (i == seq.length) {
                return best;
            }
        }
    }

    private static List<int[]> decode(int[] seq, int n) {
        int[] degree = new int[n];
        Arrays.fill(degree, 1);
        for (int v : seq) {
            degree[v]++;
        }
        List<int[]> edges = new ArrayList<>();
        for (int v : seq) {
            for (int leaf = 0; leaf < n; leaf++) {
                if (degree[leaf] == 1) {
                    edges.add(new int[]{leaf, v});
                    degree[leaf]--;
                    degree[v]--;
                    break;
                }
            }
        }
        int u = -1;
        for (int i = 0; i < n; i++) {
            if (degree[i] == 1) {
                if (u < 0) {
                    u = i;
                } else {
                    edges.add(new int[]{u, i});
                }
            }
        }
        return edges;
    }
}
