package io.meridian.core;

/**
 * Turns a great-circle distance into an estimated round-trip time.
 *
 * <pre>
 *   rttMs = overheadMs + 2 * distanceKm * routeStretch / fiberKmPerMs
 * </pre>
 *
 * Light in optical fibre travels at about c / 1.47, i.e. roughly 204 km per millisecond; we round
 * down to 200 km/ms. Real paths are longer than the great circle (cable routes, peering detours);
 * the route stretch factor accounts for that. The fixed overhead covers access networks, queuing
 * and media-server processing that do not depend on distance.
 *
 * @param fiberKmPerMs speed of light in fibre, km per millisecond (&gt; 0)
 * @param routeStretch ratio of real path length to great-circle distance (&ge; 1)
 * @param overheadMs   distance-independent part of the RTT in ms (&ge; 0)
 */
public record LatencyModel(double fiberKmPerMs, double routeStretch, double overheadMs) {

    /** Defaults: 200 km/ms, stretch 1.5, 5 ms overhead. */
    public static final LatencyModel DEFAULT = new LatencyModel(200.0, 1.5, 5.0);

    /** Backbone defaults between data centers: 200 km/ms, stretch 1.25, 1 ms overhead. */
    public static final LatencyModel BACKBONE = new LatencyModel(200.0, 1.25, 1.0);

    public LatencyModel {
        if (!(fiberKmPerMs > 0) || !Double.isFinite(fiberKmPerMs)) {
            throw new IllegalArgumentException("fiber speed must be a positive number of km/ms");
        }
        if (!(routeStretch >= 1) || !Double.isFinite(routeStretch)) {
            throw new IllegalArgumentException("route stretch must be at least 1");
        }
        if (!(overheadMs >= 0) || !Double.isFinite(overheadMs)) {
            throw new IllegalArgumentException("overhead must be a non-negative number of ms");
        }
    }

    public double rttMs(double distanceKm) {
        return overheadMs + 2.0 * distanceKm * routeStretch / fiberKmPerMs;
    }

    public double rttMs(GeoPoint a, GeoPoint b) {
        return rttMs(a.distanceKm(b));
    }
}
