package io.meridian.core;

import java.util.Map;
import java.util.Objects;

/**
 * One participant of a meeting, located and optionally with measured RTTs.
 *
 * @param id            unique within the meeting
 * @param location      where the participant is (coordinates, or a country's representative point)
 * @param measuredRttMs client-measured RTTs by data-center id; each replaces the estimate for that DC
 */
public record Participant(String id, GeoPoint location, Map<String, Double> measuredRttMs) {
    public Participant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(location, "location");
        measuredRttMs = measuredRttMs == null ? Map.of() : Map.copyOf(measuredRttMs);
    }

    public Participant(String id, GeoPoint location) {
        this(id, location, Map.of());
    }
}
