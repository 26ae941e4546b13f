package io.meridian.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Chooses how the data centers of a cascade are linked: the spanning tree that minimises the worst
 * participant-to-participant latency, {@code max over p, q of rtt(p) + path(dc(p), dc(q)) + rtt(q)}.
 *
 * <p>Rule: on a metric (backbone RTTs grow with distance and obey the triangle inequality), a
 * minimum-diameter spanning tree is a star or a double star whose two hubs are linked (Hassin and
 * Tamir, "On the minimum diameter spanning tree problem", Information Processing Letters 53, 1995).
 * With participants hanging off each site (weight = its worst participant RTT), the same holds for
 * the weighted diameter. We evaluate every star, and for up to {@value #MAX_DOUBLE_STAR_SITES} sites
 * every double star: for hubs h1, h2 the other sites are sorted by {@code link(a,h1) - link(a,h2)} and
 * every split (a prefix on h1, the rest on h2) is tried, which covers every tree centred on a point of
 * the h1-h2 link. Cost: O(U²) for the stars and O(U³ log U) for the double stars, U sites used.
 * Ties: the smaller total link RTT, then the lower hub indices.
 */
final class CascadeTopology {

    /** Above this many sites only stars are evaluated, keeping the search within O(U²). */
    static final int MAX_DOUBLE_STAR_SITES = 48;

    /** Link RTTs between sites, by site position in the {@code used} array. */
    interface Links {
        double rtt(int a, int b);
    }

    /**
     * @param primary   position of the primary site (the hub; of a double star, the first hub)
     * @param links     pairs of positions {from, to}
     * @param worstPair worst participant-to-participant latency through the tree (≥ 0)
     * @param searched  hub pairs whose double stars were searched (the rest were pruned or not tried)
     */
    record Tree(int primary, List<int[]> links, double worstPair, int searched) {
    }

    private CascadeTopology() {
    }

    /**
     * @param top1    per site, the worst participant RTT
     * @param pairSum per site, the worst latency between two of its own participants (-inf below two)
     */
    static Tree best(int sites, double[] top1, double[] pairSum, Links links) {
        return best(sites, top1, pairSum, links, true);
    }

    /** @param prune whether to skip hub pairs that cannot win (false: the plain search, for tests) */
    static Tree best(int sites, double[] top1, double[] pairSum, Links links, boolean prune) {
        if (sites == 1) {
            return new Tree(0, List.of(), Math.max(0, pairSum[0]), 0);
        }
        double within = Double.NEGATIVE_INFINITY;
        for (int a = 0; a < sites; a++) {
            within = Math.max(within, pairSum[a]);
        }
        double[][] l = new double[sites][sites];
        for (int a = 0; a < sites; a++) {
            for (int b = a + 1; b < sites; b++) {
                l[a][b] = l[b][a] = links.rtt(a, b);
            }
        }
        // stars
        int bestHub = -1;
        double bestWorst = Double.POSITIVE_INFINITY;
        double bestLength = Double.POSITIVE_INFINITY;
        for (int h = 0; h < sites; h++) {
            double first = Double.NEGATIVE_INFINITY;
            double second = Double.NEGATIVE_INFINITY;
            double length = 0;
            for (int a = 0; a < sites; a++) {
                double w = top1[a] + l[a][h];
                length += l[a][h];
                if (w > first) {
                    second = first;
                    first = w;
                } else if (w > second) {
                    second = w;
                }
            }
            double worst = Math.max(within, first + second);
            if (better(worst, length, bestWorst, bestLength)) {
                bestHub = h;
                bestWorst = worst;
                bestLength = length;
            }
        }
        Tree star = star(sites, bestHub, bestWorst);
        if (sites > MAX_DOUBLE_STAR_SITES || sites < 4) {
            // with three sites or fewer every spanning tree is a star
            return star;
        }
        int[] critical = critical(sites, bestHub, top1, l);
        int[] bestSplit = null;
        int searched = 0;
        int bestH1 = -1;
        int bestH2 = -1;
        int[] order = new int[sites - 2];
        double[] key = new double[sites];
        double[] prefixFirst = new double[sites - 1];
        double[] prefixSecond = new double[sites - 1];
        double[] prefixLength = new double[sites - 1];
        double[] pairBound = new double[sites * sites];
        Arrays.fill(pairBound, Double.NaN);
        for (int h1 = 0; h1 < sites; h1++) {
            for (int h2 = 0; h2 < sites; h2++) {
                if (h1 == h2) {
                    continue;
                }
                // every split of this pair has a pair through the hub link at least this long: when it
                // is worse than the best so far by more than the tie margin, no split can win or tie
                if (prune && top1[h1] + l[h1][h2] + top1[h2] > bestWorst + EPS) {
                    continue;
                }
                // the same for the sites farthest apart in the best star, whichever side they join,
                // and for every site: whichever side it joins, its worst participant meets the
                // participants of both hubs. Both bounds are symmetric in the hubs (the same sums,
                // taken in the same order): computed once per pair of hubs
                if (prune) {
                    int pair = Math.min(h1, h2) * sites + Math.max(h1, h2);
                    if (Double.isNaN(pairBound[pair])) {
                        pairBound[pair] = Math.max(criticalBound(critical, h1, h2, top1, l),
                                siteBound(sites, h1, h2, top1, l));
                    }
                    if (pairBound[pair] > bestWorst + 2 * EPS) {
                        continue;
                    }
                }
                searched++;
                int n = 0;
                for (int a = 0; a < sites; a++) {
                    if (a != h1 && a != h2) {
                        key[a] = l[a][h1] - l[a][h2];
                        order[n++] = a;
                    }
                }
                sortByKey(order, n, key);
                // prefix: hub h1 plus order[0..i) on h1; suffix: the rest on h2
                prefixFirst[0] = top1[h1];
                prefixSecond[0] = Double.NEGATIVE_INFINITY;
                prefixLength[0] = 0;
                for (int i = 0; i < n; i++) {
                    double w = top1[order[i]] + l[order[i]][h1];
                    double f = prefixFirst[i];
                    double s = prefixSecond[i];
                    if (w > f) {
                        s = f;
                        f = w;
                    } else if (w > s) {
                        s = w;
                    }
                    prefixFirst[i + 1] = f;
                    prefixSecond[i + 1] = s;
                    prefixLength[i + 1] = prefixLength[i] + l[order[i]][h1];
                }
                double sufFirst = top1[h2];
                double sufSecond = Double.NEGATIVE_INFINITY;
                double sufLength = 0;
                for (int i = n; i >= 0; i--) {
                    if (i < n) {
                        double w = top1[order[i]] + l[order[i]][h2];
                        if (w > sufFirst) {
                            sufSecond = sufFirst;
                            sufFirst = w;
                        } else if (w > sufSecond) {
                            sufSecond = w;
                        }
                        sufLength += l[order[i]][h2];
                    }
                    // h2's side must hold a site besides h2, or this is just the star on h1
                    if (i == n) {
                        continue;
                    }
                    double worst = Math.max(within, Math.max(prefixFirst[i] + prefixSecond[i],
                            Math.max(sufFirst + sufSecond, prefixFirst[i] + l[h1][h2] + sufFirst)));
                    double length = prefixLength[i] + sufLength + l[h1][h2];
                    if (better(worst, length, bestWorst, bestLength)) {
                        bestWorst = worst;
                        bestLength = length;
                        bestH1 = h1;
                        bestH2 = h2;
                        bestSplit = Arrays.copyOfRange(order, i, n);
                    }
                }
            }
        }
        if (bestSplit == null) {
            return new Tree(star.primary(), star.links(), star.worstPair(), searched);
        }
        boolean[] onSecond = new boolean[sites];
        for (int a : bestSplit) {
            onSecond[a] = true;
        }
        List<int[]> edges = new ArrayList<>();
        edges.add(new int[]{bestH1, bestH2});
        for (int a = 0; a < sites; a++) {
            if (a == bestH1 || a == bestH2) {
                continue;
            }
            edges.add(onSecond[a] ? new int[]{bestH2, a} : new int[]{bestH1, a});
        }
        return new Tree(bestH1, edges, Math.max(0, bestWorst), searched);
    }

    /** How many of the star's farthest sites {@link #criticalBound} looks at. */
    private static final int CRITICAL_SITES = 4;

    /** The sites whose participants are farthest from {@code hub} (through it), farthest first. */
    private static int[] critical(int sites, int hub, double[] top1, double[][] l) {
        int k = Math.min(CRITICAL_SITES, sites);
        int[] top = new int[k];
        double[] reach = new double[k];
        int n = 0;
        for (int a = 0; a < sites; a++) {
            double r = top1[a] + l[a][hub];
            int i = n < k ? n++ : k;
            while (i > 0 && reach[i - 1] < r) {
                if (i < k) {
                    top[i] = top[i - 1];
                    reach[i] = reach[i - 1];
                }
                i--;
            }
            if (i < k) {
                top[i] = a;
                reach[i] = r;
            }
        }
        return top;
    }

    /**
     * A lower bound on the worst pair of every double star on hubs {@code h1} and {@code h2}, in
     * O(1) instead of the O(U log U) search: each pair of the given sites is linked through the tree
     * whichever sides they join, so its cheapest placement bounds the tree's worst pair from below.
     * (A hub's side is fixed: its own. The caller's test allows for the rounding of a sum ordered
     * differently from the search's.)
     */
    private static double criticalBound(int[] sites, int h1, int h2, double[] top1, double[][] l) {
        double hubs = l[h1][h2];
        double bound = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < sites.length; i++) {
            int a = sites[i];
            double a1 = a == h2 ? Double.POSITIVE_INFINITY : top1[a] + l[a][h1];
            double a2 = a == h1 ? Double.POSITIVE_INFINITY : top1[a] + l[a][h2];
            for (int j = i + 1; j < sites.length; j++) {
                int b = sites[j];
                double b1 = b == h2 ? Double.POSITIVE_INFINITY : top1[b] + l[b][h1];
                double b2 = b == h1 ? Double.POSITIVE_INFINITY : top1[b] + l[b][h2];
                double cheapest = Math.min(Math.min(a1 + b1, a2 + b2), Math.min(a1 + hubs + b2, a2 + hubs + b1));
                bound = Math.max(bound, cheapest);
            }
        }
        return bound;
    }

    /**
     * A lower bound on the worst pair of every double star on hubs {@code h1} and {@code h2}, in
     * O(U): a site a on h1's side is linked to h1's own participants through h1 and to h2's through
     * the hub link, so its worst participant is at least
     * {@code top1[a] + l(a, h1) + max(top1[h1], l(h1, h2) + top1[h2])} away from someone, and
     * symmetrically on h2's side; the cheaper side bounds it.
     */
    private static double siteBound(int sites, int h1, int h2, double[] top1, double[][] l) {
        double hubs = l[h1][h2];
        double via1 = Math.max(top1[h1], hubs + top1[h2]);
        double via2 = Math.max(top1[h2], hubs + top1[h1]);
        double bound = Double.NEGATIVE_INFINITY;
        for (int a = 0; a < sites; a++) {
            if (a != h1 && a != h2) {
                bound = Math.max(bound, Math.min(top1[a] + l[a][h1] + via1, top1[a] + l[a][h2] + via2));
            }
        }
        return bound;
    }

    /**
     * Sorts {@code order[0..n)} by {@code key}, ties by position: the order the double-star search
     * defines. Insertion sort on primitives: n stays below {@value #MAX_DOUBLE_STAR_SITES}, and the
     * boxed comparator sort it replaces was a third of a small plan's engine time.
     */
    private static void sortByKey(int[] order, int n, double[] key) {
        for (int i = 1; i < n; i++) {
            int a = order[i];
            double k = key[a];
            int j = i - 1;
            int c;
            while (j >= 0 && ((c = Double.compare(key[order[j]], k)) > 0 || (c == 0 && order[j] > a))) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = a;
        }
    }

    private static Tree star(int sites, int hub, double worst) {
        List<int[]> edges = new ArrayList<>();
        for (int a = 0; a < sites; a++) {
            if (a != hub) {
                edges.add(new int[]{hub, a});
            }
        }
        return new Tree(hub, edges, Math.max(0, worst), 0);
    }

    private static final double EPS = 1e-9;

    private static boolean better(double worst, double length, double bestWorst, double bestLength) {
        if (worst < bestWorst - EPS) {
            return true;
        }
        return Math.abs(worst - bestWorst) <= EPS && length < bestLength - EPS;
    }
}
