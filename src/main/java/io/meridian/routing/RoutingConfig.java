package io.meridian.routing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Limits and tuning of the routing-plans endpoint. */
@ConfigMapping(prefix = "meridian.routing")
public interface RoutingConfig {

    /** Largest meeting one request may route; more participants answer 413. */
    @WithDefault("50000")
    int maxParticipants();

    /** AUTO cascades only when that lowers the worst participant-to-participant latency by this many ms. */
    @WithDefault("30")
    double cascadeMinGainMs();

    /**
     * Plans whose body is at most this many bytes, that reserve nothing and name no account (so need
     * no database), are computed on the HTTP event loop; every other plan on a worker thread, so a
     * large meeting never holds up the event loop. 16 KiB is about 300 participants.
     */
    @WithDefault("16384")
    int inlineMaxBytes();

    /** Value of the Retry-After header on 503 no-permitted-capacity answers. */
    @WithDefault("PT30S")
    Duration retryAfter();
}
