package io.meridian.core;

import java.util.List;

/** What the engine answers: a plan, or the reason there can be none. */
public sealed interface RoutingOutcome {

    /** A complete plan. */
    record Routed(RoutingPlan plan) implements RoutingOutcome {
    }

    /** The effective policy leaves no region that has any data center. */
    record NoPermittedRegion(RegionPolicy policy, List<RoutingPlan.Exclusion> excluded) implements RoutingOutcome {
        public NoPermittedRegion {
            excluded = List.copyOf(excluded);
        }
    }

    /**
     * Permitted data centers exist but lack headroom for the meeting.
     *
     * @param participants          participants the request asked to route
     * @param unroutableParticipants how many of them the permitted headroom cannot take
     * @param strategy              the strategy that was attempted
     * @param excluded              every data center that was not eligible
     */
    record NoPermittedCapacity(RegionPolicy policy, int participants, int unroutableParticipants,
                               Strategy strategy, List<RoutingPlan.Exclusion> excluded) implements RoutingOutcome {
        public NoPermittedCapacity {
            excluded = List.copyOf(excluded);
        }
    }
}
