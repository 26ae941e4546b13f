package io.meridian.core;

import java.util.Arrays;
import java.util.Optional;

/**
 * Optimal capacity-constrained assignment: minimises the total RTT of all participants subject to
 * every data center's capacity, as a transportation (min-cost flow) problem over participant groups.
 *
 * <h2>Algorithm</h2>
 * <ol>
 *   <li>Start with every group on its cheapest data center. This flow is optimal for the problem
 *       without capacities, so its residual graph has no negative cycle; only data centers over
 *       capacity ("excess") break feasibility.</li>
 *   <li>Successive shortest paths move the excess: the residual graph is collapsed onto the data
 *       centers. An arc {@code a → b} means "move participants of some group g now on a to b" and
 *       costs {@code min_g (cost[g][b] - cost[g][a])} over the groups with participants on a. A super
 *       source feeds every data center with excess, a super sink drains every data center with
 *       spare room. Dijkstra with Johnson potentials finds the cheapest path (reduced costs stay
 *       non-negative), and the path is augmented by its bottleneck: the excess left, the room left,
 *       or the participants of the moved group on an arc. Potentials are updated with
 *       {@code π(v) += min(d(v), d(sink))}, which keeps them valid when Dijkstra stops early at the
 *       sink.</li>
 *   <li>When no excess is left the flow is feasible, and since every augmentation followed a
 *       shortest path from an optimal start, it is a minimum-cost flow.</li>
 * </ol>
 *
 * <h2>Pricing only the sites that can matter</h2>
 * With {@link SiteCosts} (the plan engine's table) the search runs on each group's priced sites
 * only: its nearest few, and a lower bound {@code B_g} on the cost of every other site. The result
 * is then checked to be an optimum of the whole table, and where the check fails more sites are
 * priced and the search runs again. The check:
 *
 * <ul>
 *   <li>Write {@code φ(k) = π(k) - π(sink)} for the final potentials. The update above adds at most
 *       {@code d(sink)} to any {@code π(k)} and exactly that to {@code π(sink)}, so {@code φ ≤ 0}
 *       everywhere; a data center with room left keeps its arc to the sink, whose reduced cost
 *       {@code φ(k) ≥ 0} stays valid, so {@code φ = 0} there.</li>
 *   <li>A feasible assignment is optimal when its residual graph has no negative cycle: the arcs
 *       {@code a → b} ("one participant of g moves from a to b", cost {@code c(g,b) - c(g,a)}, for g
 *       on a), {@code b → T} for b with room and {@code T → a} for any a (a move into spare room).
 *       Potentials {@code φ} with {@code φ(T) = 0} certify that when every arc's reduced cost is
 *       non-negative: {@code φ(b) - φ(T) ≥ 0} for b with room and {@code φ(T) - φ(a) ≥ 0} hold by
 *       the first point, and the search leaves {@code c(g,b) - c(g,a) + φ(a) - φ(b) ≥ 0} on every
 *       arc it knew, i.e. every priced b.</li>
 *   <li>For a site b not priced for g, with {@code u_g = max over a holding g of c(g,a) - φ(a)}:
 *       {@code c(g,b) - φ(b) ≥ B_g - Φ}, where {@code Φ = max φ ≤ 0}. So {@code B_g ≥ u_g + Φ} makes
 *       every skipped arc of g non-negative too, and the assignment is optimal for the whole table:
 *       no skipped site, however much room it has, could lower the total. {@link #MARGIN} is added
 *       on top, far above the rounding of the potentials.</li>
 *   <li>Groups that fail get sites priced until {@code B_g} clears their {@code u_g + Φ + MARGIN}
 *       (capacity is what makes {@code u_g} exceed the group's own cost: a full site's {@code φ} is
 *       negative, and its groups may need a far site); after {@value #ROUNDS_BEFORE_FULL} rounds,
 *       every site. When the priced arcs leave some excess without any path to room, the groups on
 *       the data centers it reached get more sites priced. Every round prices at least one more
 *       site, so the loop ends, at the latest with the whole table.</li>
 *   <li>Before each round every group's first priced site must be its cheapest of all, ties to the
 *       lower index ({@code B_g} strictly above it), so the search starts where the full-table
 *       search would.</li>
 * </ul>
 *
 * <h2>Complexity</h2>
 * Start: O(G·m) for G groups with m priced sites each (O(G·K) for a full table of K data centers).
 * Each augmentation costs one Dijkstra over K + 2 nodes, O(K² + P·m) where P is the number of
 * (group, data center) pairs carrying participants (about G); each augmentation exhausts an excess,
 * a room or a group's share on a data center, so their number is at most about G + K and, in
 * practice, close to the number of groups that do not fit on their nearest site. A meeting whose
 * nearest sites all have room costs O(G·m) and no augmentation at all. Participants are never
 * handled one by one: a 50,000-participant meeting with 2,000 distinct locations costs what its
 * 2,000 groups cost.
 *
 * <p>Deterministic: ties go to the lower data-center index, then the lower group index.
 */
