package io.meridian.routing;

import io.meridian.core.RoutingOutcome;
import io.meridian.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Optional;

/**
 * Adapter between the HTTP contract and the routing core: a request is checked and mapped
 * ({@link PlanRequests}), then planned ({@link Planner}) or planned and held ({@link ReservingPlanner}).
 * Holds no routing logic of its own.
 */
@ApplicationScoped
public class RoutingService {

    private final PlanRequests requests;
    private final Planner planner;
    private final ReservingPlanner reserving;

    @Inject
    public RoutingService(PlanRequests requests, Planner planner, ReservingPlanner reserving) {
        this.requests = requests;
        this.planner = planner;
        this.reserving = reserving;
    }

    /** The routing decision of one request, with what the metrics need to know (null for a replay). */
    public record Decision(RoutingOutcome outcome, RoutingPlanResponse response) {
    }

    /** Who is asking, and how to recognise a retry of a reserving request. */
    public record Caller(String name, Optional<String> idempotencyKey, String requestHash) {
    }

    /**
     * @throws ProblemException for every invalid request (400, 413) and for 422 / 503 outcomes
     */
    public Decision route(RoutingPlanRequest request, long nowMillis, Caller caller) {
        PlanRequests.Mapped mapped = requests.map(request);
        if (mapped.reserving()) {
            requireWorkerThread("reserving");
            return reserving.reserve(mapped, nowMillis, caller);
        }
        return planner.plan(mapped, nowMillis);
    }

    /**
     * The resource answers small plans on the HTTP event loop and sends everything that waits for the
     * database to a worker thread; this fails loudly if that split ever breaks, instead of stalling
     * every connection of the event loop.
     */
    static void requireWorkerThread(String what) {
        if (io.vertx.core.Context.isOnEventLoopThread()) {
            throw new IllegalStateException(what + " waits for the database and must not run on the event loop");
        }
    }
}
