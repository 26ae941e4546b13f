package io.meridian.records;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** Response shapes of the traffic report and the routing history. */
public final class TrafficReportViews {

    private TrafficReportViews() {
    }

    @Schema(name = "TrafficReport", description = "Where an account's meetings went in a time window, from the "
            + "routing records of every plan answered 200.")
    public record TrafficReport(
            @Schema(examples = "acme") String accountId,
            @Schema(description = "Start of the window (inclusive), RFC 3339 UTC.", examples = "2026-11-01T00:00:00Z")
            String from,
            @Schema(description = "End of the window (exclusive), RFC 3339 UTC.", examples = "2026-11-23T00:00:00Z")
            String to,
            @Schema(description = "Plans recorded in the window.", examples = "1520") long plans,
            @Schema(description = "Participants placed, summed over the plans, Jicofo bridge selections and "
                    + "live-meeting joins.", examples = "9120") long participants,
            @Schema(description = "Distinct meetings (a plan without a meeting id counts as one; of Jicofo bridge "
                    + "selections, those that chose a conference's first bridge; a live meeting by its label, or its "
                    + "id when it has none).", examples = "410")
            long meetings,
            @Schema(description = "Per region used: participants placed there, their share of all participants, "
                    + "and meetings that touched it. Sorted by participants, most first.")
            List<RegionShare> byRegion,
            @Schema(description = "Recorded plans, bridge selections and live-meeting joins that used a region their "
                    + "recorded effective policy blocked or left out of its allow-list. Always 0 unless something is "
                    + "badly wrong.", examples = "0")
            long policyViolations,
            @Schema(description = "Jicofo bridge selections recorded in the window: each placed one participant.",
                    examples = "0") long bridgeSelections,
            @Schema(description = "Participant joins of live meetings in the window (each placed one participant; "
                    + "they count in participants and byRegion next to the plans).", examples = "240")
            long joins) {
    }

    @Schema(name = "RegionShare", description = "One region's part of a traffic report.")
    public record RegionShare(
            @Schema(examples = "EU") String region,
            @Schema(examples = "6120") long participants,
            @Schema(description = "participants / all participants of the report, 6 decimals.", examples = "0.671053")
            double share,
            @Schema(examples = "300") long meetings) {
    }

    @Schema(name = "RoutingHistoryEntry", description = "One recorded plan of a meeting, or one join, leave or end of "
            + "a live meeting.")
    public record HistoryEntry(
            @Schema(description = "The record's id (the plan's id for a plan; ids sort by time).",
                    examples = "01JD2Q4W8Z3K9V6T5R4E3W2Q1A") String planId,
            @Schema(description = "When the plan was made, RFC 3339 UTC.", examples = "2026-11-23T09:30:00.123Z")
            String recordedAt,
            @Schema(examples = "CASCADE") String strategy,
            @Schema(examples = "3") int participants,
            @Schema(examples = "[\"EU\", \"US\"]") List<String> regionsUsed,
            List<DataCenterUse> dataCenters,
            EffectivePolicy effectivePolicy,
            @Schema(description = "The reservation that held this plan, when it reserved.", nullable = true)
            String reservationId,
            @Schema(description = "PLAN; JOIN or LEAVE of one participant of a live meeting; END (ended by its "
                    + "controller) or EXPIRY (lease ran out) of a live meeting; MOVE of one participant to the "
                    + "recorded data center after a policy change or a DC down; DISCONNECT of one participant "
                    + "from the recorded data center, with nowhere permitted to go.",
                    enumeration = {"PLAN", "JOIN", "LEAVE", "END", "EXPIRY", "MOVE", "DISCONNECT"}, examples = "PLAN")
            String kind,
            @Schema(description = "The participant who joined or left; null otherwise.", nullable = true,
                    examples = "alice")
            String participantId) {
    }

    @Schema(name = "RecordedDataCenterUse", description = "Participants of a recorded plan on one data center.")
    public record DataCenterUse(
            @Schema(examples = "eu-fra") String id,
            @Schema(examples = "EU") String region,
            @Schema(examples = "2") int participants,
            @Schema(description = "True for the plan's primary (hub) data center.") boolean primary) {
    }

    @Schema(name = "RecordedEffectivePolicy", description = "The effective policy the plan was made under.")
    public record EffectivePolicy(
            @Schema(examples = "[\"CN\"]") List<String> blockedRegions,
            @Schema(description = "Null: no allow-list applied.", nullable = true) List<String> allowedRegions,
            @Schema(examples = "[\"request\", \"account:acme\"]") List<String> sources) {
    }

    static HistoryEntry entry(RoutingRecord r) {
        return new HistoryEntry(r.planId(), java.time.Instant.ofEpochMilli(r.recordedAt()).toString(), r.strategy(),
                r.participants(), List.copyOf(r.regionsUsed()),
                r.dataCenters().stream().map(s -> new DataCenterUse(s.dataCenter(), s.region(), s.participants(),
                        s.primary())).toList(),
                new EffectivePolicy(List.copyOf(r.blocked()), r.allowed().<List<String>>map(List::copyOf).orElse(null),
                        r.sources()),
                r.reservationId(), r.kind().name(), r.participantId());
    }
}
