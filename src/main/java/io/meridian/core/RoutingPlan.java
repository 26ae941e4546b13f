package io.meridian.core;

import java.util.List;
import java.util.Optional;

/**
 * A complete routing plan: every participant assigned, every link and region named.
 *
 * @param strategy     the strategy the plan follows ({@code SINGLE} or {@code CASCADE}, never AUTO)
 * @param assignments  one per participant, in request order
 * @param dataCenters  the data centers used, sorted by id
 * @param cascadeLinks backbone links between the data centers used, sorted by (from, to)
 * @param regionsUsed  regions whose data centers carry media, sorted
 * @param policy       the effective policy the plan obeys
 * @param excluded     every data center that was not eligible, sorted by id
 * @param summary      latency figures of the plan
 */
public record RoutingPlan(Strategy strategy, List<Assignment> assignments, List<DataCenterUse> dataCenters,
                          List<CascadeLink> cascadeLinks, List<String> regionsUsed, RegionPolicy policy,
                          List<Exclusion> excluded, Summary summary) {

    public RoutingPlan {
        assignments = List.copyOf(assignments);
        dataCenters = List.copyOf(dataCenters);
        cascadeLinks = List.copyOf(cascadeLinks);
        regionsUsed = List.copyOf(regionsUsed);
        excluded = List.copyOf(excluded);
    }

    /** The data center the plan is centred on (the only one for SINGLE, the cascade hub otherwise). */
    public Optional<DataCenterUse> primary() {
        return dataCenters.stream().filter(DataCenterUse::primary).findFirst();
    }

    /** Where one participant connects. {@code measured} tells whether the RTT came from the client. */
    public record Assignment(String participantId, String dataCenter, String region, double rttMs,
                             boolean measured) {
    }

    /** A data center the plan uses and how many participants it carries. */
    public record DataCenterUse(String id, String region, int participants, boolean primary) {
    }

    /** A backbone link between two data centers of the plan. */
    public record CascadeLink(String from, String to, double rttMs) {
    }

    /** A data center of the model that was not eligible, and why. */
    public record Exclusion(String dataCenter, String region, ExclusionReason reason) {
    }

    /**
     * @param maxRttMs           largest participant RTT
     * @param meanRttMs          mean participant RTT
     * @param worstPairLatencyMs largest participant-to-participant RTT through the plan's data
     *                           centers and links (0 when the meeting has a single participant)
     */
    public record Summary(double maxRttMs, double meanRttMs, double worstPairLatencyMs) {
    }
}
