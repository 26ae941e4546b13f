package io.meridian.routing;

import io.meridian.core.RegionPolicy;
import io.meridian.core.RoutingOutcome;
import io.meridian.core.Strategy;
import io.meridian.web.Problem;
import io.meridian.web.ProblemException;
import io.meridian.web.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Map;

/**
 * The answers for requests that cannot be routed: 422 no-permitted-region, 503
 * no-permitted-capacity with Retry-After. Plans and live-meeting joins answer alike.
 */
@ApplicationScoped
public class Refusals {

    private final RoutingConfig config;

    @Inject
    public Refusals(RoutingConfig config) {
        this.config = config;
    }

    /** The problem for an outcome that is not a plan. */
    public ProblemException of(RoutingOutcome outcome) {
        if (outcome instanceof RoutingOutcome.NoPermittedRegion none) {
            return noRegion(none.policy());
        }
        return noCapacity((RoutingOutcome.NoPermittedCapacity) outcome);
    }

    /** 422: the effective policy leaves no region with a data center. */
    public ProblemException noRegion(RegionPolicy policy) {
        return new ProblemException(Problem.of(ProblemType.NO_PERMITTED_REGION, "The effective policy (blocked "
                + policy.blockedRegions() + ", allowed "
                + policy.allowedRegions().map(Object::toString).orElse("any")
                + ") leaves no region with a data center."));
    }

    /** 503 for a plan whose permitted data centers lack headroom. */
    public ProblemException noCapacity(RoutingOutcome.NoPermittedCapacity full) {
        String detail = full.strategy() == Strategy.SINGLE
                ? "No permitted data center has headroom for all " + full.participants()
                + " participants; " + full.unroutableParticipants() + " would be left without a place."
                : "Permitted data centers lack headroom for " + full.unroutableParticipants() + " of "
                + full.participants() + " participants. No blocked region is used instead.";
        return noCapacity(detail, full.unroutableParticipants());
    }

    /** 503 no-permitted-capacity with {@code Retry-After} ({@code meridian.routing.retry-after}). */
    public ProblemException noCapacity(String detail, int unroutableParticipants) {
        Problem base = Problem.of(ProblemType.NO_PERMITTED_CAPACITY, detail);
        Problem problem = new Problem(base.type(), base.title(), base.status(), base.detail(), null, null,
                unroutableParticipants);
        long retryAfter = Math.max(1, config.retryAfter().toSeconds());
        return new ProblemException(problem, Map.of("Retry-After", Long.toString(retryAfter)));
    }
}
