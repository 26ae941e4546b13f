package io.meridian.meeting;

import io.meridian.core.JoinPlacement;
import io.meridian.core.LatencyModel;
import io.meridian.core.MoveReplacement;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Join placement with the access-latency model plans use, so a join and a plan agree on every RTT. */
@ApplicationScoped
public class MeetingProducer {

    @Produces
    @Singleton
    JoinPlacement joinPlacement(LatencyModel latency) {
        return new JoinPlacement(latency);
    }

    @Produces
    @Singleton
    MoveReplacement moveReplacement(LatencyModel latency) {
        return new MoveReplacement(latency);
    }
}