public final class MinCostFlowAssigner implements Assigner {

    private static final double EPS = 1e-9;

    /**
     * Slack, in ms, by which the bound of a group's unpriced sites must clear what the certificate
     * needs: the potentials are sums of many shortest-path distances, each compared with a tolerance
     * of 1e-9, so their rounding stays orders of magnitude below this.
     */
    static final double MARGIN = 1e-6;

    /** Rounds of pricing up to the certificate's need before every site of a failing group is priced. */
    static final int ROUNDS_BEFORE_FULL = 3;

    @Override
    public int[][] assign(int[] groupSizes, int[] capacities, double[][] cost) {
        return assign(groupSizes, capacities, SiteCosts.of(cost)).dense(capacities.length);
    }

    /**
     * How many of its nearest sites every group has priced before moves are searched, when some site
     * is over capacity with everyone on their nearest: the moves a mildly full site needs, without a
     * second round.
     */
    static final int MOVE_DEPTH = 4;

    @Override
    public Placement assign(int[] groupSizes, int[] capacities, SiteCosts costs) {
        int groups = groupSizes.length;
        for (int round = 0; ; round++) {
            for (int g = 0; g < groups; g++) {
                costs.price(g, 1, costs.pricedCost(g, 0));
            }
            if (round == 0) {
                if (!overloaded(groupSizes, capacities, costs)) {
                    Optional<Placement> nearest = everyoneNearest(groupSizes, costs);
                    if (nearest.isPresent()) {
                        return nearest.get();
                    }
                } else {
                    for (int g = 0; g < groups; g++) {
                        costs.price(g, MOVE_DEPTH, Double.NEGATIVE_INFINITY);
                    }
                }
            }
            Solver solver = new Solver(groupSizes, capacities, costs);
            boolean[] reached = solver.solve();
            if (reached != null) {
                // the priced arcs give the remaining excess no way to room: price more around it
                boolean more = false;
                for (int g = 0; g < groups; g++) {
                    if (solver.placedOnAny(g, reached) && costs.priced(g) < costs.sites()) {
                        costs.price(g, 2 * costs.priced(g), Double.NEGATIVE_INFINITY);
                        more = true;
                    }
                }
                if (!more) {
                    throw new IllegalStateException("no path for the remaining excess");
                }
                continue;
            }
            double phiMax = solver.maxPhi();
            boolean certified = true;
            for (int g = 0; g < groups; g++) {
                double need = solver.price(g) + phiMax + MARGIN;
                if (costs.unpricedBound(g) < need) {
                    certified = false;
                    if (round + 1 < ROUNDS_BEFORE_FULL) {
                        costs.price(g, costs.priced(g) + 1, need);
                    } else {
                        costs.priceAll(g);
                    }
                }
            }
            if (certified) {
                return solver.placement();
            }
        }
    }

    /**
     * Every group on its cheapest site, when that fits and is certified: what the search would end
     * with after no augmentation at all (all potentials 0, so each group needs its unpriced bound
     * {@link #MARGIN} above its cheapest cost), without building the search.
     */
    private static Optional<Placement> everyoneNearest(int[] groupSizes, SiteCosts costs) {
        Placement.Builder b = new Placement.Builder(groupSizes.length);
        for (int g = 0; g < groupSizes.length; g++) {
            if (costs.unpricedBound(g) < costs.pricedCost(g, 0) + MARGIN) {
                return Optional.empty();
            }
            b.add(costs.pricedSite(g, 0), groupSizes[g]);
            b.endGroup();
        }
        return Optional.of(b.build());
    }

    /** Whether some site holds more than its capacity with every group on its cheapest site. */
    private static boolean overloaded(int[] groupSizes, int[] capacities, SiteCosts costs) {
        long[] load = new long[capacities.length];
        for (int g = 0; g < groupSizes.length; g++) {
            load[costs.pricedSite(g, 0)] += groupSizes[g];
        }
        for (int k = 0; k < capacities.length; k++) {
            if (load[k] > capacities[k]) {
                return true;
            }
        }
        return false;
    }

