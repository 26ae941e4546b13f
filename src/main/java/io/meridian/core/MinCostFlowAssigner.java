package io.meridian.core;

import java.util.Arrays;

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
 * <h2>Complexity</h2>
 * Start: O(G·K) for G groups and K data centers. Each augmentation costs one Dijkstra over K + 2
 * nodes, O(K² + P·K) where P is the number of (group, data center) pairs carrying participants
 * (about G); each augmentation exhausts an excess, a room or a group's share on a data center, so
 * their number is at most about G + K and, in practice, close to the number of groups that do not
 * fit on their nearest site. A meeting whose nearest sites all have room costs O(G·K) and no
 * augmentation at all. Participants are never handled one by one: a 50,000-participant meeting
 * with 2,000 distinct locations costs what its 2,000 groups cost.
 *
 * <p>Deterministic: ties go to the lower data-center index, then the lower group index.
 */
public final class MinCostFlowAssigner implements Assigner {

    private static final double EPS = 1e-9;

    @Override
    public int[][] assign(int[] groupSizes, int[] capacities, double[][] cost) {
        return new Solver(groupSizes, capacities, cost).solve();
    }

    private static final class Solver {
        private final int groups;
        private final int dcs;
        private final double[][] cost;
        private final int[][] x;
        private final int[] excess;
        private final int[] room;
        /** groupsAt[k][0..count[k]) lists groups with participants on k (possibly stale: x may be 0). */
        private final int[][] groupsAt;
        private final int[] groupsAtCount;
        private final double[] potential;
        private double sinkPotential;
        // Dijkstra scratch
        private final double[] dist;
        private final boolean[] done;
        private final int[] predDc;
        private final int[] predGroup;

        Solver(int[] groupSizes, int[] capacities, double[][] cost) {
            this.groups = groupSizes.length;
            this.dcs = capacities.length;
            this.cost = cost;
            this.x = new int[groups][dcs];
            this.excess = new int[dcs];
            this.room = new int[dcs];
            this.groupsAt = new int[dcs][4];
            this.groupsAtCount = new int[dcs];
            this.potential = new double[dcs];
            this.dist = new double[dcs];
            this.done = new boolean[dcs];
            this.predDc = new int[dcs];
            this.predGroup = new int[dcs];
            long[] load = new long[dcs];
            for (int g = 0; g < groups; g++) {
                double[] row = cost[g];
                int best = 0;
                for (int k = 1; k < dcs; k++) {
                    if (row[k] < row[best]) {
                        best = k;
                    }
                }
                x[g][best] = groupSizes[g];
                load[best] += groupSizes[g];
                addGroupAt(best, g);
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

        private void addGroupAt(int k, int g) {
            if (groupsAtCount[k] == groupsAt[k].length) {
                groupsAt[k] = Arrays.copyOf(groupsAt[k], groupsAt[k].length * 2);
            }
            groupsAt[k][groupsAtCount[k]++] = g;
        }

        int[][] solve() {
            while (true) {
                boolean anyExcess = false;
                for (int k = 0; k < dcs; k++) {
                    if (excess[k] > 0) {
                        anyExcess = true;
                        break;
                    }
                }
                if (!anyExcess) {
                    return x;
                }
                augment();
            }
        }

        /** One Dijkstra from the super source and one augmentation along the path found. */
        private void augment() {
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
                throw new IllegalStateException("no path for the remaining excess");
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
                flow = Math.min(flow, x[predGroup[v]][predDc[v]]);
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
                x[g][from] -= flow;
                if (x[g][v] == 0) {
                    addGroupAt(v, g);
                }
                x[g][v] += flow;
                v = from;
            }
        }

        private void relaxFrom(int a) {
            int[] list = groupsAt[a];
            int n = groupsAtCount[a];
            int kept = 0;
            double base = dist[a] + potential[a];
            for (int i = 0; i < n; i++) {
                int g = list[i];
                if (x[g][a] == 0) {
                    continue; // stale entry: drop it
                }
                list[kept++] = g;
                double[] row = cost[g];
                double leave = base - row[a];
                for (int b = 0; b < dcs; b++) {
                    if (done[b] || b == a) {
                        continue;
                    }
                    double reduced = leave + row[b] - potential[b];
                    if (reduced < dist[b] - EPS || (Math.abs(reduced - dist[b]) <= EPS && predDc[b] >= 0
                            && (a < predDc[b] || (a == predDc[b] && g < predGroup[b])))) {
                        dist[b] = reduced;
                        predDc[b] = a;
                        predGroup[b] = g;
                    }
                }
            }
            groupsAtCount[a] = kept;
        }
    }
}
