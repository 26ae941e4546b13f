package io.meridian.simulation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Simulation metrics: {@code meridian_simulations_total{outcome}} (ok, invalid, too_large, busy) and
 * {@code meridian_simulation_seconds}, a histogram of the time completed simulations took. No other
 * labels: never seeds, callers or scenario contents. Registered at start, so they read 0 before the
 * first simulation.
 */
@Startup
@ApplicationScoped
public class SimulationMetrics {

    /** Outcome label values. */
    public static final List<String> OUTCOMES = List.of("ok", "invalid", "too_large", "busy");

    /** Buckets from 10 ms to 60 s: a small what-if takes milliseconds, the largest allowed some seconds. */
    private static final Duration[] BUCKETS = {
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};

    private final Map<String, Counter> outcomes;
    private final Timer duration;

    @Inject
    public SimulationMetrics(MeterRegistry registry) {
        this.outcomes = OUTCOMES.stream().collect(Collectors.toUnmodifiableMap(Function.identity(),
                outcome -> Counter.builder("meridian.simulations")
                        .description("What-if simulation requests answered, by outcome")
                        .tag("outcome", outcome)
                        .register(registry)));
        this.duration = Timer.builder("meridian.simulation")
                .description("Time a completed what-if simulation took, from drawing the workload to the answer")
                .serviceLevelObjectives(BUCKETS)
                .minimumExpectedValue(BUCKETS[0])
                .maximumExpectedValue(BUCKETS[BUCKETS.length - 1])
                .register(registry);
    }

    /** Counts one answered request. */
    public void outcome(String outcome) {
        Counter counter = outcomes.get(outcome);
        if (counter == null) {
            throw new IllegalArgumentException("unknown outcome " + outcome);
        }
        counter.increment();
    }

    /** Records how long one completed simulation took. */
    public void completed(long nanos) {
        duration.record(nanos, TimeUnit.NANOSECONDS);
    }
}
