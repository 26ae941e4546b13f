package io.meridian.simulation;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the scenario side of a simulation changes, in model terms. Ids and codes are those of the
 * model (the adapter has checked them); the values are validated here.
 *
 * @param dataCentersDown  data centers taken out of service (status DOWN) for the scenario
 * @param regionsBlocked   regions blocked for every simulated meeting of the scenario
 * @param capacityFactors  capacity multipliers by data-center id, each in (0, {@value #MAX_FACTOR}]; the
 *                         scenario capacity is {@code max(1, round(capacity * factor))}
 */
public record Scenario(SortedSet<String> dataCentersDown, SortedSet<String> regionsBlocked,
                       SortedMap<String, Double> capacityFactors) {

    /** Largest capacity multiplier a scenario may apply. */
    public static final double MAX_FACTOR = 10.0;

    /** No change at all: the scenario side equals the baseline. */
    public static final Scenario NONE = new Scenario(new TreeSet<>(), new TreeSet<>(), new TreeMap<>());

    public Scenario {
        dataCentersDown = Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(dataCentersDown)));
        regionsBlocked = Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(regionsBlocked)));
        capacityFactors = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(capacityFactors)));
        for (Map.Entry<String, Double> e : capacityFactors.entrySet()) {
            if (!validFactor(e.getValue())) {
                throw new IllegalArgumentException("capacity factor of " + e.getKey() + " must be in (0, 10]");
            }
        }
    }

    /** True for a capacity factor a scenario accepts: a number greater than 0 and at most 10. */
    public static boolean validFactor(Double factor) {
        return factor != null && Double.isFinite(factor) && factor > 0 && factor <= MAX_FACTOR;
    }

    /** A data center's capacity in the scenario: {@code max(1, round(capacity * factor))}. */
    public static int scaledCapacity(int capacity, double factor) {
        long scaled = Math.round(capacity * factor);
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1L, scaled));
    }
}
