package io.meridian.routing;

import io.meridian.catalog.LiveCapacityView;
import io.meridian.core.RoutingOutcome;
import io.meridian.core.RoutingPlan;
import io.meridian.idempotency.IdempotentAnswers;
import io.meridian.ledger.CapacityLedger;
import io.meridian.ledger.HoldRequest;
import io.meridian.records.PlanIds;
import io.meridian.records.RoutingRecord;
import io.meridian.reservation.ReservationView;
import io.meridian.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reserving plans: plans on the snapshot, then holds the plan through the ledger, which plans again
 * on fresh state when another request took the room first. An Idempotency-Key makes a retry answer
 * as the first request did.
 */
@ApplicationScoped
public class ReservingPlanner {

    private final Planner planner;
    private final CapacityLedger ledger;
    private final LiveCapacityView view;
    private final IdempotentAnswers answers;
    private final Refusals refusals;

    @Inject
    public ReservingPlanner(Planner planner, CapacityLedger ledger, LiveCapacityView view, IdempotentAnswers answers,
                            Refusals refusals) {
        this.planner = planner;
        this.ledger = ledger;
        this.view = view;
        this.answers = answers;
        this.refusals = refusals;
    }

    /** One attempt's plan, its record and its answer (the reservation's id is known before the hold). */
    private record Attempt(RoutingOutcome.Routed routed, String reservationId, RoutingRecord record,
                           RoutingPlanResponse response) {
    }

    public RoutingService.Decision reserve(PlanRequests.Mapped m, long nowMillis, RoutingService.Caller caller) {
        Optional<IdempotentAnswers.Key> key = caller.idempotencyKey()
                .map(k -> new IdempotentAnswers.Key(caller.name(), k, caller.requestHash()));
        if (key.isPresent()) {
            Optional<RoutingPlanResponse> replay = answers.replay(key.get(), RoutingPlanResponse.class);
            if (replay.isPresent()) {
                return new RoutingService.Decision(null, replay.get());
            }
        }
        String meetingId = m.request().meetingId();
        CapacityLedger.Reserved<Attempt> reserved;
        try {
            reserved = ledger.reserve(attempt -> {
                if (attempt > 0) {
                    view.refresh();
                }
                return view.snapshot();
            }, snapshot -> {
                RoutingOutcome.Routed routed = planner.routed(m, snapshot);
                String planId = PlanIds.next(nowMillis);
                String reservationId = PlanIds.next(nowMillis);
                RoutingRecord record = planner.record(m, routed, planId, reservationId, nowMillis);
                // the receipt is known before the hold, so that a replayed answer carries it too
                RoutingPlanResponse response = PlanResponses.toResponse(planId, meetingId, routed.plan())
                        .withReceipt(planner.receipt(record).map(RoutingPlanResponse.ReceiptView::of).orElse(null));
                return new Attempt(routed, reservationId, record, response);
            }, attempt -> new HoldRequest(attempt.reservationId(), places(attempt.routed().plan()), meetingId,
                    caller.name(), held -> key.ifPresent(k -> answers.store(k,
                    attempt.response().withReservation(ReservationView.of(held))))));
        } catch (ProblemException refused) {
            throw refused;
        } catch (RuntimeException e) {
            // a concurrent twin with the same Idempotency-Key committed first: answer as it did
            Optional<RoutingPlanResponse> replay = key.isPresent()
                    ? answers.replay(key.get(), RoutingPlanResponse.class) : Optional.empty();
            if (replay.isPresent()) {
                return new RoutingService.Decision(null, replay.get());
            }
            throw e;
        }
        if (reserved.reservation().isEmpty()) {
            throw refusals.noCapacity(new RoutingOutcome.NoPermittedCapacity(m.policy(), m.participants().size(),
                    reserved.shortfall(), m.strategy(), List.of()));
        }
        Attempt held = reserved.plan();
        planner.accepted(held.routed(), held.record());
        return new RoutingService.Decision(held.routed(),
                held.response().withReservation(ReservationView.of(reserved.reservation().get())));
    }

    private static Map<String, Integer> places(RoutingPlan plan) {
        Map<String, Integer> places = new TreeMap<>();
        plan.dataCenters().forEach(use -> places.put(use.id(), use.participants()));
        return places;
    }
}
