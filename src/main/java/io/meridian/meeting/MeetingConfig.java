package io.meridian.meeting;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Live meetings: leases, the group commit of joins and leaves, and the expiry job. */
@ConfigMapping(prefix = "meridian.meetings")
public interface MeetingConfig {

    /**
     * How long a meeting lives without a join, a leave or a lease renewal. When it runs out the
     * meeting ends by itself and frees every place it holds.
     */
    @WithDefault("PT2M")
    Duration lease();

    /**
     * Most joins, leaves, renewals and ends (of any meetings) done in one transaction. 1 runs each in
     * a transaction of its own.
     */
    @WithDefault("128")
    int batchSize();

    /** How often each replica looks for meetings whose lease ran out and ends them. */
    @WithDefault("5s")
    Duration expiryInterval();
}