    private static final class Solver {
        private final int groups;
        private final int dcs;
        private final int[][] site;
        private final double[][] cost;
        /** x[g][j]: participants of group g on its j-th priced site. */
        private final int[][] x;
        private final int[] excess;
        private final int[] room;
        /** groupsAt[k][0..count[k]) lists groups with participants on k and the position of k among their sites (possibly stale: x may be 0). */
        private final int[][] groupsAt;
        private final int[][] positionAt;
        private final int[] groupsAtCount;
        private final double[] potential;
        private double sinkPotential;
        // Dijkstra scratch
        private final double[] dist;
        private final boolean[] done;
        private final int[] predDc;
        private final int[] predGroup;
        private final int[] predFrom;
        private final int[] predTo;

        Solver(int[] groupSizes, int[] capacities, SiteCosts costs) {
            this.groups = groupSizes.length;
            this.dcs = capacities.length;
            this.site = new int[groups][];
            this.cost = new double[groups][];
            this.x = new int[groups][];
            this.excess = new int[dcs];
            this.room = new int[dcs];
            this.groupsAt = new int[dcs][4];
            this.positionAt = new int[dcs][4];
            this.groupsAtCount = new int[dcs];
            this.potential = new double[dcs];
            this.dist = new double[dcs];
            this.done = new boolean[dcs];
            this.predDc = new int[dcs];
            this.predGroup = new int[dcs];
            this.predFrom = new int[dcs];
            this.predTo = new int[dcs];
            long[] load = new long[dcs];
            for (int g = 0; g < groups; g++) {
                site[g] = costs.pricedSites(g);
                cost[g] = costs.pricedCosts(g);
                x[g] = new int[site[g].length];
                // the first priced site is the group's cheapest of all
                int best = site[g][0];
                x[g][0] = groupSizes[g];
                load[best] += groupSizes[g];
                addGroupAt(best, g, 0);
            }
            long totalRoom = 0;
            long totalDemand = 0;
            for (int k = 0; k < dcs; k++) {
                totalRoom += capacities[k];
                totalDemand += load[k];
                if (load[k] > capacities[k]) {
                    excess[k] = (int) (load[k] - capacities[k]);
                } else {
                    room[k] = (int) (capacities[k] - load[k]);
                }
            }
            if (totalDemand > totalRoom) {
                throw new IllegalArgumentException("capacities cannot hold every group");
            }
        }

        private void addGroupAt(int k, int g, int position) {
            if (groupsAtCount[k] == groupsAt[k].length) {
                groupsAt[k] = Arrays.copyOf(groupsAt[k], groupsAt[k].length * 2);
                positionAt[k] = Arrays.copyOf(positionAt[k], positionAt[k].length * 2);
            }
            groupsAt[k][groupsAtCount[k]] = g;
            positionAt[k][groupsAtCount[k]++] = position;
        }

        /** Moves all excess; null when done, else the data centers the last search reached. */
        boolean[] solve() {
            while (true) {
                boolean anyExcess = false;
                for (int k = 0; k < dcs; k++) {
                    if (excess[k] > 0) {
                        anyExcess = true;
                        break;
                    }
                }
                if (!anyExcess) {
                    return null;
                }
                if (!augment()) {
                    return done.clone();
                }
            }
        }

