package io.meridian.catalog;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Parameters of the distance-to-RTT estimate (see {@link io.meridian.core.LatencyModel}). */
@ConfigMapping(prefix = "meridian.latency")
public interface LatencyConfig {

    /** Speed of light in optical fibre, km per millisecond. */
    @WithDefault("200")
    double fiberKmPerMs();

    /** Ratio of the real network path to the great-circle distance. */
    @WithDefault("1.5")
    double routeStretch();

    /** Distance-independent part of every RTT (access network, queuing, processing), ms. */
    @WithDefault("5")
    double overheadMs();

    /**
     * Route stretch of the private backbone between data centers. Lower than the public path a
     * participant takes: backbone routes are engineered, which is why cascading can pay off.
     */
    @WithDefault("1.25")
    double backboneRouteStretch();

    /** Distance-independent part of a backbone link's RTT, ms. */
    @WithDefault("1")
    double backboneOverheadMs();
}
