package io.meridian.integration.jicofo;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code meridian_jicofo_selections_total{outcome}} and {@code meridian_jicofo_selection_seconds{outcome}}.
 * The only label is the outcome: never a key, an account or a path. Every series is registered at
 * start, so rates and alerts see zeros rather than gaps.
 */
@Startup
@ApplicationScoped
public class JicofoMetrics {

    /** How a selection request ended. */
    public enum Outcome {
        /** A bridge was selected (200). */
        OK,
        /** The body was malformed (400). */
        INVALID,
        /** Unknown, revoked or malformed key (404). */
        UNKNOWN_KEY,
        /** The source tried too many unknown keys (429). */
        RATE_LIMITED,
        /** No offered bridge may take the participant (503 no-permitted-capacity). */
        NO_PERMITTED_CAPACITY,
        /** Anything else: the database unavailable, an unexpected failure. */
        ERROR;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Buckets from 50 µs to 1 s: a selection is tens of microseconds; Jicofo's timeout is a second or less. */
    private static final Duration[] BUCKETS = {
            Duration.ofNanos(50_000), Duration.ofNanos(100_000), Duration.ofNanos(250_000),
            Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1)};

    private final Map<Outcome, Counter> counters = new EnumMap<>(Outcome.class);
    private final Map<Outcome, Timer> timers = new EnumMap<>(Outcome.class);

    @Inject
    public JicofoMetrics(MeterRegistry registry) {
        for (Outcome outcome : Outcome.values()) {
            counters.put(outcome, Counter.builder("meridian.jicofo.selections")
                    .description("Jicofo bridge-selection requests answered, by outcome")
                    .tag("outcome", outcome.label())
                    .register(registry));
            timers.put(outcome, Timer.builder("meridian.jicofo.selection")
                    .description("Time to answer a Jicofo bridge-selection request, from the key check to the answer")
                    .tag("outcome", outcome.label())
                    .serviceLevelObjectives(BUCKETS)
                    .minimumExpectedValue(BUCKETS[0])
                    .maximumExpectedValue(BUCKETS[BUCKETS.length - 1])
                    .register(registry));
        }
    }

    public void answered(Outcome outcome, long nanos) {
        counters.get(outcome).increment();
        timers.get(outcome).record(nanos, TimeUnit.NANOSECONDS);
    }
}