        /** One Dijkstra from the super source and one augmentation along the path found; false when there is none. */
        private boolean augment() {
            Arrays.fill(dist, Double.POSITIVE_INFINITY);
            Arrays.fill(done, false);
            Arrays.fill(predDc, -1);
            Arrays.fill(predGroup, -1);
            // source -> excess node: cost 0, reduced cost -potential (the source's potential stays 0:
            // it is never reached by a shortest path, so its distance is always 0)
            for (int k = 0; k < dcs; k++) {
                if (excess[k] > 0) {
                    dist[k] = -potential[k];
                }
            }
            double sinkDist = Double.POSITIVE_INFINITY;
            int sinkPred = -1;
            while (true) {
                int a = -1;
                for (int k = 0; k < dcs; k++) {
                    if (!done[k] && dist[k] < Double.POSITIVE_INFINITY && (a < 0 || dist[k] < dist[a])) {
                        a = k;
                    }
                }
                if (a < 0 || dist[a] >= sinkDist) {
                    break;
                }
                done[a] = true;
                if (room[a] > 0) {
                    // node -> sink: cost 0, reduced cost potential(a) - potential(sink)
                    double viaSink = dist[a] + potential[a] - sinkPotential;
                    if (viaSink < sinkDist - EPS) {
                        sinkDist = viaSink;
                        sinkPred = a;
                    }
                }
                relaxFrom(a);
            }
            if (sinkPred < 0) {
                return false;
            }
            for (int k = 0; k < dcs; k++) {
                potential[k] += Math.min(dist[k], sinkDist);
            }
            sinkPotential += sinkDist;
            // bottleneck
            int end = sinkPred;
            int flow = room[end];
            int v = end;
            while (predDc[v] >= 0) {
                flow = Math.min(flow, x[predGroup[v]][predFrom[v]]);
                v = predDc[v];
            }
            flow = Math.min(flow, excess[v]);
            // apply
            excess[v] -= flow;
            room[end] -= flow;
            v = end;
            while (predDc[v] >= 0) {
                int from = predDc[v];
                int g = predGroup[v];
                x[g][predFrom[v]] -= flow;
                if (x[g][predTo[v]] == 0) {
                    addGroupAt(v, g, predTo[v]);
                }
                x[g][predTo[v]] += flow;
                v = from;
            }
            return true;
        }

        private void relaxFrom(int a) {
            int[] list = groupsAt[a];
            int[] positions = positionAt[a];
            int n = groupsAtCount[a];
            int kept = 0;
            double base = dist[a] + potential[a];
            for (int i = 0; i < n; i++) {
                int g = list[i];
                int from = positions[i];
                if (x[g][from] == 0) {
                    continue; // stale entry: drop it
                }
                list[kept] = g;
                positions[kept++] = from;
                int[] sites = site[g];
                double[] row = cost[g];
                double leave = base - row[from];
                for (int j = 0; j < sites.length; j++) {
                    int b = sites[j];
                    if (done[b] || j == from) {
                        continue;
                    }
                    double reduced = leave + row[j] - potential[b];
                    if (reduced < dist[b] - EPS || (Math.abs(reduced - dist[b]) <= EPS && predDc[b] >= 0
                            && (a < predDc[b] || (a == predDc[b] && g < predGroup[b])))) {
                        dist[b] = reduced;
                        predDc[b] = a;
                        predGroup[b] = g;
                        predFrom[b] = from;
                        predTo[b] = j;
                    }
                }
            }
            groupsAtCount[a] = kept;
        }

        /** Whether group g has participants on any data center marked in {@code marked}. */
        boolean placedOnAny(int g, boolean[] marked) {
            for (int j = 0; j < x[g].length; j++) {
                if (x[g][j] > 0 && marked[site[g][j]]) {
                    return true;
                }
            }
            return false;
        }

        /** {@code Φ = max over k of φ(k)}, where {@code φ(k) = π(k) - π(sink)}. */
        double maxPhi() {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < dcs; k++) {
                max = Math.max(max, potential[k] - sinkPotential);
            }
            return max;
        }

        /** {@code u_g = max over the data centers a holding group g of c(g, a) - φ(a)}. */
        double price(int g) {
            double u = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < x[g].length; j++) {
                if (x[g][j] > 0) {
                    u = Math.max(u, cost[g][j] - (potential[site[g][j]] - sinkPotential));
                }
            }
            return u;
        }

        Placement placement() {
            Placement.Builder b = new Placement.Builder(groups);
            int[] order = new int[4];
            for (int g = 0; g < groups; g++) {
                int n = 0;
                for (int j = 0; j < x[g].length; j++) {
                    if (x[g][j] > 0) {
                        if (n == order.length) {
                            order = Arrays.copyOf(order, 2 * n);
                        }
                        order[n++] = j;
                    }
                }
                // ascending data-center index (insertion sort: a group is on one site or a few)
                for (int i = 1; i < n; i++) {
                    int j = order[i];
                    int m = i - 1;
                    while (m >= 0 && site[g][order[m]] > site[g][j]) {
                        order[m + 1] = order[m];
                        m--;
                    }
                    order[m + 1] = j;
                }
                for (int i = 0; i < n; i++) {
                    b.add(site[g][order[i]], x[g][order[i]]);
                }
                b.endGroup();
            }
            return b.build();
        }
    }
}
