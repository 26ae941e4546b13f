package io.meridian.rerouting;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code meridian_participant_moves_total{reason}}, {@code meridian_participant_disconnects_total{reason}},
 * {@code meridian_reroute_seconds} (from a change's commit to the last move it issued),
 * {@code meridian_reroute_jobs_pending} and {@code meridian_reroute_oldest_pending_seconds} (the
 * age of the oldest pending job, which the alert watches). Every series is registered at start.
 */
@Startup
@ApplicationScoped
public class RerouteMetrics {

    static final List<String> MOVE_REASONS = List.of("REGION_BLOCKED", "REGION_NOT_ALLOWED", "DC_DOWN");
    static final List<String> DISCONNECT_REASONS = List.of("NO_PERMITTED_CAPACITY", "NO_PERMITTED_REGION");

    private static final Duration[] BUCKETS = {
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};

    private final Map<String, Counter> moves = new TreeMap<>();
    private final Map<String, Counter> disconnects = new TreeMap<>();
    private final Timer toLastMove;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestMillis = new AtomicLong();

    @Inject
    public RerouteMetrics(MeterRegistry registry) {
        for (String reason : MOVE_REASONS) {
            moves.put(reason, Counter.builder("meridian.participant.moves")
                    .description("Participants of live meetings moved off a data center, by why they had to leave")
                    .tag("reason", reason).register(registry));
        }
        for (String reason : DISCONNECT_REASONS) {
            disconnects.put(reason, Counter.builder("meridian.participant.disconnects")
                    .description("Participants removed from a data center they had to leave, with nowhere to go")
                    .tag("reason", reason).register(registry));
        }
        toLastMove = Timer.builder("meridian.reroute")
                .description("Time from the commit of a change to the last move or disconnect it issued")
                .serviceLevelObjectives(BUCKETS).minimumExpectedValue(BUCKETS[0])
                .maximumExpectedValue(BUCKETS[BUCKETS.length - 1]).register(registry);
        Gauge.builder("meridian.reroute.jobs.pending", pending, AtomicLong::get)
                .description("Re-routing jobs not done yet (all replicas), as last counted").register(registry);
        Gauge.builder("meridian.reroute.oldest.pending.seconds", oldestMillis, v -> v.get() / 1000.0)
                .description("Age of the oldest re-routing job not done yet, 0 when none").register(registry);
    }

    void moved(String reason) {
        moves.getOrDefault(reason, moves.get("DC_DOWN")).increment();
    }

    void disconnected(String reason) {
        disconnects.getOrDefault(reason, disconnects.get("NO_PERMITTED_CAPACITY")).increment();
    }

    void lastMove(Duration sinceCommit) {
        toLastMove.record(sinceCommit.isNegative() ? Duration.ZERO : sinceCommit);
    }

    void backlog(long jobs, Duration oldest) {
        pending.set(jobs);
        oldestMillis.set(oldest.toMillis());
    }
}
