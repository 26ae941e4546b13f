package io.meridian.catalog;

import io.meridian.core.CapacitySnapshot;

/**
 * Source of the capacity snapshot that plans are made on. The snapshot is immutable; a new one
 * replaces it when the live state changes.
 */
public interface CapacityView {

    /** The newest snapshot. Cheap: callers may ask once per request. */
    CapacitySnapshot snapshot();
}
