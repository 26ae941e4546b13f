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

    /** Value of the Retry-After header on 503 no-permitted-capacity answers. */
    @WithDefault("PT30S")
    Duration retryAfter();
}
