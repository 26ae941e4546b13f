package io.meridian.routing;

import io.meridian.catalog.CapacityView;
import io.meridian.core.CapacitySnapshot;
import io.meridian.core.RoutingEngine;
import io.meridian.core.RoutingOptions;
import io.meridian.core.RoutingOutcome;
import io.meridian.records.PlanIds;
import io.meridian.records.RecordLog;
import io.meridian.records.RoutingRecord;
import io.meridian.records.RoutingRecords;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Optional;

/**
 * Plans a mapped request on a capacity snapshot with the routing engine, counts the decision and
 * records each plan answered 200.
 */
@ApplicationScoped
public class Planner {

    private final RoutingEngine engine;
    private final RoutingOptions options;
    private final CapacityView capacity;
    private final RoutingMetrics metrics;
    private final RoutingRecords records;
    private final Refusals refusals;

    @Inject
    public Planner(RoutingEngine engine, RoutingOptions options, CapacityView capacity, RoutingMetrics metrics,
                   RoutingRecords records, Refusals refusals) {
        this.engine = engine;
        this.options = options;
        this.capacity = capacity;
        this.metrics = metrics;
        this.records = records;
        this.refusals = refusals;
    }

    /** A plan that holds nothing, on the current snapshot, with its transparency-log receipt. */
    public RoutingService.Decision plan(PlanRequests.Mapped m, long nowMillis) {
        RoutingOutcome.Routed routed = routed(m, capacity.snapshot());
        String planId = PlanIds.next(nowMillis);
        RoutingRecord record = record(m, routed, planId, null, nowMillis);
        metrics.decision(routed);
        Optional<RecordLog.Receipt> receipt = records.record(record);
        return new RoutingService.Decision(routed, PlanResponses.toResponse(planId, m.request().meetingId(),
                routed.plan()).withReceipt(receipt.map(RoutingPlanResponse.ReceiptView::of).orElse(null)));
    }

    /**
     * The plan on {@code snapshot}.
     *
     * @throws io.meridian.web.ProblemException 422 or 503 (counted) when there is none
     */
    RoutingOutcome.Routed routed(PlanRequests.Mapped m, CapacitySnapshot snapshot) {
        RoutingOutcome outcome = engine.plan(m.participants(), m.policy(), m.strategy(), options, snapshot);
        if (outcome instanceof RoutingOutcome.Routed routed) {
            return routed;
        }
        metrics.decision(outcome);
        throw refusals.of(outcome);
    }

    /** The record of a plan (held by {@code reservationId}, when it reserves). */
    RoutingRecord record(PlanRequests.Mapped m, RoutingOutcome.Routed routed, String planId, String reservationId,
                         long nowMillis) {
        return RoutingRecord.of(planId, nowMillis, m.request().accountId(), m.request().meetingId(), routed.plan(),
                reservationId, m.policyVersion());
    }

    /** The receipt a record's log entry will have, for an answer made before the record is (a reservation's). */
    Optional<RecordLog.Receipt> receipt(RoutingRecord record) {
        return records.receipt(record);
    }

    /** Counts and records a reserving plan answered 200, once it is held. */
    void accepted(RoutingOutcome.Routed routed, RoutingRecord record) {
        metrics.decision(routed);
        records.recordWithoutReceipt(record);
    }
}
