package io.meridian.simulation;

import io.meridian.core.DataCenterStatus;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What a simulation found, unrounded: the same workload on the live state (baseline) and on the
 * changed one (scenario).
 */
public record SimulationResult(Side baseline, Side scenario) {

    public SimulationResult {
        Objects.requireNonNull(baseline, "baseline");
        Objects.requireNonNull(scenario, "scenario");
    }

    /**
     * One side's figures.
     *
     * @param routableMeetings       meetings the engine planned
     * @param unroutableMeetings     meetings it refused (no permitted region, or no permitted capacity left)
     * @param participants           participants of all meetings
     * @param routedParticipants     participants of the planned meetings
     * @param unroutableParticipants participants of the refused meetings
     * @param meanRttMs              mean participant-to-data-center RTT of the routed participants; empty
     *                               when none was routed
     * @param p95RttMs               95th percentile (nearest rank) of the same RTTs; empty when none
     * @param meanWorstPairLatencyMs mean over the routed meetings of each one's worst participant-to-participant
     *                               latency through its plan (the figure routing minimises); empty when none
     * @param p95WorstPairLatencyMs  95th percentile (nearest rank) of the same per-meeting figures
     * @param byRegion               every region of the model, by code
     * @param byDataCenter           every data center of the model, by id
     * @param dataCentersOverLimit   ids of the data centers (not DOWN) whose load at the end reaches or
     *                               exceeds their usable capacity, sorted
     */
    public record Side(int routableMeetings, int unroutableMeetings, long participants, long routedParticipants,
                       long unroutableParticipants, OptionalDouble meanRttMs, OptionalDouble p95RttMs,
                       OptionalDouble meanWorstPairLatencyMs, OptionalDouble p95WorstPairLatencyMs,
                       List<RegionLoad> byRegion, List<DataCenterLoad> byDataCenter,
                       List<String> dataCentersOverLimit) {
        public Side {
            byRegion = List.copyOf(byRegion);
            byDataCenter = List.copyOf(byDataCenter);
            dataCentersOverLimit = List.copyOf(dataCentersOverLimit);
        }

        /** The entry of one data center. */
        public DataCenterLoad dataCenter(String id) {
            return byDataCenter.stream().filter(d -> d.dataCenter().equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no data center " + id));
        }

        /** The entry of one region. */
        public RegionLoad region(String code) {
            return byRegion.stream().filter(r -> r.region().equals(code)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no region " + code));
        }
    }

    /**
     * Routed participants in one region.
     *
     * @param share participants / routed participants of the side (0 when none was routed)
     */
    public record RegionLoad(String region, long participants, double share) {
    }

    /**
     * One data center at the end of a side's run.
     *
     * @param status         its status on that side (live status, or DOWN by the scenario)
     * @param capacity       its capacity on that side (scaled by the scenario's factor)
     * @param participants   simulated participants placed on it
     * @param share          participants / routed participants of the side (0 when none was routed)
     * @param load           live reported load + live reservations + simulated participants
     * @param usableCapacity {@code floor(capacity * maxUtilization)}
     * @param overLimit      not DOWN, and {@code load >= usableCapacity}
     */
    public record DataCenterLoad(String dataCenter, String region, DataCenterStatus status, int capacity,
                                 long participants, double share, long load, int usableCapacity,
                                 boolean overLimit) {
    }
}
