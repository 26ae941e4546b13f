package io.meridian.catalog;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** How much of a data center's capacity may be planned, and how live state is read. */
@ConfigMapping(prefix = "meridian.capacity")
public interface CapacityConfig {

    /** Share of capacity usable before a data center counts as full, in (0, 1]. */
    @WithDefault("0.85")
    double maxUtilization();

    /** Age after which a data center's newest load report is stale and the site excluded. Unset: never. */
    Optional<Duration> reportTtl();

    /** How often each replica rebuilds its capacity snapshot from the database. */
    @WithDefault("1s")
    Duration refreshInterval();
}
