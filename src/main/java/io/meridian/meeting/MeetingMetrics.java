package io.meridian.meeting;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Metrics of live meetings: {@code meridian_live_meetings}, {@code meridian_meeting_joins_total{outcome}},
 * {@code meridian_meeting_join_seconds}, {@code meridian_meeting_leaves_total} and
 * {@code meridian_meeting_ends_total{reason}}, and of the group commit every join, leave and end
 * goes through: {@code meridian_meeting_batch_seconds} and {@code meridian_meeting_batch_jobs}. (Live participants per data center are the capacity
 * view's: {@code meridian_live_participants}.) Every series is registered at start.
 */
@Startup
@ApplicationScoped
public class MeetingMetrics {

    /** Outcome label values of joins. */
    public static final List<String> OUTCOMES = List.of("ok", "already_present", "invalid", "not_found",
            "no_permitted_region", "no_permitted_capacity", "too_many_participants", "unavailable");

    private static final Duration[] BUCKETS = {
            Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2),
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5)};

    private final Map<String, Counter> joins = new TreeMap<>();
    private final Map<String, Counter> ends = new TreeMap<>();
    private final Counter leaves;
    private final Timer joinTime;
    private final Timer batchTime;
    private final DistributionSummary batchJobs;
    private final AtomicLong live = new AtomicLong();

    @Inject
    public MeetingMetrics(MeterRegistry registry) {
        for (String outcome : OUTCOMES) {
            joins.put(outcome, Counter.builder("meridian.meeting.joins")
                    .description("Join requests of live meetings answered, by outcome").tag("outcome", outcome)
                    .register(registry));
        }
        for (String reason : List.of("ended", "lease_expired")) {
            ends.put(reason, Counter.builder("meridian.meeting.ends")
                    .description("Live meetings ended, by their controller (ended) or by their lease running out")
                    .tag("reason", reason).register(registry));
        }
        leaves = Counter.builder("meridian.meeting.leaves").description("Participants that left live meetings")
                .register(registry);
        joinTime = Timer.builder("meridian.meeting.join")
                .description("Time to answer a join of a live meeting, from the request to the answer")
                .serviceLevelObjectives(BUCKETS).minimumExpectedValue(BUCKETS[0])
                .maximumExpectedValue(BUCKETS[BUCKETS.length - 1]).register(registry);
        batchTime = Timer.builder("meridian.meeting.batch")
                .description("Time of one batch of the meetings' group commit, from taking its jobs off the queue "
                        + "to answering them (a join's time less this is its wait in the queue)")
                .serviceLevelObjectives(BUCKETS).minimumExpectedValue(BUCKETS[0])
                .maximumExpectedValue(BUCKETS[BUCKETS.length - 1]).register(registry);
        batchJobs = DistributionSummary.builder("meridian.meeting.batch.jobs")
                .description("Jobs (joins, leaves, renewals, ends) in one batch of the meetings' group commit")
                .register(registry);
        Gauge.builder("meridian.live.meetings", live, AtomicLong::get)
                .description("Live meetings in the database (all replicas), as last counted").register(registry);
    }

    /** Counts one answered join and how long it took. */
    public void join(String outcome, long nanos) {
        joins.getOrDefault(outcome, joins.get("invalid")).increment();
        joinTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One batch of the group commit: its jobs and its time. */
    void batch(int jobs, long nanos) {
        batchTime.record(nanos, TimeUnit.NANOSECONDS);
        batchJobs.record(jobs);
    }

    void left() {
        leaves.increment();
    }

    void ended(boolean expired) {
        ends.get(expired ? "lease_expired" : "ended").increment();
    }

    void liveMeetings(long count) {
        live.set(count);
    }
}
