package io.meridian.simulation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Limits of the what-if simulation endpoint. */
@ConfigMapping(prefix = "meridian.simulation")
public interface SimulationConfig {

    /** Most meetings one simulation may run; more answer 413 simulation-too-large. */
    @WithDefault("10000")
    int maxMeetings();

    /**
     * Most participants one simulation may run, counted as {@code meetings * participantsPerMeeting.max}
     * (the workload's upper bound, known before it is drawn); more answer 413 simulation-too-large.
     */
    @WithDefault("200000")
    int maxParticipants();

    /**
     * Value of the Retry-After header when a simulation is refused because another one is running on
     * this replica (429 simulation-busy).
     */
    @WithDefault("PT5S")
    Duration retryAfter();
}
