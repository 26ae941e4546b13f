package io.meridian.core;

/**
 * Tuning of one routing decision.
 *
 * @param cascadeMinGainMs AUTO cascades only when that lowers the worst participant-to-participant
 *                         latency by at least this many milliseconds
 */
public record RoutingOptions(double cascadeMinGainMs) {
    public static final RoutingOptions DEFAULT = new RoutingOptions(30.0);

    public RoutingOptions {
        if (!(cascadeMinGainMs >= 0) || !Double.isFinite(cascadeMinGainMs)) {
            throw new IllegalArgumentException("cascade minimum gain must be a non-negative number of ms");
        }
    }
}
