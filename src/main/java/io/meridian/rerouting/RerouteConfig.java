package io.meridian.rerouting;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Live re-routing: how replicas find and work off the jobs changes leave. */
@ConfigMapping(prefix = "meridian.rerouting")
public interface RerouteConfig {

    /**
     * How often each replica looks for pending jobs (a change committed on this replica wakes its
     * worker at once; other replicas find it within this interval).
     */
    @WithDefault("200ms")
    Duration pollInterval();

    /**
     * How long a claimed job stays the claiming replica's without news from it; renewed after each
     * chunk of meetings. When it runs out (the replica died) another replica finishes the job.
     */
    @WithDefault("10s")
    Duration claimLease();

    /** Meetings listed and handed to the move transactions at a time. */
    @WithDefault("256")
    int chunk();
}
