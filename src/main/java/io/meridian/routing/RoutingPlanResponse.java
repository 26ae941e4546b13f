package io.meridian.routing;

import io.meridian.core.ExclusionReason;
import io.meridian.core.Strategy;
import io.meridian.records.RecordLog;
import io.meridian.reservation.ReservationView;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** Body of a 200 answer to {@code POST /api/v1/routing-plans}. */
@Schema(name = "RoutingPlan", description = "Which data center each participant joins, how they cascade, and why.")
public record RoutingPlanResponse(
        @Schema(description = "Unique id of this plan (ULID).", examples = "01JD2Q7ZK3M6W1X5N8P0R4T9V2", required = true)
        String planId,
        @Schema(description = "The request's meeting id.", examples = "weekly-sync-42", nullable = true)
        String meetingId,
        @Schema(description = "The strategy the plan follows; AUTO resolves to SINGLE or CASCADE.", required = true)
        Strategy strategy,
        @Schema(description = "One per participant, in request order.", required = true)
        List<AssignmentView> assignments,
        @Schema(description = "Data centers the plan uses, sorted by id.", required = true)
        List<DataCenterUseView> dataCenters,
        @Schema(description = "Backbone links between the data centers used (from the primary).", required = true)
        List<CascadeLinkView> cascadeLinks,
        @Schema(description = "Regions whose data centers carry the meeting's media, sorted.", examples = "[\"EU\", \"US\"]",
                required = true)
        List<String> regionsUsed,
        @Schema(required = true)
        EffectivePolicyView effectivePolicy,
        @Schema(description = "Every data center of the model that was not eligible, with the reason.", required = true)
        List<ExclusionView> excluded,
        @Schema(required = true)
        SummaryView summary,
        @Schema(description = "The held capacity when the request asked to reserve; null otherwise.", nullable = true)
        ReservationView reservation,
        @Schema(description = "The plan's entry in the transparency log (docs/transparency.md); null when the log "
                + "is off.", nullable = true)
        ReceiptView receipt) {

    /** A plan without a receipt. */
    public RoutingPlanResponse(String planId, String meetingId, Strategy strategy, List<AssignmentView> assignments,
                               List<DataCenterUseView> dataCenters, List<CascadeLinkView> cascadeLinks,
                               List<String> regionsUsed, EffectivePolicyView effectivePolicy,
                               List<ExclusionView> excluded, SummaryView summary, ReservationView reservation) {
        this(planId, meetingId, strategy, assignments, dataCenters, cascadeLinks, regionsUsed, effectivePolicy,
                excluded, summary, reservation, null);
    }

    /** The same plan with its reservation. */
    public RoutingPlanResponse withReservation(ReservationView held) {
        return new RoutingPlanResponse(planId, meetingId, strategy, assignments, dataCenters, cascadeLinks, regionsUsed,
                effectivePolicy, excluded, summary, held, receipt);
    }

    /** The same plan with its transparency-log receipt. */
    public RoutingPlanResponse withReceipt(ReceiptView logged) {
        return new RoutingPlanResponse(planId, meetingId, strategy, assignments, dataCenters, cascadeLinks, regionsUsed,
                effectivePolicy, excluded, summary, reservation, logged);
    }

    @Schema(name = "Receipt", description = "The plan's entry in the transparency log. Entries get their leaf index "
            + "asynchronously (within meridian.transparency.tree-head-interval): ask "
            + "GET /api/v1/transparency/proofs/inclusion?planId= for the index and the proof.")
    public record ReceiptView(
            @Schema(description = "The plan id, the entry's key.", examples = "01JD2Q7ZK3M6W1X5N8P0R4T9V2",
                    required = true) String planId,
            @Schema(description = "The entry's Merkle leaf hash, SHA-256(0x00 || entry bytes), base64.",
                    examples = "3m0a6k0XbO8Ck3pB6mD9dG1rA4xJ5c2yZ7vL0nQ8sTw=", required = true) String entryHash,
            @Schema(description = "Always null in a plan answer: the index is assigned after the answer.",
                    nullable = true, type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER,
                    format = "int64") Long leafIndex) {

        public static ReceiptView of(RecordLog.Receipt receipt) {
            return new ReceiptView(receipt.factId(), receipt.entryHash(), null);
        }
    }

    @Schema(name = "Assignment", description = "Where one participant connects.")
    public record AssignmentView(
            @Schema(examples = "alice", required = true) String participantId,
            @Schema(examples = "eu-fra", required = true) String dataCenter,
            @Schema(examples = "EU", required = true) String region,
            @Schema(description = "RTT to the data center in ms, measured or estimated.", examples = "9.8", required = true)
            double estimatedRttMs,
            @Schema(description = "MEASURED when the client supplied the RTT, else ESTIMATED.", required = true,
                    enumeration = {"MEASURED", "ESTIMATED"})
            String rttSource) {
    }

    @Schema(name = "DataCenterUse", description = "A data center the plan uses.")
    public record DataCenterUseView(
            @Schema(examples = "eu-fra", required = true) String id,
            @Schema(examples = "EU", required = true) String region,
            @Schema(description = "Participants it carries.", examples = "3", required = true) int participants,
            @Schema(description = "True for the meeting's primary data center (the cascade hub).", required = true)
            boolean primary) {
    }

    @Schema(name = "CascadeLink", description = "A media link between two data centers of the plan.")
    public record CascadeLinkView(
            @Schema(examples = "eu-fra", required = true) String from,
            @Schema(examples = "us-sjc", required = true) String to,
            @Schema(description = "Estimated RTT of the link in ms.", examples = "148.0", required = true)
            double estimatedRttMs) {
    }

    @Schema(name = "EffectivePolicy", description = "The merged region policy the plan obeys.")
    public record EffectivePolicyView(
            @Schema(examples = "[\"CN\"]", required = true) List<String> blockedRegions,
            @Schema(description = "Null when every region not blocked is allowed.", nullable = true)
            List<String> allowedRegions,
            @Schema(description = "Where the restrictions came from: request, account:<id>.",
                    examples = "[\"request\"]", required = true)
            List<String> sources) {
    }

    @Schema(name = "Exclusion", description = "A data center that was not eligible.")
    public record ExclusionView(
            @Schema(examples = "cn-sha", required = true) String dataCenter,
            @Schema(examples = "CN", required = true) String region,
            @Schema(required = true) ExclusionReason reason) {
    }

    @Schema(name = "PlanSummary", description = "Latency figures of the plan, in ms.")
    public record SummaryView(
            @Schema(examples = "12.1", required = true) double maxRttMs,
            @Schema(examples = "8.4", required = true) double meanRttMs,
            @Schema(description = "Worst RTT between two participants through the plan's data centers and links; "
                    + "0 with one participant.", examples = "171.3", required = true)
            double worstPairLatencyMs) {
    }
}
