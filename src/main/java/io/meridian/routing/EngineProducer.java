package io.meridian.routing;

import io.meridian.core.LatencyModel;
import io.meridian.core.MinCostFlowAssigner;
import io.meridian.core.RoutingEngine;
import io.meridian.core.RoutingOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The one routing engine of the service, with its options: live plans and what-if simulations use
 * the same instance, so a simulation answers with the decisions the live path would make.
 */
@ApplicationScoped
public class EngineProducer {

    @Produces
    @Singleton
    RoutingEngine routingEngine(LatencyModel latency) {
        return new RoutingEngine(latency, new MinCostFlowAssigner());
    }

    @Produces
    @Singleton
    RoutingOptions routingOptions(RoutingConfig config) {
        return new RoutingOptions(config.cascadeMinGainMs());
    }
}
