package io.meridian.core;

import java.util.Objects;

/**
 * A media site of the model.
 *
 * @param id       stable lower-case id such as {@code eu-fra}
 * @param city     display name of the city
 * @param region   code of the region the site belongs to
 * @param location where the site is
 * @param capacity concurrent participants the site can carry at 100% utilization
 */
public record DataCenter(String id, String city, String region, GeoPoint location, int capacity) {
    public DataCenter {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(city, "city");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(location, "location");
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
    }
}
