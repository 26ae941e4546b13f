package io.meridian.catalog;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How much of a data center's capacity may be planned. */
@ConfigMapping(prefix = "meridian.capacity")
public interface CapacityConfig {

    /** Share of capacity usable before a data center counts as full, in (0, 1]. */
    @WithDefault("0.85")
    double maxUtilization();
}
