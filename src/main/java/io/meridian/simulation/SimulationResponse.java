package io.meridian.simulation;

import io.meridian.core.DataCenterStatus;
import io.meridian.core.Strategy;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/** Body of a 200 answer to {@code POST /api/v1/simulations}. Milliseconds rounded to 0.1, shares to 4 decimals. */
@Schema(name = "SimulationResult", description = "The same workload routed on the live model (baseline) and on the "
        + "changed one (scenario), and the difference.")
public record SimulationResponse(
        @Schema(required = true) WorkloadView workload,
        @Schema(description = "The strategy every meeting was routed with.", required = true) Strategy strategy,
        @Schema(description = "The workload on the live model as it is.", required = true) SideView baseline,
        @Schema(description = "The workload on the live model with the scenario's changes.", required = true)
        SideView scenario,
        @Schema(required = true) ComparisonView comparison) {

    /** Echo of the drawn workload. */
    @Schema(name = "SimulationWorkloadSummary", description = "The workload that was drawn and run on both sides.")
    public record WorkloadView(
            @Schema(description = "The seed it was drawn from.", examples = "42", required = true) long seed,
            @Schema(description = "Meetings run on each side.", examples = "2000", required = true) int meetings,
            @Schema(description = "Participants of all meetings.", examples = "42520", required = true)
            long participants) {
    }

    /** One side of the comparison. */
    @Schema(name = "SimulationSide", description = "Outcome of the workload on one side. Meetings are concurrent: "
            + "each routed meeting's participants stay as load on their data centers for the later meetings.")
    public record SideView(
            @Schema(description = "Meetings the routing engine planned.", examples = "2000", required = true)
            int routableMeetings,
            @Schema(description = "Meetings it refused: no permitted region, or not enough permitted headroom left.",
                    examples = "0", required = true)
            int unroutableMeetings,
            @Schema(description = "Participants of all meetings.", examples = "42117", required = true)
            long participants,
            @Schema(description = "Participants of the routed meetings.", examples = "42117", required = true)
            long routedParticipants,
            @Schema(description = "Participants of the unroutable meetings.", examples = "0", required = true)
            long unroutableParticipants,
            @Schema(description = "Mean participant-to-data-center RTT of the routed participants, ms; null when "
                    + "none was routed.", examples = "21.3", nullable = true, required = true)
            Double meanRttMs,
            @Schema(description = "95th percentile (nearest rank) of the same RTTs, ms; null when none was routed.",
                    examples = "44.8", nullable = true, required = true)
            Double p95RttMs,
            @Schema(description = "Mean over the routed meetings of each one's worst participant-to-participant "
                    + "latency through its data centers and cascade links (what routing minimises; 0 for a meeting of "
                    + "one), ms; null when none was routed.", examples = "187.6", nullable = true, required = true)
            Double meanWorstPairLatencyMs,
            @Schema(description = "95th percentile (nearest rank) of the same per-meeting figures, ms; null when "
                    + "none was routed.", examples = "262.4", nullable = true, required = true)
            Double p95WorstPairLatencyMs,
            @Schema(description = "Every region of the model, sorted by code, with its share of the routed "
                    + "participants.", required = true)
            List<RegionView> byRegion,
            @Schema(description = "Every data center of the model, sorted by id.", required = true)
            List<DataCenterView> byDataCenter,
            @Schema(description = "Data centers, not DOWN, whose load at the end (reported load + reservations + "
                    + "simulated participants) reaches or exceeds floor(capacity * maxUtilization) of this side: "
                    + "no headroom left, or over because the scenario cut the capacity. Sorted.",
                    examples = "[\"us-den\"]", required = true)
            List<String> dataCentersOverLimit) {
    }

    /** Routed participants in one region. */
    @Schema(name = "SimulationRegionShare", description = "Routed participants that one region carries.")
    public record RegionView(
            @Schema(examples = "EU", required = true) String region,
            @Schema(examples = "8422", required = true) long participants,
            @Schema(description = "participants / routedParticipants of the side, 4 decimals; 0 when none was routed.",
                    examples = "0.2", minimum = "0", maximum = "1", required = true)
            double share) {
    }

    /** One data center at the end of a side's run. */
    @Schema(name = "SimulationDataCenter", description = "One data center at the end of a side's run.")
    public record DataCenterView(
            @Schema(examples = "eu-fra", required = true) String dataCenter,
            @Schema(examples = "EU", required = true) String region,
            @Schema(description = "Status on this side: the live one, or DOWN by the scenario.", required = true)
            DataCenterStatus status,
            @Schema(description = "Capacity on this side (scaled by the scenario's capacityFactor).",
                    examples = "35000", required = true)
            int capacity,
            @Schema(description = "Simulated participants placed on it.", examples = "4211", required = true)
            long participants,
            @Schema(description = "participants / routedParticipants of the side, 4 decimals.", examples = "0.1",
                    minimum = "0", maximum = "1", required = true)
            double share,
            @Schema(description = "Live reported load + live reservations + simulated participants.",
                    examples = "4211", required = true)
            long load,
            @Schema(description = "floor(capacity * maxUtilization).", examples = "29750", required = true)
            int usableCapacity) {
    }

    /** Scenario minus baseline. */
    @Schema(name = "SimulationComparison", description = "Scenario minus baseline, from the rounded figures.")
    public record ComparisonView(
            @Schema(examples = "-12", required = true) int routableMeetingsChange,
            @Schema(examples = "12", required = true) int unroutableMeetingsChange,
            @Schema(examples = "-250", required = true) long routedParticipantsChange,
            @Schema(description = "ms; null when a side routed no one.", examples = "4.2", nullable = true,
                    required = true)
            Double meanRttMsChange,
            @Schema(description = "ms; null when a side routed no one.", examples = "9.1", nullable = true,
                    required = true)
            Double p95RttMsChange,
            @Schema(description = "ms; null when a side routed no one.", examples = "3.5", nullable = true,
                    required = true)
            Double meanWorstPairLatencyMsChange,
            @Schema(description = "ms; null when a side routed no one.", examples = "0.0", nullable = true,
                    required = true)
            Double p95WorstPairLatencyMsChange,
            @Schema(description = "Every region of the model, sorted by code.", required = true)
            List<RegionChangeView> byRegion) {
    }

    /** How one region's part changes. */
    @Schema(name = "SimulationRegionChange", description = "How one region's part of the routed participants changes.")
    public record RegionChangeView(
            @Schema(examples = "EU", required = true) String region,
            @Schema(examples = "-1200", required = true) long participantsChange,
            @Schema(description = "4 decimals.", examples = "-0.0285", minimum = "-1", maximum = "1", required = true)
            double shareChange) {
    }

    /** The answer for a result. */
    static SimulationResponse of(Workload workload, Strategy strategy, SimulationResult result) {
        SideView baseline = side(result.baseline());
        SideView scenario = side(result.scenario());
        List<RegionChangeView> regions = new ArrayList<>(baseline.byRegion().size());
        for (int i = 0; i < baseline.byRegion().size(); i++) {
            RegionView b = baseline.byRegion().get(i);
            RegionView s = scenario.byRegion().get(i);
            regions.add(new RegionChangeView(b.region(), s.participants() - b.participants(),
                    share(s.share() - b.share())));
        }
        ComparisonView comparison = new ComparisonView(
                scenario.routableMeetings() - baseline.routableMeetings(),
                scenario.unroutableMeetings() - baseline.unroutableMeetings(),
                scenario.routedParticipants() - baseline.routedParticipants(),
                difference(scenario.meanRttMs(), baseline.meanRttMs()),
                difference(scenario.p95RttMs(), baseline.p95RttMs()),
                difference(scenario.meanWorstPairLatencyMs(), baseline.meanWorstPairLatencyMs()),
                difference(scenario.p95WorstPairLatencyMs(), baseline.p95WorstPairLatencyMs()),
                regions);
        return new SimulationResponse(new WorkloadView(workload.seed(), workload.meetings(), workload.participants()),
                strategy, baseline, scenario, comparison);
    }

    private static SideView side(SimulationResult.Side side) {
        return new SideView(side.routableMeetings(), side.unroutableMeetings(), side.participants(),
                side.routedParticipants(), side.unroutableParticipants(), ms(side.meanRttMs()), ms(side.p95RttMs()),
                ms(side.meanWorstPairLatencyMs()), ms(side.p95WorstPairLatencyMs()),
                side.byRegion().stream()
                        .map(r -> new RegionView(r.region(), r.participants(), share(r.share()))).toList(),
                side.byDataCenter().stream().map(d -> new DataCenterView(d.dataCenter(), d.region(), d.status(),
                        d.capacity(), d.participants(), share(d.share()), d.load(), d.usableCapacity())).toList(),
                side.dataCentersOverLimit());
    }

    private static Double ms(OptionalDouble value) {
        return value.isPresent() ? ms(value.getAsDouble()) : null;
    }

    static double ms(double value) {
        return Math.round(value * 10.0) / 10.0;
    }

    static double share(double value) {
        return Math.round(value * 10_000.0) / 10_000.0;
    }

    private static Double difference(Double scenario, Double baseline) {
        return scenario == null || baseline == null ? null : ms(scenario - baseline);
    }
}
