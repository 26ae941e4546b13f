package io.meridian.core;

import java.util.Arrays;

/**
 * The greedy baseline existing systems use, kept to compare against: participants in request order,
 * each on the nearest data center that still has room (first come, first served). Optimal whenever
 * no data center runs out of room; with tight capacity an early participant can take the room a
 * later one needed more. O(G · K log K) for G groups and K data centers.
 */
public final class GreedyBaselineAssigner implements Assigner {

    @Override
    public int[][] assign(int[] groupSizes, int[] capacities, double[][] cost) {
        int k = capacities.length;
        int[] room = Arrays.copyOf(capacities, k);
        int[][] counts = new int[groupSizes.length][k];
        Integer[] order = new Integer[k];
        for (int g = 0; g < groupSizes.length; g++) {
            double[] row = cost[g];
            for (int i = 0; i < k; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> {
                int c = Double.compare(row[a], row[b]);
                return c != 0 ? c : Integer.compare(a, b);
            });
            int left = groupSizes[g];
            for (int i = 0; i < k && left > 0; i++) {
                int dc = order[i];
                int take = Math.min(left, room[dc]);
                if (take > 0) {
                    counts[g][dc] += take;
                    room[dc] -= take;
                    left -= take;
                }
            }
            if (left > 0) {
                throw new IllegalArgumentException("capacities cannot hold every group");
            }
        }
        return counts;
    }
}
