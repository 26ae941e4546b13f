package io.meridian.core;

/**
 * Capacity-constrained assignment of participant groups to data centers: the transportation
 * problem at the heart of CASCADE planning.
 */
public interface Assigner {

    /**
     * @param groupSizes  participants in each group (&gt; 0)
     * @param capacities  room on each candidate data center (&ge; 0); their sum is at least the sum of
     *                    the group sizes
     * @param cost        {@code cost[g][k]}: RTT of a participant of group g on data center k
     * @return {@code counts[g][k]}: participants of group g placed on data center k; each row sums to
     *         the group's size and each column stays within its capacity
     */
    int[][] assign(int[] groupSizes, int[] capacities, double[][] cost);

    /**
     * The same problem with costs priced on demand. An assigner that can work from each group's
     * nearest sites and a bound on the rest overrides this and must return an optimum of the whole
     * table; this default prices every site of every group and solves the full table.
     *
     * @return the participants of each group per data center
     */
    default Placement assign(int[] groupSizes, int[] capacities, SiteCosts costs) {
        return Placement.of(assign(groupSizes, capacities, costs.dense()));
    }
}
