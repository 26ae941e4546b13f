package io.meridian.core;

import java.util.List;
import java.util.Objects;

/** Where {@link JoinPlacement} puts one joining participant, or why it cannot. */
public sealed interface JoinOutcome {

    /**
     * The participant's data center.
     *
     * @param dataCenter        the data center's id
     * @param region            its region
     * @param rttMs             the participant's access RTT to it
     * @param measured          whether that RTT is the client's measurement (else the estimate)
     * @param openedDataCenter  whether the meeting had nobody there before (the cascade is then
     *                          recomputed)
     * @param usedReservedPlace whether the participant takes one of the places the meeting holds
     *                          there through its reservation (else one place of headroom)
     * @param worstPairMs       the participant's worst pair latency there: the largest latency
     *                          between it and another participant through the cascade it will be on
     *                          (0 for the first participant)
     */
    record Placed(String dataCenter, String region, double rttMs, boolean measured, boolean openedDataCenter,
                  boolean usedReservedPlace, double worstPairMs) implements JoinOutcome {
        public Placed {
            Objects.requireNonNull(dataCenter, "dataCenter");
            Objects.requireNonNull(region, "region");
        }
    }

    /** The meeting's effective policy permits no data center of the model at all. */
    record NoPermittedRegion(List<RoutingPlan.Exclusion> excluded) implements JoinOutcome {
        public NoPermittedRegion {
            excluded = List.copyOf(excluded);
        }
    }

    /**
     * Permitted data centers exist, but none can take the participant (no room, down, draining or
     * stale): the join holds nothing and nobody moves.
     *
     * @param excluded every data center of the model, with the reason it cannot take the participant
     */
    record NoPermittedCapacity(List<RoutingPlan.Exclusion> excluded) implements JoinOutcome {
        public NoPermittedCapacity {
            excluded = List.copyOf(excluded);
        }
    }
}
