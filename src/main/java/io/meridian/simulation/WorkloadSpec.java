package io.meridian.simulation;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The synthetic workload of a simulation, before it is drawn.
 *
 * @param meetings        how many meetings (&ge; 1)
 * @param minParticipants smallest meeting (&ge; 1)
 * @param maxParticipants largest meeting (&ge; minParticipants)
 * @param countryWeights  relative weight of each participant country by ISO code (upper case), each a
 *                        finite number &gt; 0; they need not sum to 1
 * @param seed            seed of the {@link java.util.SplittableRandom} the workload is drawn from
 */
public record WorkloadSpec(int meetings, int minParticipants, int maxParticipants,
                           SortedMap<String, Double> countryWeights, long seed) {

    public WorkloadSpec {
        if (meetings < 1) {
            throw new IllegalArgumentException("a workload needs at least one meeting");
        }
        if (minParticipants < 1 || maxParticipants < minParticipants) {
            throw new IllegalArgumentException("meeting sizes must satisfy 1 <= min <= max");
        }
        if ((long) meetings * maxParticipants > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a workload may have at most " + (Integer.MAX_VALUE - 8)
                    + " participants");
        }
        countryWeights = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(countryWeights)));
        if (countryWeights.isEmpty()) {
            throw new IllegalArgumentException("a workload needs at least one country");
        }
        for (Map.Entry<String, Double> e : countryWeights.entrySet()) {
            if (e.getValue() == null || !Double.isFinite(e.getValue()) || e.getValue() <= 0) {
                throw new IllegalArgumentException("weight of " + e.getKey() + " must be a finite number > 0");
            }
        }
    }

    /** The most participants this workload can have: {@code meetings * maxParticipants}. */
    public long maxTotalParticipants() {
        return (long) meetings * maxParticipants;
    }
}
