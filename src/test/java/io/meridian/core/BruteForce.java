package io.meridian.core;

/** Exhaustive search over every placement of every participant: the optimality oracle for tiny instances. */
final class BruteForce {

    private BruteForce() {
    }

    /**
     * Minimum total cost over all ways to put each participant (units of the groups) on a data
     * center within capacity, or +infinity when none exists. Exponential: keep to ≤ 8 participants
     * and ≤ 5 data centers.
     */
    static double minTotalCost(int[] groupSizes, int[] capacities, double[][] cost) {
        int total = 0;
        for (int s : groupSizes) {
            total += s;
        }
        int[] groupOfUnit = new int[total];
        int u = 0;
        for (int g = 0; g < groupSizes.length; g++) {
            for (int i = 0; i < groupSizes[g]; i++) {
                groupOfUnit[u++] = g;
            }
        }
        return search(0, groupOfUnit, capacities.clone(), cost, 0.0);
    }

    private static double search(int unit, int[] groupOfUnit, int[] room, double[][] cost, double sofar) {
        if (unit == groupOfUnit.length) {
            return sofar;
        }
        double best = Double.POSITIVE_INFINITY;
        int g = groupOfUnit[unit];
        for (int k = 0; k < room.length; k++) {
            if (room[k] > 0) {
                room[k]--;
                best = Math.min(best, search(unit + 1, groupOfUnit, room, cost, sofar + cost[g][k]));
                room[k]++;
            }
        }
        return best;
    }

    static double totalCost(int[][] counts, double[][] cost) {
        double sum = 0;
        for (int g = 0; g < counts.length; g++) {
            for (int k = 0; k < counts[g].length; k++) {
                sum += counts[g][k] * cost[g][k];
            }
        }
        return sum;
    }
}
